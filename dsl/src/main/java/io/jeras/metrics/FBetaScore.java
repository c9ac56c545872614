package io.jeras.metrics;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code FBetaScore} and {@code F1Score} ({@code beta = 1}) on one-hot (or multi-label)
 * labels: per class, {@code (1 + beta^2) * precision * recall / (beta^2 * precision + recall)}
 * (with Keras' epsilons), averaged as {@code average} says: {@code "micro"} (from the counts of
 * all classes together), {@code "macro"} (the mean over classes) or {@code "weighted"} (by each
 * class's number of true labels). Keras' default, no average, gives one score per class, which
 * a log of numbers cannot hold: Jeras asks for an average. Without a threshold the highest
 * prediction of each sample is its predicted class (Keras: every prediction equal to the
 * sample's maximum); with one, every prediction above it.
 */
public final class FBetaScore extends Metric {
  /** Keras' {@code backend.epsilon()}. */
  private static final double EPSILON = 1e-7;

  private final String average;
  private double beta = 1;
  private Float threshold;

  private FBetaScore(String name, String average) {
    super(name);
    String lower = average == null ? "" : average.toLowerCase(Locale.ROOT);
    checkArgument(List.of("micro", "macro", "weighted").contains(lower),
        "Jeras logs one number per metric: give `average` as \"micro\", \"macro\" or"
            + " \"weighted\" (Keras' average=None gives a score per class). Received: %s",
        average);
    this.average = lower;
  }

  /** Keras' {@code F1Score(average=average)}. */
  public static FBetaScore f1(String average) {
    return new FBetaScore("f1_score", average);
  }

  /** Keras' {@code FBetaScore(average=average, beta=beta)}. */
  public static FBetaScore fBeta(String average, double beta) {
    checkArgument(beta > 0, "`beta` should be a float greater than 0. Received: beta=%s", beta);
    FBetaScore score = new FBetaScore("fbeta_score", average);
    score.beta = beta;
    return score;
  }

  /** Keras' {@code threshold}: a prediction above it is positive. */
  public FBetaScore threshold(double threshold) {
    checkArgument(threshold > 0 && threshold <= 1, "`threshold` should be a float in (0, 1]."
        + " Received: threshold=%s", threshold);
    return with((FBetaScore copy) -> copy.threshold = (float) threshold);
  }

  @Override
  public int stateSize(Shape outputShape) {
    return 4 * (int) outputShape.get(outputShape.numDimensions() - 1);
  }

  /** Per class: true positives, false positives, false negatives, true labels. */
  @Override
  public Operand<TFloat32> update(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return update(tf, yTrue, yPred, null);
  }

  /** As {@link #update(Ops, Operand, Operand)}, each sample's counts times its weight. */
  @Override
  public Operand<TFloat32> update(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred,
      Operand<TFloat32> sampleWeight) {
    Operand<TFloat32> predicted;
    if (threshold == null) {
      Operand<TFloat32> max = tf.reduceMax(yPred, tf.constant(-1),
          org.tensorflow.op.core.ReduceMax.keepDims(true));
      predicted = tf.dtypes.cast(tf.math.logicalAnd(tf.math.greaterEqual(yPred, max),
          tf.math.greater(tf.math.abs(yPred), tf.constant(1e-9f))), TFloat32.class);
    } else {
      predicted = tf.dtypes.cast(tf.math.greater(yPred, tf.constant(threshold)),
          TFloat32.class);
    }
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> notPredicted = tf.math.sub(one, predicted);
    Operand<TFloat32> notTrue = tf.math.sub(one, yTrue);
    Operand<TFloat32> weights = sampleWeight == null ? null
        : perSample(tf, sampleWeight, yPred.shape().numDimensions());
    return tf.concat(List.of(
        perClass(tf, tf.math.mul(predicted, yTrue), weights),
        perClass(tf, tf.math.mul(predicted, notTrue), weights),
        perClass(tf, tf.math.mul(notPredicted, yTrue), weights),
        perClass(tf, yTrue, weights)), tf.constant(0));
  }

  /**
   * Sums over every axis but the last (the classes, whose number the output fixes), each
   * sample's values times its weight if given.
   */
  private static Operand<TFloat32> perClass(Ops tf, Operand<TFloat32> values,
      Operand<TFloat32> weights) {
    long classes = values.shape().get(values.shape().numDimensions() - 1);
    Operand<TFloat32> weighted = weights == null ? values : tf.math.mul(values, weights);
    return tf.reduceSum(tf.reshape(weighted, tf.constant(new long[] {-1, classes})),
        tf.constant(0));
  }

  @Override
  public double result(double[] state) {
    int classes = state.length / 4;
    double b2 = beta * beta;
    if (average.equals("micro")) {
      double tp = 0;
      double fp = 0;
      double fn = 0;
      for (int c = 0; c < classes; c++) {
        tp += state[c];
        fp += state[classes + c];
        fn += state[2 * classes + c];
      }
      return score(tp, fp, fn, b2);
    }
    double total = 0;
    double weights = 0;
    for (int c = 0; c < classes; c++) {
      weights += state[3 * classes + c];
    }
    for (int c = 0; c < classes; c++) {
      double f = score(state[c], state[classes + c], state[2 * classes + c], b2);
      total += average.equals("weighted") ? f * state[3 * classes + c] / (weights + EPSILON)
          : f / classes;
    }
    return total;
  }

  private static double score(double tp, double fp, double fn, double b2) {
    double precision = tp / (tp + fp + EPSILON);
    double recall = tp / (tp + fn + EPSILON);
    return precision * recall / (b2 * precision + recall + EPSILON) * (1 + b2);
  }
}
