package io.jeras.optimizers;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code AdamW}: {@link Adam} with decoupled weight decay on by default
 * ({@code w -= w * weight_decay * lr} before each Adam step). Keras' defaults: learning rate
 * 0.001, weight decay 0.004, beta1 0.9, beta2 0.999, epsilon 1e-7, no AMSGrad. Slots
 * {@code momentum}, {@code velocity} (and {@code velocity_hat} with AMSGrad).
 *
 * <pre>{@code
 * AdamW.defaults().learningRate(1e-3).weightDecay(0.01)
 * }</pre>
 */
public final class AdamW extends TypedOptimizer<AdamW> {
  public static final float DEFAULT_LEARNING_RATE = 0.001f;
  public static final double DEFAULT_WEIGHT_DECAY = 0.004;
  public static final double DEFAULT_BETA_1 = 0.9;
  public static final double DEFAULT_BETA_2 = 0.999;
  public static final double DEFAULT_EPSILON = 1e-7;

  private double beta1 = DEFAULT_BETA_1;
  private double beta2 = DEFAULT_BETA_2;
  private double epsilon = DEFAULT_EPSILON;
  private boolean amsgrad = false;

  private AdamW() {
    super(DEFAULT_LEARNING_RATE, null);
  }

  /** Keras' defaults. */
  public static AdamW defaults() {
    return new AdamW().weightDecay(DEFAULT_WEIGHT_DECAY);
  }

  /** Keras' {@code beta_1}. */
  public AdamW beta1(double beta1) {
    checkRange("beta_1", beta1, 0, 1);
    return with((AdamW copy) -> copy.beta1 = beta1);
  }

  /** Keras' {@code beta_2}. */
  public AdamW beta2(double beta2) {
    checkRange("beta_2", beta2, 0, 1);
    return with((AdamW copy) -> copy.beta2 = beta2);
  }

  /** Keras' {@code epsilon}. */
  public AdamW epsilon(double epsilon) {
    checkRange("epsilon", epsilon, 0, Double.MAX_VALUE);
    return with((AdamW copy) -> copy.epsilon = epsilon);
  }

  /** Keras' {@code amsgrad}. */
  public AdamW amsgrad(boolean amsgrad) {
    return with((AdamW copy) -> copy.amsgrad = amsgrad);
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
    return "adamw";
  }

  @Override
  protected Op updateStep(OptimizerContext context, String weightName,
      Variable<TFloat32> weight, Operand<TFloat32> gradient) {
    return Adam.step(context, weightName, weight, gradient, beta1, beta2, epsilon, amsgrad);
  }
}
