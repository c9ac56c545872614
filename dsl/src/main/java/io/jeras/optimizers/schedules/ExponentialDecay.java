package io.jeras.optimizers.schedules;

import static com.google.common.base.Preconditions.checkArgument;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code ExponentialDecay}: {@code initial * decayRate ^ (step / decaySteps)}, the
 * exponent floored with {@code staircase(true)}.
 *
 * <pre>{@code
 * ExponentialDecay.of(0.1, 10_000, 0.96).staircase(true)
 * }</pre>
 */
public record ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate,
    boolean staircase) implements LearningRateSchedule {

  public ExponentialDecay {
    checkArgument(decaySteps > 0, "Argument `decay_steps` must be > 0. Received: decay_steps=%s",
        decaySteps);
  }

  public static ExponentialDecay of(double initialLearningRate, long decaySteps,
      double decayRate) {
    return new ExponentialDecay(initialLearningRate, decaySteps, decayRate, false);
  }

  public ExponentialDecay staircase(boolean staircase) {
    return new ExponentialDecay(initialLearningRate, decaySteps, decayRate, staircase);
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> step) {
    Operand<TFloat32> p = tf.math.div(step, tf.constant((float) decaySteps));
    if (staircase) {
      p = tf.math.floor(p);
    }
    return tf.math.mul(tf.constant((float) initialLearningRate),
        tf.math.pow(tf.constant((float) decayRate), p));
  }
}
