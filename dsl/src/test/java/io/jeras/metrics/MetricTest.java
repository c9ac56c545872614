package io.jeras.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jeras.bridge.GraphRuntime;
import io.jeras.bridge.SessionOptions;
import io.jeras.bridge.Tensors;
import io.jeras.losses.Labels;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;

class MetricTest {

  private static float[] run(Metric metric, Object yTrue, float[][] yPred) {
    try (GraphRuntime runtime = new GraphRuntime(SessionOptions.defaults())) {
      Ops tf = runtime.tf();
      var labels = yTrue instanceof float[] v ? tf.constant(v) : tf.constant((float[][]) yTrue);
      try (Result result = runtime.session().runner()
          .fetch(metric.call(tf, labels, tf.constant(yPred))).run()) {
        return Tensors.toFloats(result.get(0));
      }
    }
  }

  @Test
  void accuracy_resolvesByShapesAsKerasDoes() {
    Shape oneUnit = Shape.of(-1, 1);
    Shape tenUnits = Shape.of(-1, 10);
    assertThat(run(Metric.ACCURACY.resolve(oneUnit, Labels.DENSE), new float[][] {{1}, {0}},
        new float[][] {{0.7f}, {0.6f}})).containsExactly(1, 0);
    assertThat(run(Metric.ACCURACY.resolve(tenUnits, Labels.SPARSE), new float[] {2, 0},
        new float[][] {{0, 0, 1}, {0, 1, 0}})).containsExactly(1, 0);
    assertThat(run(Metric.ACCURACY.resolve(tenUnits, Labels.DENSE),
        new float[][] {{0, 0, 1}, {0, 1, 0}}, new float[][] {{0, 0.1f, 0.9f}, {0.5f, 0.4f, 0.1f}}))
        .containsExactly(1, 0);
    assertThat(Metric.ACCURACY.resolve(tenUnits, Labels.SPARSE).name()).isEqualTo("accuracy");
    assertThat(Metric.of("acc").resolve(tenUnits, Labels.SPARSE).name()).isEqualTo("acc");
  }

  @Test
  void binaryAccuracy_thresholdsAtHalf() {
    assertThat(run(Metric.BINARY_ACCURACY, new float[][] {{1, 0, 1, 0}},
        new float[][] {{0.5f, 0.5f, 0.51f, 0.2f}})).containsExactly(0.75f);
    assertThat(run(Metric.binaryAccuracy(0.4), new float[][] {{1}}, new float[][] {{0.45f}}))
        .containsExactly(1);
  }

  @Test
  void regressionMetrics() {
    assertThat(run(Metric.MEAN_SQUARED_ERROR, new float[][] {{1, 2}}, new float[][] {{3, 2}}))
        .containsExactly(2);
    assertThat(run(Metric.of("mae"), new float[][] {{1, 2}}, new float[][] {{3, 1}}))
        .containsExactly(1.5f);
  }

  @Test
  void unknownName_listsTheKnownOnes() {
    assertThatThrownBy(() -> Metric.of("auc")).hasMessageStartingWith("Unknown metric \"auc\";"
        + " expected one of accuracy (acc), binary_accuracy");
  }
}
