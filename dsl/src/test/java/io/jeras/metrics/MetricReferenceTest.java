package io.jeras.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.jeras.KerasReferences;
import io.jeras.data.Data;
import io.jeras.layers.core.Dense;
import io.jeras.losses.Loss;
import io.jeras.models.Sequential;
import io.jeras.optimizers.SGD;
import io.jeras.trainers.Evaluate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Every stateful metric against Keras 3 ({@code metric-references.json}, made by {@code
 * savedmodels/python/make_metric_references.py}): {@code update_state} on two batches, {@code
 * result()} after the first and after both, to 1e-6; and the same metrics compiled into a model
 * and accumulated over {@code evaluate}'s batches.
 */
class MetricReferenceTest {
  private static JsonNode references;

  @BeforeAll
  static void load() {
    references = KerasReferences.read(MetricReferenceTest.class, "metric-references.json");
  }

  static Stream<String> cases() {
    load();
    List<String> names = new ArrayList<>();
    references.get("cases").fieldNames().forEachRemaining(names::add);
    return names.stream();
  }

  /** The Jeras metric for Keras' class and arguments. */
  static Metric metricFor(String kind, JsonNode args) {
    return switch (kind) {
      case "AUC" -> {
        Auc auc = Auc.defaults().fromLogits(args.path("from_logits").asBoolean(false))
            .curve(args.path("curve").asText("ROC"))
            .summationMethod(Auc.Summation.valueOf(
                args.path("summation_method").asText("interpolation").toUpperCase()));
        if (args.has("num_thresholds")) {
          auc = auc.numThresholds(args.get("num_thresholds").asInt());
        }
        if (args.has("label_weights")) {
          double[] weights = new double[args.get("label_weights").size()];
          for (int i = 0; i < weights.length; i++) {
            weights[i] = args.get("label_weights").get(i).asDouble();
          }
          auc = auc.labelWeights(weights);
        }
        yield auc.multiLabel(args.path("multi_label").asBoolean(false));
      }
      case "Precision" -> {
        Precision precision = Precision.defaults();
        if (args.has("thresholds")) {
          precision = precision.threshold(args.get("thresholds").asDouble());
        }
        if (args.has("top_k")) {
          precision = precision.topK(args.get("top_k").asInt());
        }
        yield args.has("class_id") ? precision.classId(args.get("class_id").asInt()) : precision;
      }
      case "Recall" -> {
        Recall recall = Recall.defaults();
        if (args.has("thresholds")) {
          recall = recall.threshold(args.get("thresholds").asDouble());
        }
        if (args.has("top_k")) {
          recall = recall.topK(args.get("top_k").asInt());
        }
        yield args.has("class_id") ? recall.classId(args.get("class_id").asInt()) : recall;
      }
      case "TopKCategoricalAccuracy" -> MeanMetric.topK(args.get("k").asInt(), false);
      case "SparseTopKCategoricalAccuracy" -> MeanMetric.topK(args.get("k").asInt(), true);
      case "F1Score" -> FBetaScore.f1(args.get("average").asText());
      case "FBetaScore" -> {
        FBetaScore score = FBetaScore.fBeta(args.get("average").asText(),
            args.get("beta").asDouble());
        yield args.has("threshold") ? score.threshold(args.get("threshold").asDouble()) : score;
      }
      case "MeanIoU" -> {
        MeanIoU iou = MeanIoU.of(args.get("num_classes").asInt())
            .sparseYTrue(args.path("sparse_y_true").asBoolean(true))
            .sparseYPred(args.path("sparse_y_pred").asBoolean(true));
        yield args.has("ignore_class") ? iou.ignoreClass(args.get("ignore_class").asInt()) : iou;
      }
      case "BinaryAccuracy" -> Metric.BINARY_ACCURACY;
      case "CategoricalAccuracy" -> Metric.CATEGORICAL_ACCURACY;
      case "MeanAbsoluteError" -> Metric.MEAN_ABSOLUTE_ERROR;
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private static FloatNdArray data(String on, int which, int batch) {
    return KerasReferences.array(references.get("data").get(on).get(which)).get(batch);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void updateStateAndResult_areKeras(String name) {
    JsonNode reference = references.get("cases").get(name);
    Metric metric = metricFor(reference.get("metric").asText(), reference.get("args"));
    String on = reference.get("data").asText();
    MetricState state = MetricState.of(metric);
    assertThat(state.result()).as("before any update").isZero();
    state.updateState(data(on, 0, 0), data(on, 1, 0));
    assertThat(state.result()).as("after the first batch")
        .isCloseTo(reference.get("first").asDouble(), within(1e-6));
    state.updateState(data(on, 0, 1), data(on, 1, 1));
    assertThat(state.result()).as("after both")
        .isCloseTo(reference.get("result").asDouble(), within(1e-6));
    state.resetState();
    state.updateState(data(on, 0, 0), data(on, 1, 0));
    assertThat(state.result()).as("after a reset, the first batch again")
        .isCloseTo(reference.get("first").asDouble(), within(1e-6));
  }

  /** Keras' {@code update_state(y_true, y_pred, sample_weight)}, some weights 0. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void weightedUpdateStateAndResult_areKeras(String name) {
    JsonNode reference = references.get("cases").get(name);
    Metric metric = metricFor(reference.get("metric").asText(), reference.get("args"));
    String on = reference.get("data").asText();
    FloatNdArray weights = KerasReferences.array(references.get("weights"));
    MetricState state = MetricState.of(metric);
    state.updateState(data(on, 0, 0), data(on, 1, 0), weights.get(0));
    assertThat(state.result()).as("after the first batch")
        .isCloseTo(reference.get("weighted_first").asDouble(), within(1e-6));
    state.updateState(data(on, 0, 1), data(on, 1, 1), weights.get(1));
    assertThat(state.result()).as("after both")
        .isCloseTo(reference.get("weighted_result").asDouble(), within(1e-6));
  }

  /**
   * The binary metrics compiled into a model whose output is its input (a Dense(1) with kernel
   * 1, bias 0), evaluated over 32 samples in batches of 5: the trainer's sums over the batches
   * give Keras' result over both reference batches.
   */
  @Test
  void compiledMetrics_accumulateOverEvaluateBatches() {
    float[] predictions = new float[32];
    float[] labels = new float[32];
    for (int batch = 0; batch < 2; batch++) {
      float[] p = Data.toFloatArray(data("binary", 1, batch));
      float[] y = Data.toFloatArray(data("binary", 0, batch));
      System.arraycopy(p, 0, predictions, 16 * batch, 16);
      System.arraycopy(y, 0, labels, 16 * batch, 16);
    }
    try (Sequential model = Sequential.of(Dense.of(1).inputShape(1))) {
      model.compile(SGD.defaults(), Loss.MEAN_SQUARED_ERROR, Auc.defaults(),
          Auc.defaults().curve("PR").named("pr_auc"), Precision.defaults(), Recall.defaults());
      model.setWeights(List.of(Data.floats(new float[] {1}, 1, 1),
          Data.floats(new float[] {0}, 1)));
      Map<String, Double> logs = model.evaluate(Data.floats(predictions, 32, 1),
          Data.floats(labels, 32, 1), Evaluate.defaults().batchSize(5).verbose(0));
      JsonNode cases = references.get("cases");
      assertThat(logs.get("auc")).isCloseTo(cases.get("auc").get("result").asDouble(),
          within(1e-6));
      assertThat(logs.get("pr_auc")).isCloseTo(cases.get("auc_pr").get("result").asDouble(),
          within(1e-6));
      assertThat(logs.get("precision")).isCloseTo(
          cases.get("precision").get("result").asDouble(), within(1e-6));
      assertThat(logs.get("recall")).isCloseTo(cases.get("recall").get("result").asDouble(),
          within(1e-6));
    }
  }
}
