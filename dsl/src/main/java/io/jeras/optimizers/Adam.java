package io.jeras.optimizers;

import io.jeras.bridge.UpdateRules;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Adam} at step {@code t}: {@code m += (g - m)(1 - beta1)},
 * {@code v += (g^2 - v)(1 - beta2)},
 * {@code w -= lr sqrt(1 - beta2^t) / (1 - beta1^t) m / (sqrt(v) + epsilon)}. Keras' defaults:
 * learning rate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7, no AMSGrad.
 *
 * <pre>{@code
 * Adam.defaults().learningRate(1e-4)
 * }</pre>
 */
public final class Adam extends TypedOptimizer<Adam> {
  public static final float DEFAULT_LEARNING_RATE = 0.001f;
  public static final double DEFAULT_BETA_1 = 0.9;
  public static final double DEFAULT_BETA_2 = 0.999;
  public static final double DEFAULT_EPSILON = 1e-7;

  private double beta1 = DEFAULT_BETA_1;
  private double beta2 = DEFAULT_BETA_2;
  private double epsilon = DEFAULT_EPSILON;
  private boolean amsgrad = false;

  private Adam() {
    super(DEFAULT_LEARNING_RATE, null);
  }

  /** Keras' defaults. */
  public static Adam defaults() {
    return new Adam();
  }

  /** Keras' {@code beta_1}. */
  public Adam beta1(double beta1) {
    checkRange("beta_1", beta1, 0, 1);
    return with((Adam copy) -> copy.beta1 = beta1);
  }

  /** Keras' {@code beta_2}. */
  public Adam beta2(double beta2) {
    checkRange("beta_2", beta2, 0, 1);
    return with((Adam copy) -> copy.beta2 = beta2);
  }

  /** Keras' {@code epsilon}. */
  public Adam epsilon(double epsilon) {
    checkRange("epsilon", epsilon, 0, Double.MAX_VALUE);
    return with((Adam copy) -> copy.epsilon = epsilon);
  }

  /** Keras' {@code amsgrad}. */
  public Adam amsgrad(boolean amsgrad) {
    return with((Adam copy) -> copy.amsgrad = amsgrad);
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

  @Override
  public String name() {
    return "adam";
  }

  @Override
  protected Op updateStep(OptimizerContext context, String weightName,
      Variable<TFloat32> weight, Operand<TFloat32> gradient) {
    return step(context, weightName, weight, gradient, beta1, beta2, epsilon, amsgrad);
  }

  /** Adam's step with Keras' slots; {@link AdamW} takes the same step after its decay. */
  static Op step(OptimizerContext context, String weightName, Variable<TFloat32> weight,
      Operand<TFloat32> gradient, double beta1, double beta2, double epsilon, boolean amsgrad) {
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
