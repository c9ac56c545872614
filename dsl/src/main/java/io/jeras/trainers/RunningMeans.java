package io.jeras.trainers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keras' running means over an epoch: each batch's mean loss and metrics weighted by the batch's
 * number of samples, so the result is the mean over all samples seen.
 */
final class RunningMeans {
  private final List<String> keys;
  private final double[] totals;
  private long count;

  RunningMeans(List<String> keys) {
    this.keys = keys;
    this.totals = new double[keys.size()];
  }

  /** The number of samples added. */
  long count() {
    return count;
  }

  void add(float[] batchMeans, int batchSize) {
    for (int i = 0; i < totals.length; i++) {
      totals[i] += (double) batchMeans[i] * batchSize;
    }
    count += batchSize;
  }

  /**
   * The means so far, by key, in Keras' log order (sorted by name, as Keras'
   * {@code pythonify_logs} sorts them); {@code prefix} is prepended to each key.
   */
  Map<String, Double> logs(String prefix) {
    Map<String, Double> logs = new TreeMap<>();
    for (int i = 0; i < totals.length; i++) {
      logs.put(keys.get(i), count == 0 ? 0.0 : totals[i] / count);
    }
    Map<String, Double> ordered = new LinkedHashMap<>();
    logs.forEach((key, value) -> ordered.put(prefix + key, value));
    return ordered;
  }
}
