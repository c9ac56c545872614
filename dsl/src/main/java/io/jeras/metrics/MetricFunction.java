package io.jeras.metrics;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** Keras' per-sample metric functions ({@code keras.metrics.binary_accuracy}, ...). */
@FunctionalInterface
interface MetricFunction extends MeanMetric.Function {

  @Override
  Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred);

  /** Mean over the last axis of {@code y_true == (y_pred > threshold)}. */
  static MetricFunction binaryAccuracy(float threshold) {
    return (tf, yTrue, yPred) -> {
      Operand<TFloat32> predicted =
          tf.dtypes.cast(tf.math.greater(yPred, tf.constant(threshold)), TFloat32.class);
      return tf.math.mean(
          tf.dtypes.cast(tf.math.equal(yTrue, predicted), TFloat32.class), tf.constant(-1));
    };
  }

  /** {@code argmax(y_true) == argmax(y_pred)} over the last axis. */
  MetricFunction CATEGORICAL_ACCURACY = (tf, yTrue, yPred) -> tf.dtypes.cast(
      tf.math.equal(tf.math.argMax(yTrue, tf.constant(-1), TInt64.class),
          tf.math.argMax(yPred, tf.constant(-1), TInt64.class)),
      TFloat32.class);

  /** {@code y_true == argmax(y_pred)} for class indices {@code y_true} of shape (batch,). */
  MetricFunction SPARSE_CATEGORICAL_ACCURACY = (tf, yTrue, yPred) -> tf.dtypes.cast(
      tf.math.equal(yTrue,
          tf.dtypes.cast(tf.math.argMax(yPred, tf.constant(-1), TInt64.class), TFloat32.class)),
      TFloat32.class);

  /** Mean over the last axis of {@code (y_pred - y_true)^2}. */
  MetricFunction MEAN_SQUARED_ERROR = (tf, yTrue, yPred) ->
      tf.math.mean(tf.math.squaredDifference(yPred, yTrue), tf.constant(-1));

  /** Mean over the last axis of {@code |y_pred - y_true|}. */
  MetricFunction MEAN_ABSOLUTE_ERROR = (tf, yTrue, yPred) ->
      tf.math.mean(tf.math.abs(tf.math.sub(yPred, yTrue)), tf.constant(-1));
}
