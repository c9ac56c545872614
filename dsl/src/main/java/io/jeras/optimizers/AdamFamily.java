package io.jeras.optimizers;

import io.jeras.bridge.UpdateRules;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * What {@link Adam} and {@link AdamW} share beyond {@link MomentOptimizer}'s options: Keras'
 * {@code amsgrad} (off by default), and Adam's step with Keras' slots {@code momentum}, {@code
 * velocity} (and {@code velocity_hat} with AMSGrad).
 *
 * @param <O> the optimizer class itself
 */
public abstract sealed class AdamFamily<O extends AdamFamily<O>> extends MomentOptimizer<O>
    permits Adam, AdamW {
  private boolean amsgrad = false;

  AdamFamily() {}

  /** Keras' {@code amsgrad}. */
  public O amsgrad(boolean amsgrad) {
    return with((O copy) -> ((AdamFamily<O>) copy).amsgrad = amsgrad);
  }

  public boolean amsgrad() {
    return amsgrad;
  }

  /** Adam's step (for AdamW after its weight decay, which {@link Optimizer} applies). */
  @Override
  protected Op updateStep(OptimizerContext context, String weightName,
      Variable<TFloat32> weight, Operand<TFloat32> gradient) {
    Variable<TFloat32> m = context.slot(weightName, "momentum");
    Variable<TFloat32> v = context.slot(weightName, "velocity");
    if (amsgrad) {
      return UpdateRules.amsgrad(context.tf(), weight, m, v,
          context.slot(weightName, "velocity_hat"), gradient, context.learningRate(),
          context.step(), exactBeta1(), exactBeta2(), exactEpsilon());
    }
    return UpdateRules.adam(context.tf(), weight, m, v, gradient, context.learningRate(),
        context.step(), exactBeta1(), exactBeta2(), exactEpsilon());
  }
}
