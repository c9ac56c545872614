package io.jeras.utils;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;

/** Axis lists for reductions, built as constants from the static rank. */
public final class Reductions {
  private Reductions() {}

  /**
   * Every axis of {@code x} as a constant. The rank must be static: a {@code Range} over
   * {@code Rank(x)} would put an op without a gradient between a weight and the loss, which
   * crashes TensorFlow's C++ gradient builder.
   */
  public static Operand<TInt32> allAxes(Ops tf, Operand<?> x) {
    int rank = x.shape().numDimensions();
    if (rank < 0) {
      throw new IllegalArgumentException("cannot reduce a tensor of unknown rank");
    }
    int[] axes = new int[rank];
    for (int i = 0; i < rank; i++) {
      axes[i] = i;
    }
    return tf.constant(axes);
  }
}
