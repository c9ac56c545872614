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
 * {@code axis}, default 0: each output unit's incoming weights; epsilon 1e-7). Each is a record
 * holding Keras' arguments, so a model's constraints can be written back to a Keras file.
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

  /** {@code MaxNorm} with norms over {@code axes} (Keras 2 files use {@code [0, 1, 2]}). */
  public static Constraint maxNorm(double maxValue, int... axes) {
    return new MaxNorm(maxValue, axes);
  }

  /** Keras' {@code NonNeg}: negative weights become zero. */
  public static Constraint nonNeg() {
    return new NonNeg();
  }

  /** Keras' {@code UnitNorm(axis=0)}: every column scaled to norm 1. */
  public static Constraint unitNorm() {
    return unitNorm(0);
  }

  public static Constraint unitNorm(int... axes) {
    return new UnitNorm(axes);
  }

  /** Keras' {@code MinMaxNorm(min_value=0, max_value=1, rate=1, axis=0)}. */
  public static Constraint minMaxNorm(double minValue, double maxValue, double rate,
      int... axes) {
    return new MinMaxNorm(minValue, maxValue, rate, axes);
  }

  /** Keras' {@code MaxNorm}. */
  public record MaxNorm(double maxValue, int... axes) implements Constraint {
    public MaxNorm {
      checkArgument(maxValue > 0, "max_value must be positive, got %s", maxValue);
      checkArgument(axes.length > 0, "MaxNorm needs at least one axis");
      axes = axes.clone();
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> w) {
      Operand<TFloat32> norms = norms(tf, w, axes);
      Operand<TFloat32> desired = tf.clipByValue(norms, tf.constant(0f),
          tf.constant((float) maxValue));
      return tf.math.mul(w, tf.math.div(desired, tf.math.add(tf.constant(EPSILON), norms)));
    }
  }

  /** Keras' {@code NonNeg}. */
  public record NonNeg() implements Constraint {
    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> w) {
      return tf.math.mul(w, tf.dtypes.cast(tf.math.greaterEqual(w, tf.constant(0f)),
          TFloat32.class));
    }
  }

  /** Keras' {@code UnitNorm}. */
  public record UnitNorm(int... axes) implements Constraint {
    public UnitNorm {
      checkArgument(axes.length > 0, "UnitNorm needs at least one axis");
      axes = axes.clone();
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> w) {
      return tf.math.div(w, tf.math.add(tf.constant(EPSILON), norms(tf, w, axes)));
    }
  }

  /** Keras' {@code MinMaxNorm}. */
  public record MinMaxNorm(double minValue, double maxValue, double rate, int... axes)
      implements Constraint {
    public MinMaxNorm {
      checkArgument(minValue <= maxValue, "min_value %s > max_value %s", minValue, maxValue);
      checkArgument(axes.length > 0, "MinMaxNorm needs at least one axis");
      axes = axes.clone();
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> w) {
      Operand<TFloat32> norms = norms(tf, w, axes);
      Operand<TFloat32> clipped = tf.clipByValue(norms, tf.constant((float) minValue),
          tf.constant((float) maxValue));
      Operand<TFloat32> desired = tf.math.add(tf.math.mul(tf.constant((float) rate), clipped),
          tf.math.mul(tf.constant((float) (1 - rate)), norms));
      return tf.math.mul(w, tf.math.div(desired, tf.math.add(tf.constant(EPSILON), norms)));
    }
  }

  private static Operand<TFloat32> norms(Ops tf, Operand<TFloat32> w, int[] axes) {
    int rank = w.shape().numDimensions();
    Operand<TInt32> reduced;
    if (rank == 0) {
      reduced = Reductions.allAxes(tf, w);
    } else {
      int[] resolved = new int[axes.length];
      for (int i = 0; i < axes.length; i++) {
        resolved[i] = axes[i] < 0 ? axes[i] + rank : axes[i];
      }
      reduced = tf.constant(resolved);
    }
    return tf.math.sqrt(tf.reduceSum(tf.math.square(w), reduced, ReduceSum.keepDims(true)));
  }
}
