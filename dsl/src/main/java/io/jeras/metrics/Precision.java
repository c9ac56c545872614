package io.jeras.metrics;

/**
 * Keras' {@code Precision}: true positives / (true positives + false positives) over everything
 * seen (0 when nothing was predicted positive). A prediction is positive when greater than
 * {@code threshold} (0.5); with a {@code classId}, only that class's column counts; with {@code
 * topK}, only each sample's k highest predictions.
 */
public final class Precision extends ThresholdedMetric<Precision> {
  private Precision() {
    super("precision");
  }

  /** Keras' defaults: threshold 0.5, every class. */
  public static Precision defaults() {
    return new Precision();
  }

  @Override
  public double result(double[] state) {
    return divideNoNan(state[0], state[0] + state[1]);
  }
}
