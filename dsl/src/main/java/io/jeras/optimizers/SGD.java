package io.jeras.optimizers;

import io.jeras.bridge.UpdateRules;
import io.jeras.optimizers.schedules.LearningRateSchedule;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code SGD}: {@code w -= lr * g}; with momentum {@code m = momentum * m - lr * g},
 * {@code w += m}; with Nesterov {@code w += momentum * m - lr * g}. Keras' defaults: learning
 * rate 0.01, momentum 0, no Nesterov.
 *
 * <pre>{@code
 * SGD.defaults().learningRate(0.1).momentum(0.9).nesterov(true)
 * }</pre>
 */
public final class SGD extends Optimizer {
  public static final float DEFAULT_LEARNING_RATE = 0.01f;

  private final float momentum;
  private final boolean nesterov;

  private SGD(float learningRate, LearningRateSchedule schedule, float momentum, boolean nesterov) {
    super(learningRate, schedule);
    checkRange("momentum", momentum, 0, 1);
    this.momentum = momentum;
    this.nesterov = nesterov;
  }

  public static SGD defaults() {
    return new SGD(DEFAULT_LEARNING_RATE, null, 0, false);
  }

  public SGD learningRate(double learningRate) {
    return new SGD((float) learningRate, null, momentum, nesterov);
  }

  /** The learning rate following {@code schedule} (Keras: a {@code LearningRateSchedule}). */
  public SGD learningRate(LearningRateSchedule schedule) {
    return new SGD(Float.NaN, Objects.requireNonNull(schedule, "schedule"), momentum, nesterov);
  }

  public SGD momentum(double momentum) {
    return new SGD(learningRate(), learningRateSchedule(), (float) momentum, nesterov);
  }

  public SGD nesterov(boolean nesterov) {
    return new SGD(learningRate(), learningRateSchedule(), momentum, nesterov);
  }

  public float momentum() {
    return momentum;
  }

  public boolean nesterov() {
    return nesterov;
  }

  @Override
  public String name() {
    return "sgd";
  }

  @Override
  public Op apply(OptimizerContext context, String weightName, Variable<TFloat32> weight,
      Operand<TFloat32> gradient) {
    if (momentum == 0) {
      return UpdateRules.gradientDescent(context.tf(), weight, gradient, context.learningRate());
    }
    return UpdateRules.momentum(context.tf(), weight, context.slot(weightName, "momentum"),
        gradient, context.learningRate(), momentum, nesterov);
  }
}
