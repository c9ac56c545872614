package io.jeras.savedmodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** SavedModels written by the newest TensorFlow on PyPI (fixtures made with TF 2.21.0). */
class NewerTensorFlowTest {
  static final Path FIXTURES = Fixtures.dir("tf-latest");

  static void checkLatest(Path dir) {
    try (LoadedModel model = SavedModels.load(dir.resolve("export"))) {
      SavedModelImportTest.assertClose(model.predict(Fixtures.npy(dir.resolve("x.npy"))),
          Fixtures.npy(dir.resolve("y.npy")), 1e-5f);
    }
    Path decoder = dir.resolve("webp_decoder");
    if (decoder.toFile().exists()) {
      assertThatThrownBy(() -> SavedModels.load(decoder))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(decoder + ": the SavedModel uses op [DecodeWebP] that"
              + " TensorFlow 2.18.0 (the runtime of TensorFlow Java 1.1.0) does not have; it was"
              + " written by TensorFlow 2.");
    }
  }

  @Test
  void aModelFromTheNewestTensorFlow_runsOrFailsNamingTheMissingOp() {
    assertThat(FIXTURES.resolve("webp_decoder")).exists();
    checkLatest(FIXTURES);
  }
}
