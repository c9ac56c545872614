package io.jeras.savedmodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jeras.data.Data;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;

/** Keras 3 models exported by Python TensorFlow 2.18, run from Java against Keras' outputs. */
class SavedModelImportTest {
  static final Path FIXTURES = Fixtures.dir("tf2.18");

  @TempDir
  Path dir;

  static void assertClose(NdArray<?> actual, FloatNdArray expected, float tolerance) {
    assertThat(actual.shape()).isEqualTo(expected.shape());
    float[] a = Data.toFloatArray((FloatNdArray) actual);
    float[] e = Data.toFloatArray(expected);
    for (int i = 0; i < a.length; i++) {
      assertThat(a[i]).as("value %s", i).isCloseTo(e[i], within(tolerance));
    }
  }

  /** Every model.export fixture in {@code dir} matches Keras; tf.saved_model.save ones fail. */
  static void checkFixtures(Path dir) {
    for (String model : new String[] {"cnn", "bn_dropout"}) {
      try (LoadedModel loaded = SavedModels.load(dir.resolve(model).resolve("export"))) {
        FloatNdArray x = Fixtures.npy(dir.resolve(model + ".x0.npy"));
        assertClose(loaded.predict(x), Fixtures.npy(dir.resolve(model + ".y.npy")), 1e-5f);
        assertThat(loaded.tensorflowVersion()).startsWith("2.18");
      }
    }
    try (LoadedModel loaded = SavedModels.load(dir.resolve("two_inputs/export"))) {
      Map<String, NdArray<?>> out = loaded.predict("serving_default", Map.of(
          "image", Fixtures.npy(dir.resolve("two_inputs.x0.npy")),
          "extra", Fixtures.npy(dir.resolve("two_inputs.x1.npy"))), 5);
      assertClose(out.get("output_0"), Fixtures.npy(dir.resolve("two_inputs.y.npy")), 1e-5f);
    }
    for (String model : new String[] {"cnn", "bn_dropout", "two_inputs"}) {
      Path path = dir.resolve(model).resolve("tf_saved_model");
      assertThatThrownBy(() -> SavedModels.load(path)).hasMessageEndingWith(
          "export them with model.export(path) instead.");
    }
  }

  @Test
  void committedFixtures_matchKeras() {
    checkFixtures(FIXTURES);
  }

  @ParameterizedTest
  @CsvSource({"cnn", "bn_dropout"})
  void singleInputModels_matchKerasPredictions(String model) {
    try (LoadedModel loaded = SavedModels.load(FIXTURES.resolve(model).resolve("export"))) {
      FloatNdArray x = Fixtures.npy(FIXTURES.resolve(model + ".x0.npy"));
      FloatNdArray expected = Fixtures.npy(FIXTURES.resolve(model + ".y.npy"));
      assertClose(loaded.predict(x), expected, 1e-5f);
      assertThat(loaded.tensorflowVersion()).startsWith("2.18");
    }
  }

  @Test
  void signatures_listInputsAndOutputsWithDtypesAndShapes() {
    try (LoadedModel loaded = SavedModels.load(FIXTURES.resolve("cnn/export"))) {
      assertThat(loaded.signatures()).extracting(SignatureInfo::key)
          .containsExactly("serve", "serving_default");
      assertThat(loaded.signature("serving_default").toString())
          .isEqualTo("serving_default(image: float32 (None, 28, 28, 1)) -> (output_0: float32"
              + " (None, 5))");
    }
  }

