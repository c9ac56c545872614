package io.jeras.optimizers.schedules;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code PiecewiseConstantDecay}: {@code values[0]} while {@code step <= boundaries[0]},
 * {@code values[i]} while {@code boundaries[i-1] < step <= boundaries[i]}, the last value after
 * the last boundary.
 *
 * <pre>{@code
 * PiecewiseConstantDecay.of(new long[] {100_000, 110_000}, new double[] {1.0, 0.5, 0.1})
 * }</pre>
 */
public record PiecewiseConstantDecay(long[] boundaries, double[] values)
    implements LearningRateSchedule {

  public PiecewiseConstantDecay {
    checkArgument(boundaries.length > 0 && values.length == boundaries.length + 1,
        "The length of boundaries should be 1 less than the length of values. Received:"
            + " boundaries=%s of length %s, and values=%s of length %s",
        Arrays.toString(boundaries), boundaries.length, Arrays.toString(values), values.length);
    boundaries = boundaries.clone();
    values = values.clone();
  }

  public static PiecewiseConstantDecay of(long[] boundaries, double[] values) {
    return new PiecewiseConstantDecay(boundaries, values);
  }

  @Override
  public long[] boundaries() {
    return boundaries.clone();
  }

  @Override
  public double[] values() {
    return values.clone();
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> step) {
    // values[i] times (1 where step <= boundaries[i]) - (1 where step <= boundaries[i - 1]),
    // with 0 before the first boundary and 1 after the last
    Operand<TFloat32> previous = tf.constant(0f);
    Operand<TFloat32> rate = null;
    for (int i = 0; i < values.length; i++) {
      Operand<TFloat32> upTo = i < boundaries.length ? below(tf, step, boundaries[i])
          : tf.constant(1f);
      Operand<TFloat32> term = tf.math.mul(tf.math.sub(upTo, previous),
          tf.constant((float) values[i]));
      rate = rate == null ? term : tf.math.add(rate, term);
      previous = upTo;
    }
    return rate;
  }

  /** 1 where {@code step <= boundary}, else 0. */
  private static Operand<TFloat32> below(Ops tf, Operand<TFloat32> step, long boundary) {
    return tf.dtypes.cast(tf.math.lessEqual(step, tf.constant((float) boundary)),
        TFloat32.class);
  }
}
