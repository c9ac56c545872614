package io.jeras.optimizers;

import io.jeras.bridge.UpdateRules;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * What {@link Adam} and {@link AdamW} share: Keras' options {@code beta_1}, {@code beta_2},
 * {@code epsilon}, {@code amsgrad} with their defaults (0.9, 0.999, 1e-7, off), and Adam's step
 * with Keras' slots {@code momentum}, {@code velocity} (and {@code velocity_hat} with AMSGrad).
 *
 * @param <O> the optimizer class itself
 */
public abstract sealed class AdamFamily<O extends AdamFamily<O>> extends TypedOptimizer<O>
    permits Adam, AdamW {
  public static final float DEFAULT_LEARNING_RATE = 0.001f;
  public static final double DEFAULT_BETA_1 = 0.9;
  public static final double DEFAULT_BETA_2 = 0.999;
  public static final double DEFAULT_EPSILON = 1e-7;

  private double beta1 = DEFAULT_BETA_1;
  private double beta2 = DEFAULT_BETA_2;
  private double epsilon = DEFAULT_EPSILON;
  private boolean amsgrad = false;

  AdamFamily() {
    super(DEFAULT_LEARNING_RATE, null);
  }

  /** Keras' {@code beta_1}. */
  public O beta1(double beta1) {
    checkRange("beta_1", beta1, 0, 1);
    return with((O copy) -> ((AdamFamily<O>) copy).beta1 = beta1);
  }

  /** Keras' {@code beta_2}. */
  public O beta2(double beta2) {
    checkRange("beta_2", beta2, 0, 1);
    return with((O copy) -> ((AdamFamily<O>) copy).beta2 = beta2);
  }

  /** Keras' {@code epsilon}. */
  public O epsilon(double epsilon) {
    checkRange("epsilon", epsilon, 0, Double.MAX_VALUE);
    return with((O copy) -> ((AdamFamily<O>) copy).epsilon = epsilon);
  }

  /** Keras' {@code amsgrad}. */
  public O amsgrad(boolean amsgrad) {
    return with((O copy) -> ((AdamFamily<O>) copy).amsgrad = amsgrad);
  }

  public float beta1() {
    return (float) beta1;
  }

  public float beta2() {
    return (float) beta2;
  }

  public float epsilon() {
    return (float) epsilon;
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
      return UpdateRules.amsgrad(context.tf(), weight, m, v, context.slot(weightName,
          "velocity_hat"), gradient, context.learningRate(), context.step(), beta1, beta2,
          epsilon);
    }
    return UpdateRules.adam(context.tf(), weight, m, v, gradient, context.learningRate(),
        context.step(), beta1, beta2, epsilon);
  }
}
