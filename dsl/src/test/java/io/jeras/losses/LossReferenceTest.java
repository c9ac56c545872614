package io.jeras.losses;

import static io.jeras.KerasReferences.array;
import static io.jeras.activations.Activations.SOFTMAX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.jeras.KerasReferences;
import io.jeras.bridge.Gradients;
import io.jeras.bridge.GraphRuntime;
import io.jeras.bridge.SessionOptions;
import io.jeras.bridge.Tensors;
import io.jeras.callbacks.History;
import io.jeras.data.Data;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Input;
import io.jeras.models.Sequential;
import io.jeras.optimizers.SGD;
import io.jeras.trainers.Fit;
import io.jeras.utils.Reductions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Every loss against Keras 3 ({@code loss-references.json}, made by
 * {@code savedmodels/python/make_loss_references.py}): the per-sample values, the loss with
 * Keras' default reduction and its gradient with respect to the prediction (or to the logits
 * of a sigmoid/softmax output), to 1e-6 relative; and one epoch of training with a focal loss.
 */
class LossReferenceTest {
  private static final double TOLERANCE = 1e-6;
  private static JsonNode references;

  @BeforeAll
  static void load() {
    references = KerasReferences.read(LossReferenceTest.class, "loss-references.json");
  }

  static Stream<String> cases() {
    load();
    List<String> names = new ArrayList<>();
    references.get("cases").fieldNames().forEachRemaining(names::add);
    return names.stream();
  }

