package io.jeras.trainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.jeras.KerasReferences;
import io.jeras.callbacks.History;
import io.jeras.data.Data;
import io.jeras.data.DataBatch;
import io.jeras.data.Dataset;
import io.jeras.data.Datasets;
import io.jeras.layers.core.Dense;
import io.jeras.losses.Loss;
import io.jeras.losses.Reduction;
import io.jeras.metrics.MeanMetric;
import io.jeras.metrics.Metric;
import io.jeras.models.Sequential;
import io.jeras.optimizers.SGD;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.index.Indices;

/**
 * Keras' {@code sample_weight} and {@code class_weight} against Keras 3 ({@code
 * sample-weight-references.json}, made by {@code savedmodels/python/make_sample_weight_references.py}):
 * a Dense(3, softmax) on 10 samples in batches of 4, evaluated with sample weights and trained
 * one epoch with sample weights and with class weights (sparse and one-hot labels); losses,
 * accuracies and the weights after the epoch to 1e-5.
 */
class SampleWeightReferenceTest {
  private static JsonNode references;

  @BeforeAll
  static void load() {
    references = KerasReferences.read(SampleWeightReferenceTest.class,
        "sample-weight-references.json");
  }

  private static FloatNdArray array(String name) {
    return KerasReferences.array(references.get(name));
  }

  private static Sequential model(Loss loss) {
    Sequential model = Sequential.of(Dense.of(3).activation("softmax").inputShape(4));
    model.compile(SGD.defaults().learningRate(0.1), loss, Metric.ACCURACY);
    model.setWeights(List.of(array("kernel"), array("bias")));
    return model;
  }

  private static Map<Integer, Double> classWeight() {
    Map<Integer, Double> weights = new HashMap<>();
    references.get("class_weight").fields().forEachRemaining(
        e -> weights.put(Integer.parseInt(e.getKey()), e.getValue().asDouble()));
    return weights;
  }

  private static FloatNdArray oneHot(FloatNdArray labels) {
    float[] values = new float[30];
    for (int i = 0; i < 10; i++) {
      values[3 * i + (int) labels.getFloat(i)] = 1;
    }
    return Data.floats(values, 10, 3);
  }

  private static void assertFit(Sequential model, History history, String name) {
    JsonNode expected = references.get("cases").get(name);
    assertThat(history.history().get("loss").get(0)).as(name + " loss")
        .isCloseTo(expected.get("loss").asDouble(), within(1e-5));
    assertThat(history.history().get("accuracy").get(0)).as(name + " accuracy")
        .isCloseTo(expected.get("accuracy").asDouble(), within(1e-6));
    float[] kernel = Data.toFloatArray(model.getWeights().get(0));
    float[] bias = Data.toFloatArray(model.getWeights().get(1));
    float[] expectedKernel = Data.toFloatArray(KerasReferences.array(expected.get("kernel")));
    float[] expectedBias = Data.toFloatArray(KerasReferences.array(expected.get("bias")));
    for (int i = 0; i < kernel.length; i++) {
      assertThat(kernel[i]).as(name + " kernel[%s]", i).isCloseTo(expectedKernel[i],
          within(1e-5f));
    }
    for (int i = 0; i < bias.length; i++) {
      assertThat(bias[i]).as(name + " bias[%s]", i).isCloseTo(expectedBias[i], within(1e-5f));
    }
  }

  @Test
  void evaluate_weighsEachSamplesLoss_butNotTheMetrics() {
    try (Sequential model = model(Loss.SPARSE_CATEGORICAL_CROSSENTROPY)) {
      Map<String, Double> result = model.evaluate(array("x"), array("labels"),
          Evaluate.defaults().batchSize(4).verbose(0).sampleWeight(array("sample_weight")));
      JsonNode expected = references.get("cases").get("evaluate_sample_weight");
      assertThat(result.get("loss")).isCloseTo(expected.get("loss").asDouble(), within(1e-5));
      assertThat(result.get("accuracy")).isEqualTo(expected.get("accuracy").asDouble());
      // without weights the loss differs: the weights are what changed it
      assertThat(model.evaluate(array("x"), array("labels"), 4, 0).get("loss"))
          .isNotCloseTo(expected.get("loss").asDouble(), within(1e-3));
    }
  }

  /** The same metric (or one's own) compiled as Keras' {@code weighted_metrics} too. */
  private static Sequential weightedMetricsModel() {
    Sequential model = Sequential.of(Dense.of(3).activation("softmax").inputShape(4));
    model.compile(SGD.defaults().learningRate(0.1), Loss.SPARSE_CATEGORICAL_CROSSENTROPY,
        Metric.ACCURACY, Metric.ACCURACY.weighted(), MeanMetric.topK(2, true).weighted());
    model.setWeights(List.of(array("kernel"), array("bias")));
    return model;
  }

