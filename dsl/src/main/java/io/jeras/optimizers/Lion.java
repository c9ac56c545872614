package io.jeras.optimizers;

import io.jeras.bridge.UpdateRules;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Lion} (Chen et al. 2023): {@code w -= lr sign(beta1 m + (1 - beta1) g)}, then
 * {@code m = beta2 m + (1 - beta2) g}. Keras' defaults: learning rate 0.001, beta1 0.9, beta2
 * 0.99; beta1 must be in (0, 1]. Slot {@code momentum}.
 *
 * <pre>{@code
 * Lion.defaults().learningRate(1e-4).weightDecay(0.1)
 * }</pre>
 */
public final class Lion extends TypedOptimizer<Lion> {
  public static final float DEFAULT_LEARNING_RATE = 0.001f;
  public static final double DEFAULT_BETA_1 = 0.9;
  public static final double DEFAULT_BETA_2 = 0.99;

  private double beta1 = DEFAULT_BETA_1;
  private double beta2 = DEFAULT_BETA_2;

  private Lion() {
    super(DEFAULT_LEARNING_RATE, null);
  }

  /** Keras' defaults. */
  public static Lion defaults() {
    return new Lion();
  }

  /** Keras' {@code beta_1}. */
  public Lion beta1(double beta1) {
    com.google.common.base.Preconditions.checkArgument(beta1 > 0 && beta1 <= 1,
        "Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer degenerates"
            + " to SignSGD. Received: beta_1=%s.", beta1);
    return with((Lion copy) -> copy.beta1 = beta1);
  }

  /** Keras' {@code beta_2}. */
  public Lion beta2(double beta2) {
    return with((Lion copy) -> copy.beta2 = beta2);
  }

  public float beta1() {
    return (float) beta1;
  }

  public float beta2() {
    return (float) beta2;
  }

  @Override
  public String name() {
    return "lion";
  }

  @Override
  protected Op updateStep(OptimizerContext context, String weightName,
      Variable<TFloat32> weight, Operand<TFloat32> gradient) {
    return UpdateRules.lion(context.tf(), weight, context.slot(weightName, "momentum"),
        gradient, context.learningRate(), beta1, beta2);
  }
}
