package io.jeras.optimizers;

import io.jeras.bridge.UpdateRules;
import io.jeras.optimizers.schedules.LearningRateSchedule;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code RMSprop}: {@code v = rho v + (1 - rho) g^2}, {@code w -= lr g / sqrt(v + eps)}
 * (epsilon inside the square root), optionally centered and with momentum. Keras' defaults:
 * learning rate 0.001, rho 0.9, momentum 0, epsilon 1e-7, not centered.
 *
 * <pre>{@code
 * RMSprop.defaults().learningRate(1e-4)
 * }</pre>
 */
public final class RMSprop extends Optimizer {
  public static final float DEFAULT_LEARNING_RATE = 0.001f;
  public static final float DEFAULT_RHO = 0.9f;
  public static final float DEFAULT_EPSILON = 1e-7f;

  private final float rho;
  private final float momentum;
  private final float epsilon;
  private final boolean centered;

  private RMSprop(float learningRate, LearningRateSchedule schedule, float rho, float momentum,
      float epsilon, boolean centered) {
    super(learningRate, schedule);
    checkRange("rho", rho, 0, 1);
    checkRange("momentum", momentum, 0, 1);
    checkRange("epsilon", epsilon, 0, Double.MAX_VALUE);
    this.rho = rho;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.centered = centered;
  }

  public static RMSprop defaults() {
    return new RMSprop(DEFAULT_LEARNING_RATE, null, DEFAULT_RHO, 0, DEFAULT_EPSILON, false);
  }

  public RMSprop learningRate(double learningRate) {
    return new RMSprop((float) learningRate, null, rho, momentum, epsilon, centered);
  }

  /** The learning rate following {@code schedule} (Keras: a {@code LearningRateSchedule}). */
  public RMSprop learningRate(LearningRateSchedule schedule) {
    return new RMSprop(Float.NaN, Objects.requireNonNull(schedule, "schedule"),
        rho, momentum, epsilon, centered);
  }

  public RMSprop rho(double rho) {
    return new RMSprop(learningRate(), learningRateSchedule(),
        (float) rho, momentum, epsilon, centered);
  }

  public RMSprop momentum(double momentum) {
    return new RMSprop(learningRate(), learningRateSchedule(),
        rho, (float) momentum, epsilon, centered);
  }

  public RMSprop epsilon(double epsilon) {
    return new RMSprop(learningRate(), learningRateSchedule(),
        rho, momentum, (float) epsilon, centered);
  }

  public RMSprop centered(boolean centered) {
    return new RMSprop(learningRate(), learningRateSchedule(), rho, momentum, epsilon, centered);
  }

  public float rho() {
    return rho;
  }

  public float momentum() {
    return momentum;
  }

  public float epsilon() {
    return epsilon;
  }

  public boolean centered() {
    return centered;
  }

  @Override
  public String name() {
    return "rmsprop";
  }

  @Override
  public Op apply(OptimizerContext context, String weightName, Variable<TFloat32> weight,
      Operand<TFloat32> gradient) {
    return UpdateRules.rmsprop(context.tf(), weight, context.slot(weightName, "velocity"),
        context.slot(weightName, "momentum"),
        centered ? context.slot(weightName, "average_gradient") : null, gradient,
        context.learningRate(), rho, momentum, epsilon);
  }
}
