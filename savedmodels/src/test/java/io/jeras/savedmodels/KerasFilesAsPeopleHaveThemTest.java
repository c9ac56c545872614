package io.jeras.savedmodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jeras.data.Data;
import io.jeras.layers.Layer;
import io.jeras.models.Model;
import io.jeras.models.ModelInput;
import io.jeras.models.ModelLayer;
import io.jeras.savedmodels.keras.KerasImportException;
import io.jeras.savedmodels.keras.KerasModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;

/**
 * Model files as people have them, written by the Keras releases they come from
 * ({@code savedmodels/python/formats/make_format_fixtures.py}: Keras 3.3, 3.8 and 3.15,
 * tf_keras 2.18, tf.keras 2.12 and 2.15, and Keras 2.2 and 2.3 files rebuilt from real ones, a
 * Teachable Machine export): each loads whatever its name says and predicts what the Keras that
 * wrote it predicted; each weights-only file loads into the same architecture; the models Jeras
 * cannot run fail with one short error naming the cause.
 */
class KerasFilesAsPeopleHaveThemTest {
  private static final Path FORMATS = Fixtures.dir("formats");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double TOLERANCE = 1e-5;
  /** Models of layers Jeras does not have, and the cause their import must name. */
  private static final Map<String, String> UNSUPPORTED = Map.of(
      "lambda_bytecode", "layer class Lambda holds Python code",
      "ops_and_kwargs", "is not supported");

  @TestFactory
  Stream<DynamicTest> everyFileOfEveryWriter() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> writers = Files.list(FORMATS)) {
      for (Path writer : writers.sorted().toList()) {
        if (!Files.exists(writer.resolve("manifest.json"))) {
          continue;
        }
        for (JsonNode entry : JSON.readTree(writer.resolve("manifest.json").toFile())
            .get("files")) {
          String file = entry.get("file").asText();
          String model = entry.get("model").asText();
          String format = entry.get("format").asText();
          tests.add(DynamicTest.dynamicTest(writer.getFileName() + "/" + file + " (" + format
              + ")", () -> check(writer, file, model, format)));
        }
      }
    }
    return tests.stream();
  }

  private static void check(Path writer, String file, String model, String format)
      throws IOException {
    Path path = writer.resolve(file);
    if (file.endsWith(".io.json") || format.contains("shard (")) {
      return; // read through the model or the shard index
    }
    boolean weightsOnly = format.startsWith("weights") || format.startsWith("sharded");
    if (UNSUPPORTED.containsKey(model)) {
      if (weightsOnly) {
        assertThatThrownBy(() -> load(path)).hasMessageContaining("holds weights only");
      } else {
        assertThatThrownBy(() -> load(path)).isInstanceOf(KerasImportException.class)
            .hasMessageContaining(UNSUPPORTED.get(model))
            .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(1000));
      }
      return;
    }
    JsonNode io = JSON.readTree(writer.resolve(model + ".io.json").toFile());
    if (weightsOnly) {
      // the architecture from the writer's whole-model file, its weights zeroed, then this file
      try (Model target = load(writer.resolve(model + ".h5"))) {
        List<FloatNdArray> zeros = new ArrayList<>();
        for (FloatNdArray w : target.getWeights()) {
          zeros.add(Data.floats(new float[(int) w.shape().size()], w.shape().asArray()));
        }
        target.setWeights(zeros);
        target.loadKerasWeights(path);
        assertPredicts(target, io, path, model);
      }
      return;
    }
    try (Model loaded = load(path)) {
      assertPredicts(loaded, io, path, model);
    }
  }

  private static Model load(Path path) {
    return KerasModels.load(path);
  }

  /**
   * Jeras' predictions equal Keras' to 1e-5; a mixed-precision model's to a few float16 steps
   * (both compute in float16, with kernels that may round differently).
   */
  private static void assertPredicts(Model model, JsonNode io, Path path, String modelName) {
    double tolerance = modelName.startsWith("mixed") ? 2e-3 : TOLERANCE;
    JsonNode inputs = io.get("inputs");
    Map<String, NdArray<?>> x = new LinkedHashMap<>();
    List<ModelInput> modelInputs = model.inputs();
    for (int i = 0; i < modelInputs.size(); i++) {
      String name = modelInputs.get(i).name();
      x.put(name, array(inputs.isObject() ? inputs.get(name) : inputs.get(i)));
    }
    Map<String, FloatNdArray> predicted = model.predict(x, 32, 0);
    List<String> outputs = model.outputNames();
    for (int i = 0; i < outputs.size(); i++) {
      FloatNdArray expected = array(io.get("outputs").get(i));
      assertClose(predicted.get(outputs.get(i)), expected, path + " output " + outputs.get(i),
          tolerance);
    }
  }

  @Test
  void teachableMachineExport_nestedSequentialsAroundMobileNetV2_predictsWhatKerasPredicted()
      throws IOException {
    Path dir = FORMATS.resolve("teachable_machine");
    try (Model model = load(dir.resolve("keras_model.h5"))) {
      assertThat(model.layers()).extracting(Layer::name)
          .containsExactly("sequential_1", "sequential_3");
      Model features = model.nestedModel("sequential_1");
      assertThat(features.layer("model1")).isInstanceOf(ModelLayer.class);
      assertThat(features.nestedModel("model1").layers()).hasSize(154);
      assertClose(model.predict(Fixtures.npy(dir.resolve("keras_model.input.npy"))),
          Fixtures.npy(dir.resolve("keras_model.expected.npy")), "teachable machine",
          TOLERANCE);
    }
  }

  static void assertClose(FloatNdArray actual, FloatNdArray expected, String what,
      double tolerance) {
    assertThat(actual.shape()).as(what).isEqualTo(expected.shape());
    float[] a = Data.toFloatArray(actual);
    float[] e = Data.toFloatArray(expected);
    for (int i = 0; i < a.length; i++) {
      assertThat((double) a[i]).as("%s[%s]", what, i).isCloseTo(e[i],
          org.assertj.core.api.Assertions.within(tolerance * Math.max(1, Math.abs(e[i]))));
    }
  }

  /** A nested JSON list of numbers as an array of its shape. */
  static FloatNdArray array(JsonNode nested) {
    List<Long> shape = new ArrayList<>();
    for (JsonNode level = nested; level.isArray(); level = level.get(0)) {
      shape.add((long) level.size());
    }
    List<Float> values = new ArrayList<>();
    collect(nested, values);
    float[] flat = new float[values.size()];
    for (int i = 0; i < flat.length; i++) {
      flat[i] = values.get(i);
    }
    return Data.floats(flat, shape.stream().mapToLong(Long::longValue).toArray());
  }

  private static void collect(JsonNode node, List<Float> into) {
    if (node.isArray()) {
      node.forEach(child -> collect(child, into));
    } else {
      into.add((float) node.asDouble());
    }
  }
}
