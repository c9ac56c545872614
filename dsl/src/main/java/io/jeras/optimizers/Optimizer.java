package io.jeras.optimizers;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.optimizers.schedules.LearningRateSchedule;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A Keras optimizer: hyperparameters and the update rule it emits for each trainable weight.
 *
 * <p>The model's graph holds the learning rate as a variable (or, with a {@link
 * LearningRateSchedule}, computes it from the step), an {@code iteration} counter (int64,
 * incremented after every step) and each optimizer's slots; the update ops run only
 * after every gradient has been computed, so a step is the same however TensorFlow schedules it.
 */
public abstract class Optimizer {
  private final float learningRate;
  private final LearningRateSchedule schedule;

  /** A constant {@code learningRate}, or with a {@code schedule} (non-null) that instead. */
  protected Optimizer(float learningRate, LearningRateSchedule schedule) {
    checkArgument(schedule != null || learningRate >= 0 && Float.isFinite(learningRate),
        "Argument `learning_rate` must be a non-negative number. Received: learning_rate=%s",
        learningRate);
    this.learningRate = schedule != null ? Float.NaN : learningRate;
    this.schedule = schedule;
  }

  /** Keras' name of this optimizer ({@code "adam"}); its variables live under this scope. */
  public abstract String name();

  /** The initial learning rate; NaN when the rate follows a {@link #learningRateSchedule}. */
  public float learningRate() {
    return learningRate;
  }

  /** The schedule the learning rate follows, or null for a constant (settable) rate. */
  public LearningRateSchedule learningRateSchedule() {
    return schedule;
  }

  /** Emits one update of {@code weight} (named {@code weightName}) by its gradient. */
  public abstract Op apply(OptimizerContext context, String weightName, Variable<TFloat32> weight,
      Operand<TFloat32> gradient);

  /** The optimizer Keras calls {@code name}, with its defaults. */
  public static Optimizer of(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "adam" -> Adam.defaults();
      case "sgd" -> SGD.defaults();
      case "rmsprop" -> RMSprop.defaults();
      default -> throw new IllegalArgumentException(
          "Unknown optimizer \"" + name + "\"; expected one of adam, sgd, rmsprop");
    };
  }

  static void checkRange(String argument, double value, double min, double max) {
    checkArgument(value >= min && value <= max,
        "Argument `%s` must be in [%s, %s]. Received: %s=%s", argument, min, max, argument, value);
  }
}