  /** Every log Keras gave (loss, accuracy, weighted_accuracy, top-2) equals Jeras'. */
  private static void assertLogs(Map<String, Double> logs, String name) {
    JsonNode expected = references.get("cases").get(name);
    assertThat(logs.keySet()).as(name).containsExactlyInAnyOrderElementsOf(
        () -> expected.fieldNames());
    expected.fields().forEachRemaining(e -> assertThat(logs.get(e.getKey()))
        .as(name + " " + e.getKey()).isCloseTo(e.getValue().asDouble(), within(1e-5)));
  }

  @Test
  void weightedMetrics_areWeightedAsKeras_andNamedAsKeras() {
    try (Sequential model = weightedMetricsModel()) {
      assertLogs(model.evaluate(array("x"), array("labels"), Evaluate.defaults().batchSize(4)
          .verbose(0).sampleWeight(array("sample_weight"))), "evaluate_weighted_metrics");
    }
    try (Sequential model = weightedMetricsModel()) {
      History history = model.fit(array("x"), array("labels"), Fit.epochs(1).batchSize(4)
          .shuffle(false).verbose(0).classWeight(classWeight()));
      Map<String, Double> logs = new HashMap<>();
      history.history().forEach((key, values) -> logs.put(key, values.get(0)));
      assertLogs(logs, "fit_class_weight_weighted_metrics");
    }
  }

  @Test
  void fit_withSampleWeights_isKeras() {
    try (Sequential model = model(Loss.SPARSE_CATEGORICAL_CROSSENTROPY)) {
      History history = model.fit(array("x"), array("labels"), Fit.epochs(1).batchSize(4)
          .shuffle(false).verbose(0).sampleWeight(array("sample_weight")));
      assertFit(model, history, "fit_sample_weight");
    }
  }

  @Test
  void fit_withClassWeights_isKeras_forSparseAndOneHotLabels() {
    try (Sequential model = model(Loss.SPARSE_CATEGORICAL_CROSSENTROPY)) {
      History history = model.fit(array("x"), array("labels"), Fit.epochs(1).batchSize(4)
          .shuffle(false).verbose(0).classWeight(classWeight()));
      assertFit(model, history, "fit_class_weight_sparse");
    }
    try (Sequential model = model(Loss.CATEGORICAL_CROSSENTROPY)) {
      History history = model.fit(array("x"), oneHot(array("labels")), Fit.epochs(1)
          .batchSize(4).shuffle(false).verbose(0).classWeight(classWeight()));
      assertFit(model, history, "fit_class_weight_onehot");
    }
  }

  /** Keras' reductions {@code sum} and {@code mean_with_sample_weight} (with sample weights). */
  @Test
  void lossReductions_areKeras() {
    try (Sequential model = model(Loss.SPARSE_CATEGORICAL_CROSSENTROPY
        .withReduction(Reduction.SUM))) {
      History history = model.fit(array("x"), array("labels"), Fit.epochs(1).batchSize(4)
          .shuffle(false).verbose(0));
      assertFit(model, history, "fit_reduction_sum");
    }
    try (Sequential model = model(Loss.SPARSE_CATEGORICAL_CROSSENTROPY
        .withReduction(Reduction.of("mean_with_sample_weight")))) {
      History history = model.fit(array("x"), array("labels"), Fit.epochs(1).batchSize(4)
          .shuffle(false).verbose(0).sampleWeight(array("sample_weight")));
      assertFit(model, history, "fit_reduction_mean_with_sample_weight");
    }
    assertThatThrownBy(() -> Reduction.of("none"))
        .hasMessageStartingWith("Invalid value for argument `reduction`.");
  }

  /**
   * {@code train_on_batch} (plain, then with sample weights), {@code test_on_batch}, {@code
   * reset_metrics}, {@code test_on_batch} again: each returns the loss and accuracy Keras 3
   * returns, running across the calls until the reset; the weights after the two steps and
   * {@code predict_on_batch} are Keras'.
   */
  @Test
  void onBatchMethods_keepRunningLogsAsKeras() {
    JsonNode expected = references.get("cases").get("on_batch");
    FloatNdArray x = array("x");
    FloatNdArray labels = array("labels");
    FloatNdArray weights = array("sample_weight");
    try (Sequential model = model(Loss.SPARSE_CATEGORICAL_CROSSENTROPY)) {
      List<Map<String, Double>> logs = List.of(
          model.trainOnBatch(x.slice(Indices.range(0, 4)), labels.slice(Indices.range(0, 4))),
          model.trainOnBatch(x.slice(Indices.range(4, 8)), labels.slice(Indices.range(4, 8)),
              weights.slice(Indices.range(4, 8))),
          model.testOnBatch(x.slice(Indices.range(8, 10)), labels.slice(Indices.range(8, 10))));
      model.resetMetrics();
      List<Map<String, Double>> all = new ArrayList<>(logs);
      all.add(model.testOnBatch(x.slice(Indices.range(8, 10)),
          labels.slice(Indices.range(8, 10))));
      for (int i = 0; i < all.size(); i++) {
        JsonNode keras = expected.get("logs").get(i);
        assertThat(all.get(i).get("loss")).as("call %s loss", i + 1)
            .isCloseTo(keras.get("loss").asDouble(), within(1e-5));
        assertThat(all.get(i).get("accuracy")).as("call %s accuracy", i + 1)
            .isCloseTo(keras.get("accuracy").asDouble(), within(1e-6));
      }
      float[] kernel = Data.toFloatArray(model.getWeights().get(0));
      float[] kerasKernel = Data.toFloatArray(KerasReferences.array(expected.get("kernel")));
      for (int i = 0; i < kernel.length; i++) {
        assertThat(kernel[i]).as("kernel[%s]", i).isCloseTo(kerasKernel[i], within(1e-5f));
      }
      float[] predicted = Data.toFloatArray(model.predictOnBatch(x.slice(Indices.range(0, 3))));
      float[] kerasPredicted = Data.toFloatArray(
          KerasReferences.array(expected.get("predict_on_batch")));
      for (int i = 0; i < predicted.length; i++) {
        assertThat(predicted[i]).as("prediction[%s]", i).isCloseTo(kerasPredicted[i],
            within(1e-5f));
      }
    }
  }

