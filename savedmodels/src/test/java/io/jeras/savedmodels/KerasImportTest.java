package io.jeras.savedmodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jeras.Jeras;
import io.jeras.data.Data;
import io.jeras.layers.Layer;
import io.jeras.models.Functional;
import io.jeras.models.Model;
import io.jeras.models.ModelInput;
import io.jeras.models.Sequential;
import io.jeras.savedmodels.keras.KerasImportException;
import io.jeras.savedmodels.keras.KerasModels;
import io.jeras.trainers.Fit;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.ndarray.FloatNdArray;

/** Keras 3 .keras and Keras 2 .h5 files imported as trainable Jeras models. */
class KerasImportTest {
  static final Path FIXTURES = Fixtures.dir("tf2.18");

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"cnn.keras", "cnn.h5"})
  void importedCnn_predictsWhatKerasPredicts(String file) {
    try (Sequential model = KerasModels.loadSequential(FIXTURES.resolve(file))) {
      assertThat(model.name()).isEqualTo("cnn");
      assertThat(model.inputName()).isEqualTo("image");
      assertThat(model.layers()).extracting(Layer::name).containsExactly("conv_1", "pool_1",
          "conv_2", "pool_2", "flatten", "features", "dropout", "classes");
      SavedModelImportTest.assertClose(model.predict(Fixtures.npy(FIXTURES.resolve("cnn.x0.npy"))),
          Fixtures.npy(FIXTURES.resolve("cnn.y.npy")), 1e-5f);
    }
  }

  @Test
  void unfreezingTheTopLayers_letsFitChangeThemOnly() {
    Jeras.setRandomSeed(21);
    FloatNdArray x = Fixtures.npy(FIXTURES.resolve("cnn.x0.npy"));
    int[] y = new int[16];
    for (int i = 0; i < 16; i++) {
      y[i] = (i * 7) % 5;
    }
    try (Sequential model = KerasModels.loadSequential(FIXTURES.resolve("cnn.keras"))) {
      model.setTrainable(false).setTrainable("classes", true);
      model.compile("adam", "sparse_categorical_crossentropy");
      Map<String, FloatNdArray> before = model.weights();
      model.fit(x, Data.ints(y), Fit.epochs(2).batchSize(8).verbose(0));
      Map<String, FloatNdArray> after = model.weights();
      assertThat(Data.toFloatArray(after.get("conv_1/kernel")))
          .containsExactly(Data.toFloatArray(before.get("conv_1/kernel")));
      assertThat(Data.toFloatArray(after.get("features/kernel")))
          .containsExactly(Data.toFloatArray(before.get("features/kernel")));
      assertThat(Data.toFloatArray(after.get("classes/kernel")))
          .isNotEqualTo(Data.toFloatArray(before.get("classes/kernel")));

      model.setTrainable("features", true);
      model.compile("adam", "sparse_categorical_crossentropy");
      model.fit(x, Data.ints(y), Fit.epochs(1).batchSize(8).verbose(0));
      assertThat(Data.toFloatArray(model.weights().get("features/kernel")))
          .isNotEqualTo(Data.toFloatArray(after.get("features/kernel")));
      assertThat(Data.toFloatArray(model.weights().get("conv_1/kernel")))
          .containsExactly(Data.toFloatArray(before.get("conv_1/kernel")));
    }
  }

  @Test
  void cutAtTheFeatures_matchesThePythonFeatureExtractor() {
    try (Sequential model = KerasModels.loadSequential(FIXTURES.resolve("cnn.keras"));
        Sequential base = model.upTo("flatten")) {
      SavedModelImportTest.assertClose(base.predict(Fixtures.npy(FIXTURES.resolve("cnn.x0.npy"))),
          Fixtures.npy(FIXTURES.resolve("cnn.features.npy")), 1e-5f);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"two_inputs.keras", "two_inputs.h5"})
  void functionalModelWithTwoInputs_predictsWhatKerasPredicts(String file) {
    try (Model model = KerasModels.load(FIXTURES.resolve(file))) {
      assertThat(model).isInstanceOf(Functional.class);
      assertThat(model.inputs()).extracting(ModelInput::name).containsExactly("image", "extra");
      Map<String, FloatNdArray> x = Map.of(
          "image", Fixtures.npy(FIXTURES.resolve("two_inputs.x0.npy")),
          "extra", Fixtures.npy(FIXTURES.resolve("two_inputs.x1.npy")));
      SavedModelImportTest.assertClose(model.predict(x, 32, 0).get("classes"),
          Fixtures.npy(FIXTURES.resolve("two_inputs.y.npy")), 1e-5f);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"bn_dropout.keras", "bn_dropout.h5"})
  void batchNormalizationModel_predictsWhatKerasPredicts(String file) {
    try (Sequential model = KerasModels.loadSequential(FIXTURES.resolve(file))) {
      assertThat(model.weights().keySet()).contains("bn/moving_mean", "bn/moving_variance");
      SavedModelImportTest.assertClose(model.predict(Fixtures.npy(
          FIXTURES.resolve("bn_dropout.x0.npy"))), Fixtures.npy(
          FIXTURES.resolve("bn_dropout.y.npy")), 1e-5f);
    }
  }

  @Test
  void unsupportedLayersAndOptions_areAllListedInOneError() throws IOException {
    // two_inputs.keras with its Conv2D switched to channels_first and a ConvLSTM2D added
    Path source = FIXTURES.resolve("two_inputs.keras");
    Path changed = dir.resolve("changed.keras");
    ObjectMapper json = new ObjectMapper();
    try (ZipFile zip = new ZipFile(source.toFile());
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(changed))) {
      ObjectNode config = (ObjectNode) json.readTree(zip.getInputStream(
          zip.getEntry("config.json")));
      ArrayNode layers = (ArrayNode) config.path("config").path("layers");
      ((ObjectNode) layers.get(1).path("config")).put("data_format", "channels_first");
      ObjectNode recurrent = layers.get(5).deepCopy();
      recurrent.put("class_name", "ConvLSTM2D");
      ((ObjectNode) recurrent.path("config")).put("name", "memory");
      layers.add(recurrent);
      out.putNextEntry(new ZipEntry("config.json"));
      out.write(json.writeValueAsBytes(config));
      out.putNextEntry(new ZipEntry("model.weights.h5"));
      out.write(zip.getInputStream(zip.getEntry("model.weights.h5")).readAllBytes());
    }
    // root causes only, grouped, each naming its layer; flatten (which takes conv) is not listed
    assertThatThrownBy(() -> KerasModels.load(changed))
        .isInstanceOf(KerasImportException.class)
        .hasMessage("Cannot import " + changed + " into Jeras (2 problems): Conv2D option"
            + " data_format=\"channels_first\" is not supported (Jeras supports"
            + " \"channels_last\" or null) (layer conv); layer class ConvLSTM2D is not"
            + " supported by Jeras (layer memory)");
    assertThatThrownBy(() -> KerasModels.loadSequential(source))
        .hasMessageContaining("not a chain of layers");
  }

  @Test
  void zipEntriesThatEscape_areRejected() throws IOException {
    Path evil = dir.resolve("evil.keras");
    try (OutputStream out = Files.newOutputStream(evil); ZipOutputStream zip =
        new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("config.json"));
      zip.write("{}".getBytes());
      zip.putNextEntry(new ZipEntry("../../outside.h5"));
      zip.write(1);
    }
    assertThatThrownBy(() -> KerasModels.load(evil)).hasMessage("Keras file " + evil
        + " holds an unsafe entry \"../../outside.h5\" (absolute path or ..); refusing to read it");
    Path absolute = dir.resolve("absolute.keras");
    try (OutputStream out = Files.newOutputStream(absolute); ZipOutputStream zip =
        new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("/etc/config.json"));
      zip.write(1);
    }
    assertThatThrownBy(() -> KerasModels.load(absolute)).hasMessageContaining("unsafe entry");
  }

  @Test
  void badFiles() throws IOException {
    Path missing = dir.resolve("none.keras");
    assertThatThrownBy(() -> KerasModels.load(missing))
        .hasMessage("Keras model file " + missing + " does not exist");
    Path text = Files.writeString(dir.resolve("model.keras"), "not a zip");
    assertThatThrownBy(() -> KerasModels.load(text)).hasMessage(text + " is not a Keras file:"
        + " expected a .keras archive (a zip) or an HDF5 .h5 file, but it starts with bytes"
        + " 6e 6f 74 20 61 20 7a 69");
    Path empty = Files.write(dir.resolve("empty.h5"), new byte[0]);
    assertThatThrownBy(() -> KerasModels.load(empty)).hasMessageContaining(
        "is not a Keras file");
  }
}
