package io.jeras.mixedprecision;

import static io.jeras.KerasReferences.array;
import static io.jeras.activations.Activations.RELU;
import static io.jeras.activations.Activations.SOFTMAX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jeras.data.Data;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.core.Activation;
import io.jeras.layers.core.Dense;
import io.jeras.layers.normalization.BatchNormalization;
import io.jeras.layers.pooling.MaxPooling2D;
import io.jeras.layers.reshaping.Flatten;
import io.jeras.losses.Loss;
import io.jeras.models.Sequential;
import io.jeras.optimizers.LossScaleOptimizer;
import io.jeras.optimizers.Optimizer;
import io.jeras.optimizers.SGD;
import io.jeras.trainers.Fit;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;

/**
 * Mixed precision against Keras 3 under the same policies ({@code mixed-precision-references.json},
 * made by {@code savedmodels/python/make_mixed_precision_references.py}): the same CNN with
 * Keras' initial weights predicts, evaluates and trains three SGD steps as Keras does, to the
 * precision of the 16-bit type; under {@code mixed_float16} the loss scale, its counter and the
 * skipped steps are Keras' exactly.
 */
class MixedPrecisionTest {
  private static JsonNode references;
  private static FloatNdArray x;
  private static IntNdArray y;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = MixedPrecisionTest.class.getResourceAsStream(
        "mixed-precision-references.json")) {
      references = new ObjectMapper().readTree(in);
    }
    x = array(references.get("x"));
    int[] labels = new int[references.get("y").size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = references.get("y").get(i).asInt();
    }
    y = Data.ints(labels);
  }

  @AfterEach
  void resetPolicy() {
    MixedPrecision.setGlobalPolicy("float32");
  }

  @Test
  void policies_areKeras() {
    assertThat(DTypePolicy.of("mixed_bfloat16").computeDtype()).isEqualTo("bfloat16");
    assertThat(DTypePolicy.of("mixed_bfloat16").variableDtype()).isEqualTo("float32");
    assertThat(DTypePolicy.of("mixed_float16").computeType()).isEqualTo(TFloat16.class);
    assertThat(DTypePolicy.of("float32").isMixed()).isFalse();
    assertThatThrownBy(() -> DTypePolicy.of("mixed_float64"))
        .hasMessageContaining("expected one of float32, mixed_float16, mixed_bfloat16");
    MixedPrecision.setGlobalPolicy("mixed_bfloat16");
    Dense dense = Dense.of(3);
    MixedPrecision.setGlobalPolicy("float32");
    assertThat(dense.computeType()).as("the policy when the layer was built").isEqualTo(
        TBfloat16.class);
    assertThat(dense.dtype("float32").computeType()).isEqualTo(TFloat32.class);
    assertThat(BatchNormalization.of().dtype("mixed_bfloat16").computeType())
        .as("normalizations compute in float32").isEqualTo(TFloat32.class);
  }

  @Test
  void mixedBfloat16_asKeras() {
    check("mixed_bfloat16", null, 2e-2);
  }

  @Test
  void mixedBfloat16_withTheLastLayerInFloat32_asKeras() {
    check("mixed_bfloat16_last_float32", null, 2e-2);
  }

  @Test
  void mixedFloat16_wrapsTheOptimizerAndScalesTheLossAsKeras() {
    check("mixed_float16", null, 2e-3);
  }

  @Test
  void float16Overflow_skipsTheStepAndHalvesTheScale() {
    check("float16_overflow", LossScaleOptimizer.of(SGD.defaults().learningRate(0.1))
        .initialScale((float) Math.pow(2, 40)), 2e-3);
  }

  @Test
  void float16Growth_doublesTheScaleAfterDynamicGrowthSteps() {
    check("float16_growth", LossScaleOptimizer.of(SGD.defaults().learningRate(0.1))
        .initialScale(1).dynamicGrowthSteps(2), 2e-3);
  }

  private static void check(String name, Optimizer optimizer, double tolerance) {
    JsonNode ref = references.get("cases").get(name);
    MixedPrecision.setGlobalPolicy(ref.get("policy").asText());
    Dense last = Dense.of(5).activation(SOFTMAX);
    try (Sequential model = Sequential.of(
        Conv2D.of(4, 3).activation(RELU).padding("same").inputShape(8, 8, 1),
        MaxPooling2D.of(2),
        Conv2D.of(6, 3),
        BatchNormalization.of(),
        Activation.of(RELU),
        Flatten.of(),
        ref.get("last_float32").asBoolean() ? last.dtype("float32") : last)) {
      MixedPrecision.setGlobalPolicy("float32");
      List<FloatNdArray> initial = new ArrayList<>();
      ref.get("initial").forEach(w -> initial.add(array(w)));
      model.setWeights(initial);
      model.compile(optimizer != null ? optimizer : SGD.defaults().learningRate(0.1),
          Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
      assertThat(model.graph().optimizerVariableNames().stream()
          .anyMatch(v -> v.startsWith("loss_scale_optimizer/")))
          .as("%s: the optimizer is wrapped in a LossScaleOptimizer", name)
          .isEqualTo(ref.get("optimizer").asText().equals("LossScaleOptimizer"));

      assertClose(model.predict(x), array(ref.get("predictions")), tolerance,
          name + " predictions");
      assertThat(model.evaluate(x, y).get("loss")).as(name + " loss")
          .isCloseTo(ref.get("loss").asDouble(), org.assertj.core.api.Assertions.within(
              tolerance * 5));

      int steps = ref.has("dynamic_scale") && name.equals("float16_overflow") ? 1 : 3;
      long samples = 4L * steps;
      model.fit(x.slice(org.tensorflow.ndarray.index.Indices.range(0, samples)),
          y.slice(org.tensorflow.ndarray.index.Indices.range(0, samples)),
          Fit.epochs(1).batchSize(4).shuffle(false).verbose(0));
      List<FloatNdArray> trained = model.getWeights();
      for (int i = 0; i < trained.size(); i++) {
        assertClose(trained.get(i), array(ref.get("trained").get(i)), tolerance,
            name + " weight " + i + " after " + steps + " steps");
      }
      String iteration = model.graph().iterationName();
      assertThat(model.graph().read(List.of(iteration)).get(iteration).longs()[0])
          .as(name + ": the inner optimizer's iterations").isEqualTo(
              ref.get("iterations").asLong());
      if (ref.has("dynamic_scale")) {
        var state = model.graph().read(List.of("loss_scale_optimizer/dynamic_scale",
            "loss_scale_optimizer/step_counter"));
        assertThat(state.get("loss_scale_optimizer/dynamic_scale").floats()[0])
            .as(name + ": dynamic_scale").isEqualTo((float) ref.get("dynamic_scale").asDouble());
        assertThat(state.get("loss_scale_optimizer/step_counter").longs()[0])
            .as(name + ": step_counter").isEqualTo(ref.get("step_counter").asLong());
      }
    }
  }

  /** Within {@code tolerance} of Keras' values, relative to the largest of them. */
  private static void assertClose(FloatNdArray actual, FloatNdArray expected, double tolerance,
      String what) {
    assertThat(actual.shape()).as(what).isEqualTo(expected.shape());
    float[] a = Data.toFloatArray(actual);
    float[] e = Data.toFloatArray(expected);
    double scale = 1e-3;
    for (float v : e) {
      scale = Math.max(scale, Math.abs(v));
    }
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - e[i]));
    }
    assertThat(worst / scale).as("%s: largest difference %s (largest value %s)", what, worst,
        scale).isLessThanOrEqualTo(tolerance);
  }
}
