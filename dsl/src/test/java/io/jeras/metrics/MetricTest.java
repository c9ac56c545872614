package io.jeras.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jeras.data.Data;
import io.jeras.layers.core.Dense;
import io.jeras.losses.Labels;
import io.jeras.losses.Loss;
import io.jeras.models.Sequential;
import io.jeras.optimizers.SGD;
import io.jeras.trainers.Evaluate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class MetricTest {

  /** The metric over one batch, through {@link MetricState}. */
  private static double run(Metric metric, Object yTrue, float[][] yPred) {
    FloatNdArray labels = yTrue instanceof float[] v ? NdArrays.vectorOf(v)
        : StdArrays.ndCopyOf((float[][]) yTrue);
    return MetricState.of(metric).updateState(labels, StdArrays.ndCopyOf(yPred)).result();
  }

  @Test
  void accuracy_resolvesByShapesAsKerasDoes() {
    Shape oneUnit = Shape.of(-1, 1);
    Shape tenUnits = Shape.of(-1, 10);
    assertThat(run(Metric.ACCURACY.resolve(oneUnit, Labels.DENSE), new float[][] {{1}, {0}},
        new float[][] {{0.7f}, {0.6f}})).isEqualTo(0.5);
    assertThat(run(Metric.ACCURACY.resolve(tenUnits, Labels.SPARSE), new float[] {2, 0, 1},
        new float[][] {{0, 0, 1}, {0, 1, 0}, {0, 1, 0}})).isEqualTo(2.0 / 3);
    assertThat(run(Metric.ACCURACY.resolve(tenUnits, Labels.DENSE),
        new float[][] {{0, 0, 1}, {0, 1, 0}}, new float[][] {{0, 0.1f, 0.9f}, {0.5f, 0.4f, 0.1f}}))
        .isEqualTo(0.5);
    // unresolved, MetricState resolves it from the shapes as compile does
    assertThat(run(Metric.ACCURACY, new float[] {2, 0},
        new float[][] {{0, 0, 1}, {0, 1, 0}})).isEqualTo(0.5);
    assertThat(Metric.ACCURACY.resolve(tenUnits, Labels.SPARSE).name()).isEqualTo("accuracy");
    assertThat(Metric.of("acc").resolve(tenUnits, Labels.SPARSE).name()).isEqualTo("acc");
  }

  @Test
  void binaryAccuracy_thresholdsAtHalf() {
    assertThat(run(Metric.BINARY_ACCURACY, new float[][] {{1, 0, 1, 0}},
        new float[][] {{0.5f, 0.5f, 0.51f, 0.2f}})).isEqualTo(0.75);
    assertThat(run(Metric.binaryAccuracy(0.4), new float[][] {{1}}, new float[][] {{0.45f}}))
        .isEqualTo(1);
  }

  @Test
  void regressionMetrics() {
    assertThat(run(Metric.MEAN_SQUARED_ERROR, new float[][] {{1, 2}}, new float[][] {{3, 2}}))
        .isEqualTo(2);
    assertThat(run(Metric.of("mae"), new float[][] {{1, 2}}, new float[][] {{3, 1}}))
        .isEqualTo(1.5);
  }

  @Test
  void unknownName_listsTheKnownOnes() {
    assertThatThrownBy(() -> Metric.of("aucc")).hasMessageStartingWith("Unknown metric \"aucc\";"
        + " expected one of accuracy (acc), binary_accuracy");
  }

  /** A user's metric: the share of samples whose highest probability is above 0.9. */
  static final class Confident extends Metric {
    Confident() {
      super("confident");
    }

    @Override
    public int stateSize(Shape outputShape) {
      return 2;
    }

    @Override
    public Operand<TFloat32> update(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
      Operand<TFloat32> highest = tf.reduceMax(yPred, tf.constant(-1));
      return tf.stack(List.of(
          tf.reduceSum(tf.dtypes.cast(tf.math.greater(highest, tf.constant(0.9f)),
              TFloat32.class), tf.constant(0)),
          tf.dtypes.cast(tf.size(highest), TFloat32.class)));
    }

    @Override
    public double result(double[] state) {
      return divideNoNan(state[0], state[1]);
    }
  }

  /**
   * A metric of one's own, compiled into a model: its state is summed over evaluate's uneven
   * batches (7 samples in batches of 3), and its result is the share counted by hand from the
   * model's predictions; on its own, MetricState gives the same.
   */
  @Test
  void aUserMetric_accumulatesOverBatches_inEvaluateAndOnItsOwn() {
    float[] x = {3, -1, 0.1f, 0.2f, -4, 2, 0.5f, 0.4f, 5, 5, -0.3f, 0.1f, 2, -2};
    FloatNdArray inputs = Data.floats(x, 7, 2);
    float[] labels = new float[7];
    try (Sequential model = Sequential.of(Dense.of(2).activation("softmax").inputShape(2))) {
      model.compile(SGD.defaults(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY, new Confident(),
          MeanMetric.of("mean_top", (tf, yTrue, yPred) -> tf.reduceMax(yPred, tf.constant(-1))));
      model.setWeights(List.of(Data.floats(new float[] {1, -1, -1, 1}, 2, 2),
          Data.floats(new float[] {0, 0}, 2)));
      float[] predicted = Data.toFloatArray(model.predict(inputs));
      int confident = 0;
      double top = 0;
      for (int i = 0; i < 7; i++) {
        float highest = Math.max(predicted[2 * i], predicted[2 * i + 1]);
        confident += highest > 0.9f ? 1 : 0;
        top += highest;
      }
      assertThat(confident).as("the data has both kinds").isBetween(1, 6);
      Map<String, Double> logs = model.evaluate(inputs, Data.floats(labels, 7),
          Evaluate.defaults().batchSize(3).verbose(0));
      assertThat(logs.get("confident")).isEqualTo(confident / 7.0);
      assertThat(logs.get("mean_top")).isCloseTo(top / 7, within(1e-6));
      assertThat(MetricState.of(new Confident()).updateState(Data.floats(labels, 7),
          model.predict(inputs)).result()).isEqualTo(confident / 7.0);
    }
  }

  /**
   * A metric of one's own that does not override the weighted update cannot be a weighted
   * metric: compile says so, naming the metric and what to override.
   */
  @Test
  void aUserMetric_withoutAWeightedUpdate_isRefusedAsAWeightedMetric() {
    try (Sequential model = Sequential.of(Dense.of(2).activation("softmax").inputShape(2))) {
      assertThatThrownBy(() -> model.compile(SGD.defaults(),
          Loss.SPARSE_CATEGORICAL_CROSSENTROPY, new Confident().weighted()))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("metric confident")
          .hasMessageContaining("override update(tf, yTrue, yPred, sampleWeight)");
    }
  }
}
