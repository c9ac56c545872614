package io.jeras.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code MeanAbsolutePercentageError}:
 * {@code 100 mean(|(y - p) / max(|y|, 1e-7)|)} over the last axis.
 */
public final class MeanAbsolutePercentageError implements Loss {

  @Override
  public String name() {
    return "mean_absolute_percentage_error";
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred) {
    Operand<TFloat32> diff = tf.math.abs(tf.math.div(tf.math.sub(yTrue, yPred.values()),
        tf.math.maximum(tf.math.abs(yTrue), tf.constant(Losses.EPSILON))));
    return tf.math.mul(tf.constant(100f), Losses.meanLastAxis(tf, diff));
  }
}
