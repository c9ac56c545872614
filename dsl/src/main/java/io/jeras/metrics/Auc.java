package io.jeras.metrics;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code AUC}: the area under the ROC curve (or the precision-recall curve) from
 * confusion counts at {@code numThresholds} thresholds (200): {@code -1e-7}, {@code i / (n - 1)}
 * for {@code i = 1 .. n - 2}, and {@code 1 + 1e-7}, as Keras spaces them. Every prediction and
 * label is flattened into one binary problem (Keras' {@code multi_label=False}). The area is
 * Keras' Riemann sum: trapezoids ({@code interpolation}, the default; for PR, Keras'
 * interpolation of precision between thresholds), or {@code minoring} / {@code majoring}.
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

  @Override
  public int stateSize(Shape outputShape) {
    return 4 * numThresholds;
  }

  @Override
  public Operand<TFloat32> update(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return ConfusionCounts.of(tf, yTrue, fromLogits ? tf.math.sigmoid(yPred) : yPred,
        thresholds(), null);
  }

  @Override
  public Operand<TFloat32> update(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred,
      Operand<TFloat32> sampleWeight) {
    return ConfusionCounts.of(tf, yTrue, fromLogits ? tf.math.sigmoid(yPred) : yPred,
        thresholds(), null, sampleWeight);
  }

  @Override
  public double result(double[] state) {
    int n = numThresholds;
    double[] tp = new double[n];
    double[] fp = new double[n];
    double[] tn = new double[n];
    double[] fn = new double[n];
    System.arraycopy(state, 0, tp, 0, n);
    System.arraycopy(state, n, fp, 0, n);
    System.arraycopy(state, 2 * n, tn, 0, n);
    System.arraycopy(state, 3 * n, fn, 0, n);
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
