package io.jeras.metrics;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code AUC}: the area under the ROC curve (or the precision-recall curve) from
 * confusion counts at {@code numThresholds} thresholds (200): {@code -1e-7}, {@code i / (n - 1)}
 * for {@code i = 1 .. n - 2}, and {@code 1 + 1e-7}, as Keras spaces them. Every prediction and
 * label is flattened into one binary problem (Keras' {@code multi_label=False}; {@code
 * labelWeights} then weigh each label's predictions), or with {@code multiLabel(true)} each
 * label (last axis) has its own curve and the result is the mean of their areas (weighted by
 * {@code labelWeights}). The area is Keras' Riemann sum: trapezoids ({@code interpolation}, the
 * default; for PR, Keras' interpolation of precision between thresholds), or {@code minoring} /
 * {@code majoring}.
 */
public final class Auc extends Metric {
  /** Keras' {@code curve}. */
  public enum Curve { ROC, PR }

  /** Keras' {@code summation_method}. */
  public enum Summation { INTERPOLATION, MINORING, MAJORING }

  private static final float EPSILON = 1e-7f;

  private int numThresholds = 200;
  private Curve curve = Curve.ROC;
  private Summation summation = Summation.INTERPOLATION;
  private boolean fromLogits;
  private boolean multiLabel;
  private float[] labelWeights;

  private Auc() {
    super("auc");
  }

  /** Keras' defaults: ROC, 200 thresholds, interpolation, probabilities. */
  public static Auc defaults() {
    return new Auc();
  }

  /** Keras' {@code num_thresholds} (> 1). */
  public Auc numThresholds(int numThresholds) {
    checkArgument(numThresholds > 1, "Argument `num_thresholds` must be an integer > 1."
        + " Received: num_thresholds=%s", numThresholds);
    return with((Auc copy) -> copy.numThresholds = numThresholds);
  }

  /** Keras' {@code curve}: {@code ROC} or {@code PR}. */
  public Auc curve(Curve curve) {
    checkArgument(curve != null, "curve must not be null");
    return with((Auc copy) -> copy.curve = curve);
  }

  /** Keras' {@code curve} by name ({@code "ROC"}, {@code "PR"}). */
  public Auc curve(String curve) {
    return curve(Curve.valueOf(curve.toUpperCase(Locale.ROOT)));
  }

  /** Keras' {@code summation_method}. */
  public Auc summationMethod(Summation summation) {
    checkArgument(summation != null, "summation_method must not be null");
    return with((Auc copy) -> copy.summation = summation);
  }

  /** Keras' {@code from_logits}: predictions go through a sigmoid first. */
  public Auc fromLogits(boolean fromLogits) {
    return with((Auc copy) -> copy.fromLogits = fromLogits);
  }

  /** Keras' {@code multi_label}: an area per label (the last axis), then their mean. */
  public Auc multiLabel(boolean multiLabel) {
    return with((Auc copy) -> copy.multiLabel = multiLabel);
  }

  /**
   * Keras' {@code label_weights} (non-negative, one per label): with {@code multiLabel}, the
   * weights of the labels' areas in the mean; without, of each label's predictions in the
   * counts.
   */
  public Auc labelWeights(double... labelWeights) {
    checkArgument(labelWeights != null && labelWeights.length > 0,
        "label_weights must hold one weight per label");
    float[] weights = new float[labelWeights.length];
    for (int i = 0; i < weights.length; i++) {
      checkArgument(labelWeights[i] >= 0, "All values of `label_weights` must be"
          + " non-negative. Received: label_weights=%s", java.util.Arrays.toString(labelWeights));
      weights[i] = (float) labelWeights[i];
    }
    return with((Auc copy) -> copy.labelWeights = weights);
  }

  /** The thresholds, as Keras computes them (in double, then float32). */
  float[] thresholds() {
    float[] thresholds = new float[numThresholds];
    thresholds[0] = -EPSILON;
    for (int i = 0; i < numThresholds - 2; i++) {
      thresholds[i + 1] = (float) ((i + 1) * 1.0 / (numThresholds - 1));
    }
    thresholds[numThresholds - 1] = 1 + EPSILON;
    return thresholds;
  }

