package io.jeras.losses;

import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code BinaryCrossentropy} for 0/1 labels, mean over the last axis.
 *
 * <p>With label smoothing {@code s}, the labels are first squeezed towards 0.5:
 * {@code z = y (1 - s) + 0.5 s}. From logits (or from a sigmoid output, whose logits Keras uses
 * instead): {@code max(x, 0) - x z + log(1 + exp(-|x|))}. From probabilities: clipped to
 * {@code [1e-7, 1 - 1e-7]}, {@code -(z log p + (1 - z) log(1 - p))}.
 */
public final class BinaryCrossentropy implements Loss {
  private final boolean fromLogits;
  private final float labelSmoothing;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private BinaryCrossentropy(boolean fromLogits, float labelSmoothing) {
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
  }

  /** Keras' defaults: the prediction holds probabilities, no label smoothing. */
  public static BinaryCrossentropy defaults() {
    return new BinaryCrossentropy(false, 0f);
  }

  /** Whether the prediction holds logits rather than probabilities. */
  public BinaryCrossentropy fromLogits(boolean fromLogits) {
    return toBuilder().fromLogits(fromLogits).build();
  }

  /**
   * Keras' {@code label_smoothing} in {@code [0, 1]}: labels become {@code 1 - 0.5 s} for the
   * target class and {@code 0.5 s} for the other.
   */
  public BinaryCrossentropy labelSmoothing(double labelSmoothing) {
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
    return "binary_crossentropy";
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred) {
    Operand<TFloat32> z = Losses.smoothBinary(tf, yTrue, labelSmoothing);
    Operand<TFloat32> logits = fromLogits ? yPred.values() : yPred.logits();
    return Losses.meanLastAxis(tf, logits != null ? Losses.sigmoidCrossEntropy(tf, z, logits)
        : Losses.binaryCrossEntropy(tf, z, yPred.values()));
  }
}
