package io.jeras.trainers;

import io.jeras.losses.Reduction;
import io.jeras.utils.Reductions;
import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' reduction of per-sample losses to the scalar that is minimized: each sample's losses
 * times its {@code sample_weight} (when the graph has them), then summed and divided as the
 * loss's {@link Reduction} says.
 *
 * @param sampleWeights one weight per sample, shape {@code (batch,)}; null in a graph without
 *     them (a training step of one's own), where every sample weighs 1
 */
record WeightedLosses(Operand<TFloat32> sampleWeights) {

  /**
   * Keras' {@code reduce_values} of the weighted losses: their sum, divided by their number
   * (the default), by the sum of the sample weights ({@code mean_with_sample_weight}; 0 when
   * that is 0), or not at all ({@code sum}).
   */
  Operand<TFloat32> reduce(Ops tf, Reduction reduction, Operand<TFloat32> losses) {
    Operand<TFloat32> weighted = sampleWeights == null ? losses
        : tf.math.mul(losses, weightsLike(tf, losses));
    return switch (reduction) {
      case SUM_OVER_BATCH_SIZE, MEAN -> meanOf(tf, weighted);
      case SUM -> tf.reduceSum(weighted, Reductions.allAxes(tf, weighted));
      case MEAN_WITH_SAMPLE_WEIGHT -> tf.math.divNoNan(
          tf.reduceSum(weighted, Reductions.allAxes(tf, weighted)),
          tf.reduceSum(tf.math.mul(ones(tf, weighted), weightsLike(tf, weighted)),
              Reductions.allAxes(tf, weighted)));
    };
  }

  /**
   * The sample weights shaped to broadcast over {@code losses}: {@code (batch, 1, ...)}; ones
   * in a graph without them.
   */
  private Operand<TFloat32> weightsLike(Ops tf, Operand<TFloat32> losses) {
    if (sampleWeights == null) {
      return ones(tf, losses);
    }
    int rank = losses.shape().numDimensions();
    if (rank <= 1) {
      return sampleWeights;
    }
    long[] shape = new long[rank];
    Arrays.fill(shape, 1);
    shape[0] = -1;
    return tf.reshape(sampleWeights, tf.constant(shape));
  }

  /**
   * Ones of the shape of {@code x}, as {@code stop_gradient(x) * 0 + 1}: TensorFlow's C++
   * gradient registry has no gradient for OnesLike, which the gradients would pass through.
   */
  private static Operand<TFloat32> ones(Ops tf, Operand<TFloat32> x) {
    return tf.math.add(tf.math.mul(tf.stopGradient(x), tf.constant(0f)), tf.constant(1f));
  }

  /** The mean of all of {@code values}. */
  static Operand<TFloat32> meanOf(Ops tf, Operand<TFloat32> values) {
    return tf.math.mean(values, Reductions.allAxes(tf, values));
  }
}
