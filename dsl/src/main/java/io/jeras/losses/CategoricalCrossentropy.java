package io.jeras.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code CategoricalCrossentropy} for one-hot labels.
 *
 * <p>From logits (or from a softmax output, whose logits Keras uses instead): softmax
 * cross-entropy. From probabilities: renormalized to sum 1, clipped to {@code [1e-7, 1 - 1e-7]},
 * {@code -sum(y log p)} over the last axis.
 */
public final class CategoricalCrossentropy implements Loss {
  private final boolean fromLogits;

  private CategoricalCrossentropy(boolean fromLogits) {
    this.fromLogits = fromLogits;
  }

  /** Keras' defaults: the prediction holds probabilities. */
  public static CategoricalCrossentropy defaults() {
    return new CategoricalCrossentropy(false);
  }

  public CategoricalCrossentropy fromLogits(boolean fromLogits) {
    return new CategoricalCrossentropy(fromLogits);
  }

  public boolean fromLogits() {
    return fromLogits;
  }

  @Override
  public String name() {
    return "categorical_crossentropy";
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred) {
    return crossentropy(tf, yTrue, yPred, fromLogits);
  }

  /** Cross-entropy of one-hot labels, shared with the sparse form. */
  static Operand<TFloat32> crossentropy(Ops tf, Operand<TFloat32> oneHot, Prediction yPred,
      boolean fromLogits) {
    Operand<TFloat32> logits = fromLogits ? yPred.values() : yPred.logits();
    if (logits != null) {
      return Losses.softmaxCrossEntropy(tf, oneHot, logits);
    }
    Operand<TFloat32> p = yPred.values();
    p = tf.math.div(p, tf.reduceSum(p, tf.constant(-1), org.tensorflow.op.core.ReduceSum.keepDims(true)));
    p = Losses.clip(tf, p);
    return tf.math.neg(Losses.sumLastAxis(tf, tf.math.mul(oneHot, tf.math.log(p))));
  }
}