  /** The number of labels: the output's last dimension (checked against the label weights). */
  private int labels(Shape outputShape) {
    int rank = outputShape.numDimensions();
    checkArgument(!multiLabel || rank == 2, "`y_pred` must have rank 2 when"
        + " `multi_label=True`. Found rank %s. Full shape received for `y_pred`: %s", rank,
        outputShape);
    int labels = (int) outputShape.get(rank - 1);
    checkArgument(labelWeights == null || labelWeights.length == labels, "label_weights holds"
        + " %s weights, but the output has %s labels", labelWeights == null ? 0
        : labelWeights.length, labels);
    return labels;
  }

  @Override
  public int stateSize(Shape outputShape) {
    return 4 * numThresholds * (multiLabel ? labels(outputShape) : 1);
  }

  @Override
  public Operand<TFloat32> update(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return update(tf, yTrue, yPred, null);
  }

  /** The counts (with several labels, each label's in turn), each sample's times its weight. */
  @Override
  public Operand<TFloat32> update(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred,
      Operand<TFloat32> sampleWeight) {
    Operand<TFloat32> predictions = fromLogits ? tf.math.sigmoid(yPred) : yPred;
    int labels = labels(yPred.shape());
    Operand<TFloat32> weights = sampleWeight == null ? null
        : perSample(tf, sampleWeight, yPred.shape().numDimensions());
    if (labelWeights != null && !multiLabel) {
      Operand<TFloat32> perLabel = tf.constant(labelWeights);
      weights = weights == null ? perLabel : tf.math.mul(weights, perLabel);
    }
    if (!multiLabel) {
      return ConfusionCounts.of(tf, yTrue, predictions, thresholds(), null, null, weights);
    }
    List<Operand<TFloat32>> perLabel = new ArrayList<>();
    for (int label = 0; label < labels; label++) {
      perLabel.add(ConfusionCounts.of(tf, yTrue, predictions, thresholds(), label, null,
          weights));
    }
    return tf.concat(perLabel, tf.constant(0));
  }

  @Override
  public double result(double[] state) {
    if (!multiLabel) {
      return area(state, 0);
    }
    int labels = state.length / (4 * numThresholds);
    double total = 0;
    double weights = 0;
    for (int label = 0; label < labels; label++) {
      double weight = labelWeights == null ? 1 : labelWeights[label];
      total += weight * area(state, label * 4 * numThresholds);
      weights += weight;
    }
    return labelWeights == null ? total / labels : divideNoNan(total, weights);
  }

  /** The area of the curve whose counts start at {@code from} in {@code state}. */
  private double area(double[] state, int from) {
    int n = numThresholds;
    double[] tp = new double[n];
    double[] fp = new double[n];
    double[] tn = new double[n];
    double[] fn = new double[n];
    System.arraycopy(state, from, tp, 0, n);
    System.arraycopy(state, from + n, fp, 0, n);
    System.arraycopy(state, from + 2 * n, tn, 0, n);
    System.arraycopy(state, from + 3 * n, fn, 0, n);
    if (curve == Curve.PR && summation == Summation.INTERPOLATION) {
      return interpolatedPrAuc(tp, fp, fn);
    }
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double recall = divideNoNan(tp[i], tp[i] + fn[i]);
      if (curve == Curve.ROC) {
        x[i] = divideNoNan(fp[i], fp[i] + tn[i]);
        y[i] = recall;
      } else {
        x[i] = recall;
        y[i] = divideNoNan(tp[i], tp[i] + fp[i]);
      }
    }
    double area = 0;
    for (int i = 0; i < n - 1; i++) {
      double height = switch (summation) {
        case INTERPOLATION -> (y[i] + y[i + 1]) / 2;
        case MINORING -> Math.min(y[i], y[i + 1]);
        case MAJORING -> Math.max(y[i], y[i + 1]);
      };
      area += (x[i] - x[i + 1]) * height;
    }
    return area;
  }

  /** Keras' {@code interpolate_pr_auc} (Davis and Goadrich's interpolation of precision). */
  private static double interpolatedPrAuc(double[] tp, double[] fp, double[] fn) {
    double area = 0;
    for (int i = 0; i < tp.length - 1; i++) {
      double dtp = tp[i] - tp[i + 1];
      double pA = tp[i] + fp[i];
      double pB = tp[i + 1] + fp[i + 1];
      double slope = divideNoNan(dtp, Math.max(pA - pB, 0));
      double intercept = tp[i + 1] - slope * pB;
      double ratio = pA > 0 && pB > 0 ? divideNoNan(pA, Math.max(pB, 0)) : 1;
      area += divideNoNan(slope * (dtp + intercept * Math.log(ratio)),
          Math.max(tp[i + 1] + fn[i + 1], 0));
    }
    return area;
  }
}