  /** Class weights on a dataset's batches: the same epoch as on the arrays (Keras'). */
  @Test
  void classWeights_onADataset_areKeras() {
    try (Sequential model = model(Loss.SPARSE_CATEGORICAL_CROSSENTROPY)) {
      History history = model.fit(Datasets.fromArrays(array("x"), array("labels"), 4),
          Fit.epochs(1).verbose(0).classWeight(classWeight()));
      assertFit(model, history, "fit_class_weight_sparse");
    }
  }

  /** A dataset of (x, y, sample_weight) batches, as Keras takes a tf.data dataset of them. */
  @Test
  void sampleWeights_carriedByADatasetsBatches_areKeras() {
    try (Sequential model = model(Loss.SPARSE_CATEGORICAL_CROSSENTROPY)) {
      Map<String, Double> result = model.evaluate(Datasets.fromArrays(array("x"),
          array("labels"), array("sample_weight"), 4));
      JsonNode expected = references.get("cases").get("evaluate_sample_weight");
      assertThat(result.get("loss")).isCloseTo(expected.get("loss").asDouble(), within(1e-5));
      History history = model.fit(Datasets.fromArrays(array("x"), array("labels"),
          array("sample_weight"), 4), Fit.epochs(1).verbose(0));
      assertFit(model, history, "fit_sample_weight");
    }
  }

  @Test
  void datasetWeights_withClassWeights_orOfTheWrongShape_failNamingWhy() {
    try (Sequential model = model(Loss.SPARSE_CATEGORICAL_CROSSENTROPY)) {
      assertThatThrownBy(() -> model.fit(Datasets.fromArrays(array("x"), array("labels"),
          array("sample_weight"), 4), Fit.epochs(1).verbose(0).classWeight(classWeight())))
          .hasMessageContaining("You cannot `class_weight` and `sample_weight`");
      assertThatThrownBy(() -> model.fit(new Dataset() {
        @Override
        public long cardinality() {
          return 1;
        }

        @Override
        public Pass pass(int pass) {
          java.util.Iterator<DataBatch> batches = List.of(DataBatch.of(array("x"),
              array("labels"), Data.floats(new float[] {1, 2, 3}, 3))).iterator();
          return new Pass() {
            @Override
            public boolean hasNext() {
              return batches.hasNext();
            }

            @Override
            public DataBatch next() {
              return batches.next();
            }

            @Override
            public void close() {}
          };
        }
      }, Fit.epochs(1).verbose(0))).hasMessageContaining("Sample weights of shape (3,)")
          .hasMessageContaining("do not match the 10 samples");
    }
  }

  @Test
  void badWeights_failNamingWhatWasExpected() {
    try (Sequential model = model(Loss.SPARSE_CATEGORICAL_CROSSENTROPY)) {
      assertThatThrownBy(() -> model.fit(array("x"), array("labels"),
          Fit.epochs(1).verbose(0).sampleWeight(Data.floats(new float[3], 3))))
          .hasMessage("Sample weights of shape (3,) do not match the 10 samples: expected one"
              + " weight per sample, of shape (10,) or (10, 1)");
      float[] negative = new float[10];
      negative[7] = -1;
      assertThatThrownBy(() -> model.fit(array("x"), array("labels"),
          Fit.epochs(1).verbose(0).sampleWeight(Data.floats(negative, 10))))
          .hasMessage("Sample weight -1.0 at index 7 is not a finite non-negative number");
      assertThatThrownBy(() -> Fit.epochs(1).sampleWeight(array("sample_weight"))
          .classWeight(Map.of(0, 2.0)))
          .hasMessage("You cannot `class_weight` and `sample_weight` at the same time.");
    }
  }
}
