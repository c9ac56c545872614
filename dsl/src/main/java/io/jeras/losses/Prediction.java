package io.jeras.losses;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A model output as losses and metrics see it: the values, and the logits they came from when the
 * last activation was softmax or sigmoid (null otherwise). Keras keeps the same pair (its
 * {@code _keras_logits}) so cross-entropy on probabilities is computed stably from logits.
 */
public record Prediction(Operand<TFloat32> values, Operand<TFloat32> logits) {

  public static Prediction of(Operand<TFloat32> values) {
    return new Prediction(values, null);
  }

  public boolean hasLogits() {
    return logits != null;
  }
}
