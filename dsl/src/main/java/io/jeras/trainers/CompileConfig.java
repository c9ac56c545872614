package io.jeras.trainers;

import io.jeras.losses.Loss;
import io.jeras.metrics.Metric;
import io.jeras.optimizers.Optimizer;
import java.util.List;

/** What {@code compile} was given, with the metrics resolved for the model's output. */
public record CompileConfig(Optimizer optimizer, Loss loss, List<Metric> metrics) {

  public CompileConfig {
    metrics = List.copyOf(metrics);
  }
}