  /** The Jeras loss for Keras' class and constructor arguments. */
  static Loss lossFor(String kind, JsonNode args) {
    boolean fromLogits = args.path("from_logits").asBoolean(false);
    double smoothing = args.path("label_smoothing").asDouble(0);
    return switch (kind) {
      case "BinaryCrossentropy" -> BinaryCrossentropy.defaults().fromLogits(fromLogits)
          .labelSmoothing(smoothing);
      case "CategoricalCrossentropy" -> CategoricalCrossentropy.defaults().fromLogits(fromLogits)
          .labelSmoothing(smoothing);
      case "SparseCategoricalCrossentropy" -> SparseCategoricalCrossentropy.defaults()
          .fromLogits(fromLogits);
      case "BinaryFocalCrossentropy" -> BinaryFocalCrossentropy.defaults()
          .applyClassBalancing(args.path("apply_class_balancing").asBoolean(false))
          .alpha(args.path("alpha").asDouble(BinaryFocalCrossentropy.DEFAULT_ALPHA))
          .gamma(args.path("gamma").asDouble(BinaryFocalCrossentropy.DEFAULT_GAMMA))
          .fromLogits(fromLogits).labelSmoothing(smoothing);
      case "CategoricalFocalCrossentropy" -> {
        CategoricalFocalCrossentropy loss = CategoricalFocalCrossentropy.defaults()
            .gamma(args.path("gamma").asDouble(CategoricalFocalCrossentropy.DEFAULT_GAMMA))
            .fromLogits(fromLogits).labelSmoothing(smoothing);
        JsonNode alpha = args.path("alpha");
        if (alpha.isArray()) {
          double[] alphas = new double[alpha.size()];
          for (int i = 0; i < alphas.length; i++) {
            alphas[i] = alpha.get(i).asDouble();
          }
          yield loss.alpha(alphas);
        }
        yield alpha.isMissingNode() ? loss : loss.alpha(alpha.asDouble());
      }
      case "Hinge" -> Loss.HINGE;
      case "SquaredHinge" -> Loss.SQUARED_HINGE;
      case "CategoricalHinge" -> Loss.CATEGORICAL_HINGE;
      case "KLDivergence" -> Loss.KL_DIVERGENCE;
      case "LogCosh" -> Loss.LOG_COSH;
      case "Poisson" -> Loss.POISSON;
      case "CosineSimilarity" -> CosineSimilarity.axis(args.path("axis").asInt(-1));
      case "MeanAbsolutePercentageError" -> Loss.MEAN_ABSOLUTE_PERCENTAGE_ERROR;
      case "MeanSquaredLogarithmicError" -> Loss.MEAN_SQUARED_LOGARITHMIC_ERROR;
      case "MeanSquaredError" -> Loss.MEAN_SQUARED_ERROR;
      case "MeanAbsoluteError" -> Loss.MEAN_ABSOLUTE_ERROR;
      case "Huber" -> args.has("delta") ? Huber.delta(args.get("delta").asDouble()) : Loss.HUBER;
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private static Operand<TFloat32> constant(Ops tf, JsonNode node) {
    return tf.constant(array(node));
  }

  static void assertClose(float[] actual, JsonNode expected, String what) {
    JsonNode values = expected.get("values");
    assertThat(actual).as(what).hasSize(values.size());
    for (int i = 0; i < actual.length; i++) {
      double e = values.get(i).asDouble();
      assertThat((double) actual[i]).as("%s[%s]", what, i)
          .isCloseTo(e, within(TOLERANCE * Math.max(1, Math.abs(e))));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void lossValueAndGradientMatchKeras(String name) {
    JsonNode c = references.get("cases").get(name);
    Loss loss = lossFor(c.get("loss").asText(), c.get("args"));
    try (GraphRuntime runtime = new GraphRuntime(SessionOptions.defaults())) {
      Ops tf = runtime.tf();
      Operand<TFloat32> x = constant(tf, c.get("x"));
      Prediction prediction = switch (c.get("activation").asText("null")) {
        case "null" -> Prediction.of(x);
        case "sigmoid" -> new Prediction(tf.math.sigmoid(x), x);
        case "softmax" -> new Prediction(tf.nn.softmax(x), x);
        case "exponential" -> Prediction.of(tf.math.exp(x));
        default -> throw new IllegalArgumentException(c.get("activation").asText());
      };
      Operand<TFloat32> perSample = loss.call(tf, constant(tf, c.get("y_true")), prediction);
      // Keras' sum_over_batch_size, as the trainer reduces
      Operand<TFloat32> value = tf.math.mean(perSample, Reductions.allAxes(tf, perSample));
      List<Output<TFloat32>> gradient = Gradients.of(runtime.graph(), "gradients", value,
          List.of(x), List.of("x"));
      try (Result result = runtime.session().runner().fetch(perSample).fetch(value)
          .fetch(gradient.get(0)).run()) {
        assertThat(result.get(0).shape().asArray()).as("per-sample shape").containsExactly(
            array(c.get("per_sample")).shape().asArray());
        assertClose(Tensors.toFloats(result.get(0)), c.get("per_sample"), name + " per sample");
        double expected = c.get("value").asDouble();
        assertThat((double) Tensors.toFloats(result.get(1))[0]).as(name + " value")
            .isCloseTo(expected, within(TOLERANCE * Math.max(1, Math.abs(expected))));
        assertClose(Tensors.toFloats(result.get(2)), c.get("gradient"), name + " gradient");
      }
    }
  }

  @Test
  void everyLossClassIsCovered() {
    List<String> kinds = new ArrayList<>();
    references.get("cases").forEach(c -> kinds.add(c.get("loss").asText()));
    assertThat(kinds).contains("BinaryCrossentropy", "CategoricalCrossentropy",
        "SparseCategoricalCrossentropy", "BinaryFocalCrossentropy",
        "CategoricalFocalCrossentropy", "Hinge", "SquaredHinge", "CategoricalHinge",
        "KLDivergence", "LogCosh", "Poisson", "CosineSimilarity", "MeanAbsolutePercentageError",
        "MeanSquaredLogarithmicError", "MeanSquaredError", "MeanAbsoluteError", "Huber");
  }

  /** Dense(3, softmax), categorical focal loss with label smoothing 0.1, SGD 0.5, 2 steps. */
  @Test
  void oneEpochWithCategoricalFocalCrossentropyMatchesKeras() {
    JsonNode t = references.get("training");
    try (Sequential model = Sequential.of(Input.of(5), Dense.of(3).activation(SOFTMAX))) {
      model.setWeights(List.of(array(t.get("kernel")), array(t.get("bias"))));
      model.compile(SGD.defaults().learningRate(0.5),
          CategoricalFocalCrossentropy.defaults().labelSmoothing(0.1));
      History history = model.fit(array(t.get("x")), array(t.get("y")), Fit.epochs(1)
          .batchSize(4).shuffle(false).verbose(0));
      double expected = t.get("loss").asDouble();
      assertThat(history.get("loss").get(0)).isCloseTo(expected,
          within(1e-5 * Math.max(1, Math.abs(expected))));
      List<FloatNdArray> weights = new ArrayList<>(model.weights().values());
      assertClose(Data.toFloatArray(weights.get(0)), t.get("kernel_after"), "kernel");
      assertClose(Data.toFloatArray(weights.get(1)), t.get("bias_after"), "bias");
    }
  }
}
