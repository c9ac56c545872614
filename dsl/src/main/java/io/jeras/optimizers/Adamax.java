package io.jeras.optimizers;

import io.jeras.bridge.UpdateRules;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Adamax} (Adam with the infinity norm): {@code m += (g - m)(1 - beta1)},
 * {@code u = max(beta2 u, |g|)}, {@code w -= lr m / ((1 - beta1^t)(u + epsilon))}. Keras'
 * defaults: learning rate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7. Slots {@code momentum},
 * {@code norm}.
 *
 * <pre>{@code
 * Adamax.defaults().learningRate(2e-3)
 * }</pre>
 */
public final class Adamax extends MomentOptimizer<Adamax> {
  private Adamax() {}

  /** Keras' defaults. */
  public static Adamax defaults() {
    return new Adamax();
  }

  @Override
  public String name() {
    return "adamax";
  }

  @Override
  protected Op updateStep(OptimizerContext context, String weightName,
      Variable<TFloat32> weight, Operand<TFloat32> gradient) {
    return UpdateRules.adamax(context.tf(), weight, context.slot(weightName, "momentum"),
        context.slot(weightName, "norm"), gradient, context.learningRate(), context.step(),
        exactBeta1(), exactBeta2(), exactEpsilon());
  }
}
