package io.jeras.losses;

import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Name lookup and the small op helpers the losses share. */
public final class Losses {
  /** Keras' {@code backend.epsilon()}: the clipping bound for probabilities. */
  public static final float EPSILON = 1e-7f;

  private Losses() {}

  /** The loss Keras calls {@code name}, with its defaults. */
  public static Loss of(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "mean_squared_error", "mse" -> Loss.MEAN_SQUARED_ERROR;
      case "mean_absolute_error", "mae" -> Loss.MEAN_ABSOLUTE_ERROR;
      case "huber", "huber_loss" -> Loss.HUBER;
      case "binary_crossentropy" -> Loss.BINARY_CROSSENTROPY;
      case "categorical_crossentropy" -> Loss.CATEGORICAL_CROSSENTROPY;
      case "sparse_categorical_crossentropy" -> Loss.SPARSE_CATEGORICAL_CROSSENTROPY;
      default -> throw new IllegalArgumentException("Unknown loss \"" + name
          + "\"; expected one of mean_squared_error (mse), mean_absolute_error (mae), huber,"
          + " binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy");
    };
  }

  /** The mean over the last axis. */
  static Operand<TFloat32> meanLastAxis(Ops tf, Operand<TFloat32> x) {
    return tf.math.mean(x, tf.constant(-1));
  }

  /** The sum over the last axis. */
  static Operand<TFloat32> sumLastAxis(Ops tf, Operand<TFloat32> x) {
    return tf.reduceSum(x, tf.constant(-1));
  }

  /** Probabilities clipped to {@code [eps, 1 - eps]}. */
  static Operand<TFloat32> clip(Ops tf, Operand<TFloat32> p) {
    return tf.clipByValue(p, tf.constant(EPSILON), tf.constant(1 - EPSILON));
  }

  /** One-hot rows for float class indices of shape {@code (batch,)}, depth from the prediction. */
  static Operand<TFloat32> oneHot(Ops tf, Operand<TFloat32> indices, long depth) {
    Operand<TInt32> classes = tf.dtypes.cast(indices, TInt32.class);
    return tf.oneHot(classes, tf.constant((int) depth), tf.constant(1f), tf.constant(0f));
  }

  /**
   * Softmax cross-entropy from logits for one-hot labels, over the last axis, for any rank
   * (TensorFlow's kernel takes 2-D input, so higher ranks are folded and unfolded).
   */
  static Operand<TFloat32> softmaxCrossEntropy(Ops tf, Operand<TFloat32> oneHotLabels,
      Operand<TFloat32> logits) {
    int rank = logits.shape().numDimensions();
    if (rank == 2) {
      return tf.nn.softmaxCrossEntropyWithLogits(logits, oneHotLabels).loss();
    }
    long classes = logits.shape().get(rank - 1);
    Operand<TFloat32> flatLogits = tf.reshape(logits, tf.constant(new long[] {-1, classes}));
    Operand<TFloat32> flatLabels = tf.reshape(oneHotLabels, tf.constant(new long[] {-1, classes}));
    Operand<TFloat32> loss = tf.nn.softmaxCrossEntropyWithLogits(flatLogits, flatLabels).loss();
    Operand<TInt32> outer = tf.slice(tf.shape(logits), tf.constant(new int[] {0}),
        tf.constant(new int[] {rank - 1}));
    return tf.reshape(loss, outer);
  }
}
