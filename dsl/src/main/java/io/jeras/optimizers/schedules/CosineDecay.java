package io.jeras.optimizers.schedules;

import static com.google.common.base.Preconditions.checkArgument;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code CosineDecay} (SGDR without restarts): half a cosine from the rate {@code from}
 * down to {@code alpha * from} over {@code decaySteps}, then constant. With {@code
 * warmup(target, steps)}, first a linear rise from the initial rate to {@code target} over
 * {@code steps}, and the cosine starts from {@code target}; without, it starts from the
 * initial rate.
 *
 * <pre>{@code
 * CosineDecay.of(0.0, 9_000).warmup(0.1, 1_000)
 * }</pre>
 */
public record CosineDecay(double initialLearningRate, long decaySteps, double alpha,
    Double warmupTarget, long warmupSteps) implements LearningRateSchedule {

  public CosineDecay {
    checkArgument(decaySteps > 0, "Argument `decay_steps` must be > 0. Received: decay_steps=%s",
        decaySteps);
    checkArgument(warmupSteps >= 0, "warmup_steps must be >= 0, got %s", warmupSteps);
  }

  public static CosineDecay of(double initialLearningRate, long decaySteps) {
    return new CosineDecay(initialLearningRate, decaySteps, 0, null, 0);
  }

  /** The floor of the decay, as a fraction of the rate it decays from (default 0). */
  public CosineDecay alpha(double alpha) {
    return new CosineDecay(initialLearningRate, decaySteps, alpha, warmupTarget, warmupSteps);
  }

  /** A linear warm-up from the initial rate to {@code target} over {@code steps} steps. */
  public CosineDecay warmup(double target, long steps) {
    return new CosineDecay(initialLearningRate, decaySteps, alpha, target, steps);
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> step) {
    Operand<TFloat32> decay = tf.constant((float) decaySteps);
    if (warmupTarget == null) {
      return decayed(tf, tf.math.minimum(step, decay), decay, (float) initialLearningRate);
    }
    Operand<TFloat32> warmup = tf.constant((float) warmupSteps);
    Operand<TFloat32> clipped = tf.math.minimum(step, tf.math.add(decay, warmup));
    float initial = (float) initialLearningRate;
    float target = warmupTarget.floatValue();
    Operand<TFloat32> rising = tf.math.add(tf.math.mul(tf.constant(target - initial),
        tf.math.div(clipped, warmup)), tf.constant(initial));
    Operand<TFloat32> falling = decayed(tf, tf.math.sub(clipped, warmup), decay, target);
    return tf.select(tf.math.less(clipped, warmup), rising, falling);
  }

  private Operand<TFloat32> decayed(Ops tf, Operand<TFloat32> step, Operand<TFloat32> decay,
      float from) {
    Operand<TFloat32> fraction = tf.math.div(step, decay);
    Operand<TFloat32> cosine = tf.math.mul(tf.constant(0.5f), tf.math.add(tf.constant(1f),
        tf.math.cos(tf.math.mul(tf.constant((float) Math.PI), fraction))));
    Operand<TFloat32> scaled = tf.math.add(tf.math.mul(tf.constant((float) (1 - alpha)), cosine),
        tf.constant((float) alpha));
    return tf.math.mul(tf.constant(from), scaled);
  }
}
