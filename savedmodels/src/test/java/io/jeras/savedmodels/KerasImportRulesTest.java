package io.jeras.savedmodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jeras.constraints.Constraints;
import io.jeras.data.Data;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Input;
import io.jeras.layers.reshaping.Flatten;
import io.jeras.models.Model;
import io.jeras.models.Sequential;
import io.jeras.regularizers.L1L2;
import io.jeras.savedmodels.keras.KerasImportException;
import io.jeras.savedmodels.keras.KerasModels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * The rules every import follows: each key of each layer's config is used or known not to change
 * the computation (anything else fails naming layer and key); regularizers and constraints come
 * along; errors name root causes only, grouped, short even for a 200-layer model; a weights file
 * that does not fit the model names the first layer that does not and both shapes.
 */
class KerasImportRulesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path FIXTURES = Fixtures.dir("tf2.18");
  private static PythonWorker keras;

  @TempDir
  Path dir;

  @BeforeAll
  static void startKeras() throws Exception {
    keras = PythonWorker.start("application_worker.py", false);
  }

  @AfterAll
  static void stopKeras() throws Exception {
    keras.close();
  }

  /** A copy of a .keras file with its config.json edited. */
  private Path edited(Path source, String name, Consumer<ObjectNode> edit) throws IOException {
    Path changed = dir.resolve(name);
    try (ZipFile zip = new ZipFile(source.toFile());
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(changed))) {
      ObjectNode config;
      try (InputStream in = zip.getInputStream(zip.getEntry("config.json"))) {
        config = (ObjectNode) JSON.readTree(in);
      }
      edit.accept(config);
      for (String entry : List.of("metadata.json", "config.json", "model.weights.h5")) {
        out.putNextEntry(new ZipEntry(entry));
        if (entry.equals("config.json")) {
          out.write(JSON.writeValueAsBytes(config));
        } else {
          try (InputStream in = zip.getInputStream(zip.getEntry(entry))) {
            in.transferTo(out);
          }
        }
      }
    }
    return changed;
  }

  /** Every layer config of a model config, nested models' too. */
  private static List<ObjectNode> layerConfigs(JsonNode model) {
    List<ObjectNode> configs = new ArrayList<>();
    for (JsonNode layer : model.path("config").path("layers")) {
      configs.add((ObjectNode) layer);
      if (layer.path("config").has("layers")) {
        configs.addAll(layerConfigs(layer));
      }
    }
    return configs;
  }

  @Test
  void aKeyJerasDoesNotKnow_failsNamingLayerAndKey() throws IOException {
    Path changed = edited(FIXTURES.resolve("cnn.keras"), "unknown-key.keras", config -> {
      ObjectNode conv = (ObjectNode) layerConfigs(config).get(1).path("config");
      conv.put("lora_alpha", 8);
    });
    assertThatThrownBy(() -> KerasModels.load(changed)).isInstanceOf(KerasImportException.class)
        .hasMessage("Cannot import " + changed + " into Jeras: Conv2D option lora_alpha=8 is not"
            + " understood by Jeras (layer conv_1)");
  }

  @Test
  void keysThatDoNotChangeTheComputation_areAccepted() throws IOException {
    // what newer Keras releases add, with their neutral values
    Path changed = edited(FIXTURES.resolve("cnn.keras"), "newer.keras", config -> {
      for (ObjectNode layer : layerConfigs(config)) {
        ObjectNode c = (ObjectNode) layer.path("config");
        if (layer.path("class_name").asText().equals("Dense")) {
          c.putNull("quantization_config");
          c.putNull("lora_rank");
        }
        if (layer.path("class_name").asText().equals("InputLayer")) {
          c.put("ragged", false);
          c.put("optional", false);
        }
      }
    });
    try (Model model = KerasModels.load(changed)) {
      SavedModelImportTest.assertClose(model.predict(Fixtures.npy(FIXTURES.resolve("cnn.x0.npy"))),
          Fixtures.npy(FIXTURES.resolve("cnn.y.npy")), 1e-5f);
    }
  }

  @Test
  void regularizersAndConstraints_comeAlong() {
    Path file = Fixtures.dir("formats").resolve("keras3-3.8.0/functional_shared_nested.keras");
    try (Model model = KerasModels.load(file)) {
      Dense shared = (Dense) model.layer("shared");
      assertThat(shared.kernelRegularizer()).isEqualTo(new L1L2(0, 0.01f));
      assertThat(shared.kernelConstraint()).isInstanceOf(Constraints.MaxNorm.class);
      Constraints.MaxNorm maxNorm = (Constraints.MaxNorm) shared.kernelConstraint();
      assertThat(maxNorm.maxValue()).isEqualTo(2.0);
      assertThat(maxNorm.axes()).containsExactly(0);
    }
  }

  @Test
  void weightsForAnotherModel_nameTheFirstLayerThatDoesNotFitAndBothShapes() {
    Path weights = FIXTURES.resolve("cnn.keras");
    try (Sequential other = Sequential.of(Input.of(28, 28, 1), Flatten.of(),
        Dense.of(3).name("classes"))) {
      // matched by place, as Keras does: the model's first Dense takes the file's first Dense
      assertThatThrownBy(() -> other.loadKerasWeights(weights)).hasMessage("Weight"
          + " classes/kernel has shape (784, 3) in the model but (800, 64) in " + weights);
    }
    try (Sequential same = Sequential.of(Input.of(28, 28, 1), Flatten.of(),
        Dense.of(64).name("features"), Dense.of(5).name("classes"))) {
      Path h5 = FIXTURES.resolve("cnn.h5");
      assertThatThrownBy(() -> same.loadKerasWeights(h5)).hasMessage("Layer count mismatch: "
          + h5 + " holds weights for 4 layers [conv_1, conv_2, features, classes], the model"
          + " has 2 layers with weights [features, classes]");
    }
  }

  @Test
  void weightsOfTheRightModel_loadIntoAModelBuiltInJava() throws IOException {
    Path file = Fixtures.dir("formats").resolve("keras3-3.8.0/mlp_seq.weights.h5");
    try (Model reference = KerasModels.load(Fixtures.dir("formats")
        .resolve("keras3-3.8.0/mlp_seq.keras"))) {
      List<FloatNdArray> zeros = new ArrayList<>();
      reference.getWeights().forEach(w -> zeros.add(Data.floats(new float[(int) w.shape()
          .size()], w.shape().asArray())));
      Map<String, FloatNdArray> expected = reference.weights();
      reference.setWeights(zeros);
      reference.loadKerasWeights(file);
      reference.weights().forEach((name, value) -> assertThat(Data.toFloatArray(value))
          .as(name).containsExactly(Data.toFloatArray(expected.get(name))));
    }
  }

  /**
   * The two models whose errors used to run to 18,000 and 24,000 characters (every downstream
   * layer repeated its input's failure): with an activation Jeras does not know, each cause is
   * named once, with its count and a few layer names.
   */
  @Test
  void errorsOnApplicationSizeModels_areRootCausesOnlyAndShort() throws Exception {
    for (String name : List.of("MobileNetV3Small", "EfficientNetV2B0")) {
      Path made = dir.resolve(name);
      keras.call(Map.of("op", "make", "name", name, "dir", made.toString()));
      Path changed = edited(made.resolve("model.keras"), name + ".keras", config -> {
        for (ObjectNode layer : layerConfigs(config)) {
          ObjectNode c = (ObjectNode) layer.path("config");
          String activation = c.path("activation").asText("");
          if (activation.equals("hard_silu") || activation.equals("swish")
              || activation.equals("silu")) {
            c.put("activation", "smish");
          }
        }
      });
      assertThatThrownBy(() -> KerasModels.load(changed)).isInstanceOf(
          KerasImportException.class).satisfies(e -> {
            KerasImportException error = (KerasImportException) e;
            assertThat(error.getMessage()).as(name).hasSizeLessThan(1000)
                .matches("Cannot import .* into Jeras: activation 'smish' is not supported \\("
                    + "\\d+ layers: [a-z0-9_]+, [a-z0-9_]+, [a-z0-9_]+, \\.\\.\\.\\)");
            assertThat(error.causes()).as(name).hasSize(1);
          });
    }
  }
}
