package io.jeras.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code BinaryCrossentropy} for 0/1 labels, mean over the last axis.
 *
 * <p>From logits (or from a sigmoid output, whose logits Keras uses instead):
 * {@code max(x, 0) - x z + log(1 + exp(-|x|))}. From probabilities: clipped to
 * {@code [1e-7, 1 - 1e-7]}, {@code -(z log p + (1 - z) log(1 - p))}.
 */
public final class BinaryCrossentropy implements Loss {
  private final boolean fromLogits;

  private BinaryCrossentropy(boolean fromLogits) {
    this.fromLogits = fromLogits;
  }

  /** Keras' defaults: the prediction holds probabilities. */
  public static BinaryCrossentropy defaults() {
    return new BinaryCrossentropy(false);
  }

  /** Whether the prediction holds logits rather than probabilities. */
  public BinaryCrossentropy fromLogits(boolean fromLogits) {
    return new BinaryCrossentropy(fromLogits);
  }

  public boolean fromLogits() {
    return fromLogits;
  }

  @Override
  public String name() {
    return "binary_crossentropy";
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred) {
    Operand<TFloat32> logits = fromLogits ? yPred.values() : yPred.logits();
    if (logits != null) {
      Operand<TFloat32> loss = tf.math.add(
          tf.math.sub(tf.nn.relu(logits), tf.math.mul(logits, yTrue)),
          tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(logits)))));
      return Losses.meanLastAxis(tf, loss);
    }
    Operand<TFloat32> p = Losses.clip(tf, yPred.values());
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> loglik = tf.math.add(tf.math.mul(yTrue, tf.math.log(p)),
        tf.math.mul(tf.math.sub(one, yTrue), tf.math.log(tf.math.sub(one, p))));
    return Losses.meanLastAxis(tf, tf.math.neg(loglik));
  }
}
