package io.jeras.metrics;

/**
 * Keras' {@code Recall}: true positives / (true positives + false negatives) over everything
 * seen (0 when no label was positive). A prediction is positive when greater than {@code
 * threshold} (0.5); with a {@code classId}, only that class's column counts; with {@code topK},
 * only each sample's k highest predictions.
 */
public final class Recall extends ThresholdedMetric<Recall> {
  private Recall() {
    super("recall");
  }

  /** Keras' defaults: threshold 0.5, every class. */
  public static Recall defaults() {
    return new Recall();
  }

  @Override
  public double result(double[] state) {
    return divideNoNan(state[0], state[0] + state[3]);
  }
}
