package io.jeras.optimizers;

import io.jeras.bridge.UpdateRules;
import io.jeras.optimizers.schedules.LearningRateSchedule;
import java.util.Objects;
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
public final class Adam extends Optimizer {
  public static final float DEFAULT_LEARNING_RATE = 0.001f;
  public static final float DEFAULT_BETA_1 = 0.9f;
  public static final float DEFAULT_BETA_2 = 0.999f;
  public static final float DEFAULT_EPSILON = 1e-7f;

  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final boolean amsgrad;

  private Adam(float learningRate, LearningRateSchedule schedule, float beta1, float beta2,
      float epsilon, boolean amsgrad) {
    super(learningRate, schedule);
    checkRange("beta_1", beta1, 0, 1);
    checkRange("beta_2", beta2, 0, 1);
    checkRange("epsilon", epsilon, 0, Double.MAX_VALUE);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.amsgrad = amsgrad;
  }

  public static Adam defaults() {
    return new Adam(DEFAULT_LEARNING_RATE, null, DEFAULT_BETA_1, DEFAULT_BETA_2, DEFAULT_EPSILON,
        false);
  }

  public Adam learningRate(double learningRate) {
    return new Adam((float) learningRate, null, beta1, beta2, epsilon, amsgrad);
  }

  /** The learning rate following {@code schedule} (Keras: a {@code LearningRateSchedule}). */
  public Adam learningRate(LearningRateSchedule schedule) {
    return new Adam(Float.NaN, Objects.requireNonNull(schedule, "schedule"),
        beta1, beta2, epsilon, amsgrad);
  }

  public Adam beta1(double beta1) {
    return new Adam(learningRate(), learningRateSchedule(), (float) beta1, beta2, epsilon, amsgrad);
  }

  public Adam beta2(double beta2) {
    return new Adam(learningRate(), learningRateSchedule(), beta1, (float) beta2, epsilon, amsgrad);
  }

  public Adam epsilon(double epsilon) {
    return new Adam(learningRate(), learningRateSchedule(), beta1, beta2, (float) epsilon, amsgrad);
  }

  public Adam amsgrad(boolean amsgrad) {
    return new Adam(learningRate(), learningRateSchedule(), beta1, beta2, epsilon, amsgrad);
  }

  public float beta1() {
    return beta1;
  }

  public float beta2() {
    return beta2;
  }

  public float epsilon() {
    return epsilon;
  }

  public boolean amsgrad() {
    return amsgrad;
  }

  @Override
  public String name() {
    return "adam";
  }

  @Override
  public Op apply(OptimizerContext context, String weightName, Variable<TFloat32> weight,
      Operand<TFloat32> gradient) {
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
