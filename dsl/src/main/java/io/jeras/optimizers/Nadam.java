package io.jeras.optimizers;

import io.jeras.bridge.UpdateRules;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Nadam} (Adam with Nesterov momentum, Dozat 2015): with the momentum schedule
 * {@code u_t = beta1 (1 - 0.5 * 0.96^t)} and {@code u_product} their running product (a scalar
 * optimizer variable, {@code nadam/u_product}, updated once per step),
 * {@code m += (g - m)(1 - beta1)}, {@code v += (g^2 - v)(1 - beta2)},
 * {@code w -= lr (u_{t+1} m / (1 - u_product u_{t+1}) + (1 - u_t) g / (1 - u_product))
 * / (sqrt(v / (1 - beta2^t)) + epsilon)}. Keras' defaults: learning rate 0.001, beta1 0.9,
 * beta2 0.999, epsilon 1e-7. Slots {@code momentum}, {@code velocity}.
 *
 * <pre>{@code
 * Nadam.defaults().learningRate(2e-3)
 * }</pre>
 */
public final class Nadam extends MomentOptimizer<Nadam> {
  private Nadam() {}

  /** Keras' defaults. */
  public static Nadam defaults() {
    return new Nadam();
  }

  @Override
  public String name() {
    return "nadam";
  }

  @Override
  protected Op updateStep(OptimizerContext context, String weightName,
      Variable<TFloat32> weight, Operand<TFloat32> gradient) {
    Operand<TFloat32> uProduct = context.stepScalar("u_product", 1f,
        (tf, previous) -> tf.math.mul(previous,
            UpdateRules.nadamU(tf, tf.constant((float) exactBeta1()), context.step())));
    return UpdateRules.nadam(context.tf(), weight, context.slot(weightName, "momentum"),
        context.slot(weightName, "velocity"), gradient, context.learningRate(), context.step(),
        uProduct, exactBeta1(), exactBeta2(), exactEpsilon());
  }
}
