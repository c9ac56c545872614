package io.jeras.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code CosineSimilarity}: {@code -sum(l2_normalize(y) l2_normalize(p))} along
 * {@code axis} (Keras' default -1, the features), between -1 (same direction) and 1. Each vector
 * is normalized as Keras does, {@code x min(1 / sqrt(sum(x^2)), 1e7)}, so a zero vector gives 0.
 */
public final class CosineSimilarity implements Loss {
  public static final int DEFAULT_AXIS = -1;

  private final int axis;

  private CosineSimilarity(int axis) {
    this.axis = axis;
  }

  /** Keras' defaults: along the last axis. */
  public static CosineSimilarity defaults() {
    return new CosineSimilarity(DEFAULT_AXIS);
  }

  /** Along {@code axis} (negative counts from the end); the loss has the other axes. */
  public static CosineSimilarity axis(int axis) {
    return new CosineSimilarity(axis);
  }

  public int axis() {
    return axis;
  }

  @Override
  public String name() {
    return "cosine_similarity";
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred) {
    Operand<TFloat32> y = normalize(tf, yTrue);
    Operand<TFloat32> p = normalize(tf, yPred.values());
    return tf.math.neg(tf.reduceSum(tf.math.mul(y, p), tf.constant(axis)));
  }

  private Operand<TFloat32> normalize(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> squareSum = tf.reduceSum(tf.math.square(x), tf.constant(axis),
        ReduceSum.keepDims(true));
    Operand<TFloat32> inverseNorm = tf.math.minimum(tf.math.rsqrt(squareSum),
        tf.constant(1 / Losses.EPSILON));
    return tf.math.mul(x, inverseNorm);
  }
}
