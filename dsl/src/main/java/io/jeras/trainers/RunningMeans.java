package io.jeras.trainers;

import io.jeras.metrics.Metric;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keras' logs over an epoch: each batch's mean loss weighted by the batch's number of samples,
 * so the loss is the mean over all samples seen; each metric's state summed over the batches,
 * its value {@link Metric#result} of the sums (Keras' {@code update_state} / {@code result}).
 */
final class RunningMeans {
  private final List<String> keys;
  private final List<Metric> metrics;
  private final double[][] totals;
  private long count;

  /**
   * @param metrics per key, the metric, or null for a loss (a mean of batch means)
   * @param sizes per key, the number of values a step gives for it
   */
  RunningMeans(List<String> keys, List<Metric> metrics, List<Integer> sizes) {
    this.keys = List.copyOf(keys);
    this.metrics = metrics;
    this.totals = new double[keys.size()][];
    for (int i = 0; i < totals.length; i++) {
      totals[i] = new double[sizes.get(i)];
    }
  }

  /** The number of samples added. */
  long count() {
    return count;
  }

  /** Adds one step's values (as a graph's steps return them) for a batch of {@code batchSize}. */
  void add(float[] values, int batchSize) {
    int at = 0;
    for (int i = 0; i < totals.length; i++) {
      double[] total = totals[i];
      for (int k = 0; k < total.length; k++) {
        total[k] += metrics.get(i) == null ? (double) values[at + k] * batchSize : values[at + k];
      }
      at += total.length;
    }
    count += batchSize;
  }

  /**
   * The values so far, by key, in Keras' log order (sorted by name, as Keras'
   * {@code pythonify_logs} sorts them); {@code prefix} is prepended to each key.
   */
  Map<String, Double> logs(String prefix) {
    Map<String, Double> logs = new TreeMap<>();
    for (int i = 0; i < totals.length; i++) {
      Metric metric = metrics.get(i);
      logs.put(keys.get(i), metric != null ? metric.result(totals[i])
          : count == 0 ? 0.0 : totals[i][0] / count);
    }
    Map<String, Double> ordered = new LinkedHashMap<>();
    logs.forEach((key, value) -> ordered.put(prefix + key, value));
    return ordered;
  }
}
