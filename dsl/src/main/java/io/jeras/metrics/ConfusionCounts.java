package io.jeras.metrics;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' {@code update_confusion_matrix_variables} as one batch's counts: every prediction
 * (flattened; with a class id, that class's column only) is positive at a threshold when it is
 * greater than it, every label is positive when not zero; the result holds, for each threshold
 * in order, the true positives, then the false positives, the true negatives and the false
 * negatives ({@code 4 * thresholds} values). With {@code top_k}, only each sample's k highest
 * predictions can be positive; with weights, each prediction counts its weight.
 */
final class ConfusionCounts {
  /** Keras' {@code NEG_INF}, what predictions outside the top k become. */
  private static final float NEG_INF = -1e10f;

  private ConfusionCounts() {}

  static Operand<TFloat32> of(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred,
      float[] thresholds, Integer classId) {
    return of(tf, yTrue, yPred, thresholds, classId, null, null);
  }

  /**
   * The counts with only each sample's {@code topK} highest predictions kept (null: all), each
   * prediction counted {@code weights} times: weights broadcastable to {@code yPred}'s shape
   * (null: once).
   */
  static Operand<TFloat32> of(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred,
      float[] thresholds, Integer classId, Integer topK, Operand<TFloat32> weights) {
    Operand<TFloat32> labels = yTrue;
    Operand<TFloat32> predictions = topK == null ? yPred : filterTopK(tf, yPred, topK);
    Operand<TFloat32> weighting = weights == null ? null
        : tf.broadcastTo(weights, tf.shape(predictions));
    if (classId != null) {
      labels = column(tf, labels, classId);
      predictions = column(tf, predictions, classId);
      weighting = weighting == null ? null : column(tf, weighting, classId);
    }
    Operand<TFloat32> p = tf.reshape(predictions, tf.constant(new long[] {1, -1}));
    Operand<TBool> actual = tf.math.notEqual(
        tf.reshape(labels, tf.constant(new long[] {1, -1})), tf.constant(0f));
    Operand<TBool> predicted = tf.math.greater(p,
        tf.reshape(tf.constant(thresholds), tf.constant(new long[] {-1, 1})));
    Operand<TBool> notActual = tf.math.logicalNot(actual);
    Operand<TBool> notPredicted = tf.math.logicalNot(predicted);
    Operand<TFloat32> flatWeights = weighting == null ? null
        : tf.reshape(weighting, tf.constant(new long[] {1, -1}));
    return tf.concat(List.of(
        count(tf, tf.math.logicalAnd(predicted, actual), flatWeights),
        count(tf, tf.math.logicalAnd(predicted, notActual), flatWeights),
        count(tf, tf.math.logicalAnd(notPredicted, notActual), flatWeights),
        count(tf, tf.math.logicalAnd(notPredicted, actual), flatWeights)), tf.constant(0));
  }

  /** Keras' {@code _filter_top_k}: values outside each row's k highest become NEG_INF. */
  private static Operand<TFloat32> filterTopK(Ops tf, Operand<TFloat32> x, int k) {
    long depth = x.shape().get(x.shape().numDimensions() - 1);
    Operand<TInt32> indices = tf.nn.topK(x, tf.constant(k), TInt32.class).indices();
    Operand<TFloat32> mask = tf.reduceSum(tf.oneHot(indices, tf.constant((int) depth),
        tf.constant(1f), tf.constant(0f)), tf.constant(-2));
    return tf.math.add(tf.math.mul(x, mask),
        tf.math.mul(tf.constant(NEG_INF), tf.math.sub(tf.constant(1f), mask)));
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
