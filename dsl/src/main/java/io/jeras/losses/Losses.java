package io.jeras.losses;

import java.util.List;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import io.jeras.utils.Reductions;
import org.tensorflow.types.TBool;
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
      case "mean_squared_error", "mse", "meansquarederror" -> Loss.MEAN_SQUARED_ERROR;
      case "mean_absolute_error", "mae", "meanabsoluteerror" -> Loss.MEAN_ABSOLUTE_ERROR;
      case "mean_absolute_percentage_error", "mape", "meanabsolutepercentageerror" ->
          Loss.MEAN_ABSOLUTE_PERCENTAGE_ERROR;
      case "mean_squared_logarithmic_error", "msle", "meansquaredlogarithmicerror" ->
          Loss.MEAN_SQUARED_LOGARITHMIC_ERROR;
      case "cosine_similarity", "cosinesimilarity" -> Loss.COSINE_SIMILARITY;
      case "huber", "huber_loss" -> Loss.HUBER;
      case "log_cosh", "logcosh" -> Loss.LOG_COSH;
      case "hinge" -> Loss.HINGE;
      case "squared_hinge", "squaredhinge" -> Loss.SQUARED_HINGE;
      case "categorical_hinge", "categoricalhinge" -> Loss.CATEGORICAL_HINGE;
      case "kl_divergence", "kld", "kldivergence" -> Loss.KL_DIVERGENCE;
      case "poisson" -> Loss.POISSON;
      case "binary_crossentropy", "bce", "binarycrossentropy" -> Loss.BINARY_CROSSENTROPY;
      case "binary_focal_crossentropy", "binaryfocalcrossentropy" ->
          Loss.BINARY_FOCAL_CROSSENTROPY;
      case "categorical_crossentropy", "categoricalcrossentropy" -> Loss.CATEGORICAL_CROSSENTROPY;
      case "categorical_focal_crossentropy", "categoricalfocalcrossentropy" ->
          Loss.CATEGORICAL_FOCAL_CROSSENTROPY;
      case "sparse_categorical_crossentropy", "sparsecategoricalcrossentropy" ->
          Loss.SPARSE_CATEGORICAL_CROSSENTROPY;
      default -> throw new IllegalArgumentException("Unknown loss \"" + name
          + "\"; expected one of " + String.join(", ", NAMES)
          + " (or Keras' class names: MeanSquaredError, KLDivergence, ...)");
    };
  }

  /** Keras' loss function names, with their short aliases, as the lookup error lists them. */
  private static final List<String> NAMES = List.of("mean_squared_error (mse)",
      "mean_absolute_error (mae)", "mean_absolute_percentage_error (mape)",
      "mean_squared_logarithmic_error (msle)", "cosine_similarity", "huber", "log_cosh", "hinge",
      "squared_hinge", "categorical_hinge", "kl_divergence (kld)", "poisson",
      "binary_crossentropy (bce)", "binary_focal_crossentropy", "categorical_crossentropy",
      "categorical_focal_crossentropy", "sparse_categorical_crossentropy");

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

  /** Labels squeezed towards 0.5, Keras' binary label smoothing: {@code y (1 - s) + 0.5 s}. */
  static Operand<TFloat32> smoothBinary(Ops tf, Operand<TFloat32> yTrue, float smoothing) {
    if (smoothing == 0) {
      return yTrue;
    }
    return tf.math.add(tf.math.mul(yTrue, tf.constant(1 - smoothing)),
        tf.constant(0.5f * smoothing));
  }

  /**
   * Keras' categorical label smoothing over the {@code K} classes of the last axis:
   * {@code y (1 - s) + s / K}.
   */
  static Operand<TFloat32> smoothCategorical(Ops tf, Operand<TFloat32> yTrue, float smoothing) {
    if (smoothing == 0) {
      return yTrue;
    }
    int rank = yTrue.shape().numDimensions();
    long known = yTrue.shape().get(rank - 1);
    Operand<TFloat32> classes = known >= 0 ? tf.constant((float) known)
        : tf.dtypes.cast(tf.gather(tf.shape(yTrue), tf.constant(rank - 1), tf.constant(0)),
            TFloat32.class);
    return tf.math.add(tf.math.mul(yTrue, tf.constant(1 - smoothing)),
        tf.math.div(tf.constant(smoothing), classes));
  }

  /** Element-wise {@code max(x, 0) - x z + log(1 + exp(-|x|))}: sigmoid cross-entropy of logits. */
  static Operand<TFloat32> sigmoidCrossEntropy(Ops tf, Operand<TFloat32> z,
      Operand<TFloat32> logits) {
    return tf.math.add(tf.math.sub(tf.nn.relu(logits), tf.math.mul(logits, z)),
        tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(logits)))));
  }

  /** Element-wise {@code -(z log p + (1 - z) log(1 - p))}, {@code p} clipped first. */
  static Operand<TFloat32> binaryCrossEntropy(Ops tf, Operand<TFloat32> z,
      Operand<TFloat32> probabilities) {
    Operand<TFloat32> p = clip(tf, probabilities);
    Operand<TFloat32> one = tf.constant(1f);
    return tf.math.neg(tf.math.add(tf.math.mul(z, tf.math.log(p)),
        tf.math.mul(tf.math.sub(one, z), tf.math.log(tf.math.sub(one, p)))));
  }

  /**
   * Hinge margins {@code max(1 - y p, 0)}, with Keras' label mapping: when every label is 0 or 1,
   * {@code y} becomes {@code 2 y - 1}; otherwise the labels are used as they are.
   */
  static Operand<TFloat32> hingeMargin(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> p) {
    Operand<TBool> zeroOrOne = tf.math.logicalOr(tf.math.equal(yTrue, tf.constant(0f)),
        tf.math.equal(yTrue, tf.constant(1f)));
    Operand<TFloat32> allBinary = tf.dtypes.cast(tf.reduceAll(zeroOrOne,
        Reductions.allAxes(tf, yTrue)), TFloat32.class);
    // 2 y - 1 when all binary, else y: y + b (y - 1)
    Operand<TFloat32> y = tf.math.add(yTrue, tf.math.mul(allBinary,
        tf.math.sub(yTrue, tf.constant(1f))));
    return tf.math.maximum(tf.math.sub(tf.constant(1f), tf.math.mul(y, p)), tf.constant(0f));
  }

  /** Values divided by their sum over the last axis. */
  static Operand<TFloat32> normalizeSum(Ops tf, Operand<TFloat32> p) {
    return tf.math.div(p, tf.reduceSum(p, tf.constant(-1), ReduceSum.keepDims(true)));
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
