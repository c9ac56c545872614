package io.jeras.losses;

import io.jeras.utils.Shapes;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code SparseCategoricalCrossentropy}: categorical cross-entropy with one class index
 * per sample instead of a one-hot row.
 *
 * <p>TensorFlow's C++ registry has no gradient for {@code SparseSoftmaxCrossEntropyWithLogits},
 * so the indices are expanded with {@code OneHot} and the loss is the softmax cross-entropy,
 * which has one; the numbers are the same.
 */
public final class SparseCategoricalCrossentropy implements Loss {
  private final boolean fromLogits;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private SparseCategoricalCrossentropy(boolean fromLogits) {
    this.fromLogits = fromLogits;
  }

  /** Keras' defaults: the prediction holds probabilities. */
  public static SparseCategoricalCrossentropy defaults() {
    return new SparseCategoricalCrossentropy(false);
  }

  public SparseCategoricalCrossentropy fromLogits(boolean fromLogits) {
    return toBuilder().fromLogits(fromLogits).build();
  }

  public boolean fromLogits() {
    return fromLogits;
  }

  @Override
  public String name() {
    return "sparse_categorical_crossentropy";
  }

  @Override
  public Labels labels() {
    return Labels.SPARSE;
  }

  /**
   * As Keras computes it: from logits when there are any; otherwise the probabilities are
   * clipped to {@code [1e-7, 1 - 1e-7]} and their logarithms taken as logits (which
   * renormalizes them).
   */
  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred) {
    Operand<TFloat32> oneHot = Losses.oneHot(tf, yTrue, Shapes.last(yPred.values().shape()));
    Operand<TFloat32> logits = fromLogits ? yPred.values() : yPred.logits();
    if (logits == null) {
      logits = tf.math.log(Losses.clip(tf, yPred.values()));
    }
    return Losses.softmaxCrossEntropy(tf, oneHot, logits);
  }
}
