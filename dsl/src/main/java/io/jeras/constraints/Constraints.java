package io.jeras.constraints;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.utils.Reductions;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The constraints of {@code keras.constraints}, with Keras' defaults and formulas (norms over
 * {@code axis}, default 0: each output unit's incoming weights; epsilon 1e-7).
 *
 * <pre>{@code
 * Dense.of(64).kernelConstraint(Constraints.maxNorm(3))
 * }</pre>
 */
public final class Constraints {
  private static final float EPSILON = 1e-7f;

  private Constraints() {}

  /** Keras' {@code MaxNorm(max_value=2, axis=0)}: rescales columns whose norm exceeds it. */
  public static Constraint maxNorm(double maxValue) {
    return maxNorm(maxValue, 0);
  }

  public static Constraint maxNorm(double maxValue, int axis) {
    checkArgument(maxValue > 0, "max_value must be positive, got %s", maxValue);
    return (tf, w) -> {
      Operand<TFloat32> norms = norms(tf, w, axis);
      Operand<TFloat32> desired = tf.clipByValue(norms, tf.constant(0f),
          tf.constant((float) maxValue));
      return tf.math.mul(w, tf.math.div(desired, tf.math.add(tf.constant(EPSILON), norms)));
    };
  }

  /** Keras' {@code NonNeg}: negative weights become zero. */
  public static Constraint nonNeg() {
    return (tf, w) -> tf.math.mul(w, tf.dtypes.cast(tf.math.greaterEqual(w, tf.constant(0f)),
        TFloat32.class));
  }

  /** Keras' {@code UnitNorm(axis=0)}: every column scaled to norm 1. */
  public static Constraint unitNorm() {
    return unitNorm(0);
  }

  public static Constraint unitNorm(int axis) {
    return (tf, w) -> tf.math.div(w, tf.math.add(tf.constant(EPSILON), norms(tf, w, axis)));
  }

  /** Keras' {@code MinMaxNorm(min_value=0, max_value=1, rate=1, axis=0)}. */
  public static Constraint minMaxNorm(double minValue, double maxValue, double rate, int axis) {
    checkArgument(minValue <= maxValue, "min_value %s > max_value %s", minValue, maxValue);
    return (tf, w) -> {
      Operand<TFloat32> norms = norms(tf, w, axis);
      Operand<TFloat32> clipped = tf.clipByValue(norms, tf.constant((float) minValue),
          tf.constant((float) maxValue));
      Operand<TFloat32> desired = tf.math.add(tf.math.mul(tf.constant((float) rate), clipped),
          tf.math.mul(tf.constant((float) (1 - rate)), norms));
      return tf.math.mul(w, tf.math.div(desired, tf.math.add(tf.constant(EPSILON), norms)));
    };
  }

  private static Operand<TFloat32> norms(Ops tf, Operand<TFloat32> w, int axis) {
    int rank = w.shape().numDimensions();
    Operand<TInt32> axes = rank == 0 ? Reductions.allAxes(tf, w)
        : tf.constant(new int[] {axis < 0 ? axis + rank : axis});
    return tf.math.sqrt(tf.reduceSum(tf.math.square(w), axes, ReduceSum.keepDims(true)));
  }
}
