package io.jeras.metrics;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code update_confusion_matrix_variables} as one batch's counts: every prediction
 * (flattened; with a class id, that class's column only) is positive at a threshold when it is
 * greater than it, every label is positive when not zero; the result holds, for each threshold
 * in order, the true positives, then the false positives, the true negatives and the false
 * negatives ({@code 4 * thresholds} values).
 */
final class ConfusionCounts {
  private ConfusionCounts() {}

  static Operand<TFloat32> of(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred,
      float[] thresholds, Integer classId) {
    return of(tf, yTrue, yPred, thresholds, classId, null);
  }

  /**
   * The counts with each sample's predictions counted {@code sampleWeight} times (its weight
   * broadcast over the sample's values, as Keras does); null: once.
   */
  static Operand<TFloat32> of(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred,
      float[] thresholds, Integer classId, Operand<TFloat32> sampleWeight) {
    Operand<TFloat32> labels = yTrue;
    Operand<TFloat32> predictions = yPred;
    if (classId != null) {
      labels = column(tf, labels, classId);
      predictions = column(tf, predictions, classId);
    }
    Operand<TFloat32> p = tf.reshape(predictions, tf.constant(new long[] {1, -1}));
    Operand<TBool> actual = tf.math.notEqual(
        tf.reshape(labels, tf.constant(new long[] {1, -1})), tf.constant(0f));
    Operand<TBool> predicted = tf.math.greater(p,
        tf.reshape(tf.constant(thresholds), tf.constant(new long[] {-1, 1})));
    Operand<TBool> notActual = tf.math.logicalNot(actual);
    Operand<TBool> notPredicted = tf.math.logicalNot(predicted);
    Operand<TFloat32> weights = sampleWeight == null ? null
        : tf.reshape(tf.broadcastTo(Metric.perSample(tf, sampleWeight,
            predictions.shape().numDimensions()), tf.shape(predictions)),
            tf.constant(new long[] {1, -1}));
    return tf.concat(List.of(
        count(tf, tf.math.logicalAnd(predicted, actual), weights),
        count(tf, tf.math.logicalAnd(predicted, notActual), weights),
        count(tf, tf.math.logicalAnd(notPredicted, notActual), weights),
        count(tf, tf.math.logicalAnd(notPredicted, actual), weights)), tf.constant(0));
  }

  /** Column {@code classId} of the last axis. */
  private static Operand<TFloat32> column(Ops tf, Operand<TFloat32> values, int classId) {
    return tf.gather(values, tf.constant(classId), tf.constant(-1));
  }

  /** Per threshold (row), the number (or with weights, the weight) of true entries. */
  private static Operand<TFloat32> count(Ops tf, Operand<TBool> condition,
      Operand<TFloat32> weights) {
    Operand<TFloat32> ones = tf.dtypes.cast(condition, TFloat32.class);
    return tf.reduceSum(weights == null ? ones : tf.math.mul(ones, weights), tf.constant(1));
  }
}
