package io.jeras.trainers;

import io.jeras.losses.Loss;
import io.jeras.metrics.Metric;
import io.jeras.optimizers.Optimizer;
import java.util.List;

/**
 * What {@code compile} was given: the optimizer and, per model output, its loss, its weight in
 * the total loss and its metrics (resolved for the output's shape).
 */
public record CompileConfig(Optimizer optimizer, List<OutputSpec> outputs) {

  /** One output's training objective. */
  public record OutputSpec(String name, Loss loss, double weight, List<Metric> metrics) {
    public OutputSpec {
      metrics = List.copyOf(metrics);
    }
  }

  public CompileConfig {
    outputs = List.copyOf(outputs);
  }

  /** The losses' names, for messages ({@code sparse_categorical_crossentropy}). */
  public String lossName(int output) {
    return outputs.get(output).loss().name();
  }

  /** Every metric of every output. */
  public List<Metric> metrics() {
    return outputs.stream().flatMap(o -> o.metrics().stream()).toList();
  }
}
