package io.jeras.losses;

import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code CategoricalCrossentropy} for one-hot labels.
 *
 * <p>With label smoothing {@code s} over {@code K} classes, the labels are first relaxed:
 * {@code y (1 - s) + s / K}. From logits (or from a softmax output, whose logits Keras uses
 * instead): softmax cross-entropy. From probabilities: renormalized to sum 1, clipped to
 * {@code [1e-7, 1 - 1e-7]}, {@code -sum(y log p)} over the last axis.
 */
public final class CategoricalCrossentropy implements Loss {
  private final boolean fromLogits;
  private final float labelSmoothing;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private CategoricalCrossentropy(boolean fromLogits, float labelSmoothing) {
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
  }

  /** Keras' defaults: the prediction holds probabilities, no label smoothing. */
  public static CategoricalCrossentropy defaults() {
    return new CategoricalCrossentropy(false, 0f);
  }

  public CategoricalCrossentropy fromLogits(boolean fromLogits) {
    return toBuilder().fromLogits(fromLogits).build();
  }

  /**
   * Keras' {@code label_smoothing} in {@code [0, 1]}: with 0.1 and {@code K} classes, labels
   * become {@code 0.9 + 0.1 / K} for the target class and {@code 0.1 / K} for the others.
   */
  public CategoricalCrossentropy labelSmoothing(double labelSmoothing) {
    return toBuilder().labelSmoothing((float) labelSmoothing).build();
  }

  public boolean fromLogits() {
    return fromLogits;
  }

  public float labelSmoothing() {
    return labelSmoothing;
  }

  @Override
  public String name() {
    return "categorical_crossentropy";
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred) {
    return crossentropy(tf, Losses.smoothCategorical(tf, yTrue, labelSmoothing), yPred,
        fromLogits);
  }

  /** Cross-entropy of one-hot labels, shared with the sparse form. */
  static Operand<TFloat32> crossentropy(Ops tf, Operand<TFloat32> oneHot, Prediction yPred,
      boolean fromLogits) {
    Operand<TFloat32> logits = fromLogits ? yPred.values() : yPred.logits();
    if (logits != null) {
      return Losses.softmaxCrossEntropy(tf, oneHot, logits);
    }
    Operand<TFloat32> p = Losses.clip(tf, Losses.normalizeSum(tf, yPred.values()));
    return tf.math.neg(Losses.sumLastAxis(tf, tf.math.mul(oneHot, tf.math.log(p))));
  }
}
