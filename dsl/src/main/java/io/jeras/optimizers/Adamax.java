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
public final class Adamax extends TypedOptimizer<Adamax> {
  public static final float DEFAULT_LEARNING_RATE = 0.001f;
  public static final double DEFAULT_BETA_1 = 0.9;
  public static final double DEFAULT_BETA_2 = 0.999;
  public static final double DEFAULT_EPSILON = 1e-7;

  private double beta1 = DEFAULT_BETA_1;
  private double beta2 = DEFAULT_BETA_2;
  private double epsilon = DEFAULT_EPSILON;

  private Adamax() {
    super(DEFAULT_LEARNING_RATE, null);
  }

  /** Keras' defaults. */
  public static Adamax defaults() {
    return new Adamax();
  }

  /** Keras' {@code beta_1}. */
  public Adamax beta1(double beta1) {
    return with((Adamax copy) -> copy.beta1 = beta1);
  }

  /** Keras' {@code beta_2}. */
  public Adamax beta2(double beta2) {
    return with((Adamax copy) -> copy.beta2 = beta2);
  }

  /** Keras' {@code epsilon}. */
  public Adamax epsilon(double epsilon) {
    return with((Adamax copy) -> copy.epsilon = epsilon);
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

  @Override
  public String name() {
    return "adamax";
  }

  @Override
  protected Op updateStep(OptimizerContext context, String weightName,
      Variable<TFloat32> weight, Operand<TFloat32> gradient) {
    return UpdateRules.adamax(context.tf(), weight, context.slot(weightName, "momentum"),
        context.slot(weightName, "norm"), gradient, context.learningRate(), context.step(),
        beta1, beta2, epsilon);
  }
}
