package io.jeras.savedmodels;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jeras.input.InputRule;
import io.jeras.models.Model;
import io.jeras.savedmodels.keras.KerasModels;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Fuzzes Keras model import under {@link InputRule}: whole files in any format ({@code .keras}
 * archives, Keras 3 and tf.keras {@code .h5}; seeds written by Keras 3.8 and tf_keras 2.18), and
 * the {@code config.json} of a {@code .keras} archive alone, so that mutations reach the layer
 * configs (sizes, activations, shapes, nesting) instead of the zip's structure.
 */
class KerasFileFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void load(byte[] bytes) throws Exception {
    InputRule.checkFile("model.keras", bytes, file -> {
      try (Model model = KerasModels.load(file)) {
        model.countParams();
      }
    });
  }

  @FuzzTest(maxDuration = "60s")
  void config(byte[] configJson) throws Exception {
    InputRule.checkFile("model.keras", archive(configJson), file -> {
      try (Model model = KerasModels.load(file)) {
        model.countParams();
      }
    });
  }

  /** A .keras archive of the seed dense model with {@code configJson} as its config.json. */
  private static byte[] archive(byte[] configJson) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream seed = KerasFileFuzzTest.class.getResourceAsStream(
            "KerasFileFuzzTestInputs/load/seed-dense-keras3.8.keras");
        ZipInputStream in = new ZipInputStream(seed);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        zip.putNextEntry(new ZipEntry(entry.getName()));
        zip.write(entry.getName().equals("config.json") ? configJson : in.readAllBytes());
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }
}