  @ParameterizedTest
  @CsvSource({"cnn", "bn_dropout", "two_inputs"})
  void tfSavedModelSave_ofKeras3Models_failsClearlyAtLoad(String model) {
    Path path = FIXTURES.resolve(model).resolve("tf_saved_model");
    assertThatThrownBy(() -> SavedModels.load(path)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("The SavedModel in " + path + " loads, but TensorFlow's loader"
            + " did not restore")
        .hasMessageEndingWith("export them with model.export(path) instead.");
  }

  @Test
  void twoInputs_byName_inSmallBatches() {
    try (LoadedModel loaded = SavedModels.load(FIXTURES.resolve("two_inputs").resolve("export"))) {
      SignatureInfo signature = loaded.signature("serving_default");
      assertThat(signature.inputs()).containsOnlyKeys("image", "extra");
      Map<String, NdArray<?>> out = loaded.predict("serving_default", Map.of(
          "image", Fixtures.npy(FIXTURES.resolve("two_inputs.x0.npy")),
          "extra", Fixtures.npy(FIXTURES.resolve("two_inputs.x1.npy"))), 5);
      assertClose(out.values().iterator().next(),
          Fixtures.npy(FIXTURES.resolve("two_inputs.y.npy")), 1e-5f);
    }
  }

  @Test
  void missingDirectory() {
    Path missing = dir.resolve("nothing");
    assertThatThrownBy(() -> SavedModels.load(missing))
        .hasMessage("SavedModel directory " + missing + " does not exist");
  }

  @Test
  void notASavedModel_listsWhatTheDirectoryHolds() throws IOException {
    Files.writeString(dir.resolve("notes.txt"), "hello");
    Files.createDirectory(dir.resolve("variables"));
    assertThatThrownBy(() -> SavedModels.load(dir)).hasMessage(dir + ": not a SavedModel: it"
        + " has no saved_model.pb (it holds notes.txt, variables)");
  }

  @Test
  void corruptSavedModelPb() throws IOException {
    Files.write(dir.resolve("saved_model.pb"), new byte[] {1, 2, 3, 4, 5, 6, 7});
    assertThatThrownBy(() -> SavedModels.load(dir))
        .hasMessageStartingWith(dir.resolve("saved_model.pb") + ": not a valid SavedModel");
  }

  @Test
  void unknownTag_listsTheTagsThatExist() {
    Path model = FIXTURES.resolve("cnn/export");
    assertThatThrownBy(() -> SavedModels.load(model, "train"))
        .hasMessage(model + ": the SavedModel has no graph tagged [train]; it has [serve]");
  }

  @Test
  void badCalls_sayWhatWasExpected() {
    try (LoadedModel loaded = SavedModels.load(FIXTURES.resolve("cnn/export"))) {
      FloatNdArray x = Fixtures.npy(FIXTURES.resolve("cnn.x0.npy"));
      assertThatThrownBy(() -> loaded.signature("predict")).hasMessageEndingWith(
          "has no signature \"predict\"; it has [serve, serving_default]");
      assertThatThrownBy(() -> loaded.predict("serving_default", Map.of("images", x), 32))
          .hasMessage("Signature serving_default has no input \"images\"; it takes [image:"
              + " float32 (None, 28, 28, 1)]");
      assertThatThrownBy(() -> loaded.predict(Data.floats(new float[16 * 28 * 28], 16, 28, 28)))
          .hasMessage("Input \"image\" of signature serving_default expects shape (None, 28, 28,"
              + " 1) (float32), got (16, 28, 28)");
      // integers are numbers a float32 input takes, as TF Serving takes them
      int[] levels = new int[2 * 784];
      float[] same = new float[levels.length];
      for (int i = 0; i < levels.length; i++) {
        levels[i] = (i * 7) % 256;
        same[i] = levels[i] / 255f * 255f;
      }
      assertThat(Data.toFloatArray(loaded.predict(Data.ints(levels, 2, 28, 28, 1))))
          .containsExactly(Data.toFloatArray(loaded.predict(Data.floats(same, 2, 28, 28, 1))));
      assertThatThrownBy(() -> loaded.predict("serving_default", Map.of("image",
          new String[][][][] {{{{"white"}}}}), 32))
          .hasMessage("Input \"image\" of signature serving_default expects float32 values, got"
              + " String");
    }
  }
}
