package io.jeras.savedmodels;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jeras.input.InvalidInputException;
import io.jeras.savedmodels.keras.KerasModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three hostile {@code .keras} files a new user's trial found answered badly: each now
 * fails with an {@link InvalidInputException} that names the file and says what is wrong. The
 * archive is the fuzzing seed (a small Dense model written by Keras 3.8) with one entry changed.
 */
class HostileKerasFilesTest {
  @TempDir Path dir;

  @Test
  void configThatIsNotJson_saysWhereTheJsonBreaks() throws IOException {
    Path file = archive("not-json.keras", "config.json",
        bytes -> "{\"class_name\": \"Sequential\", oops".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> KerasModels.load(file)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("config.json in " + file + " is not valid JSON");
  }

  @Test
  void absurdLayerSize_isRefusedNamingTheLayer() throws IOException {
    Path file = archive("huge.keras", "config.json", bytes -> new String(bytes,
        StandardCharsets.UTF_8).replace("\"units\": 3", "\"units\": 2147483647")
        .getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> KerasModels.load(file)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("d1");
  }

  @Test
  void truncatedWeights_sayTheHdf5DataIsCorrupt() throws IOException {
    Path file = archive("truncated.keras", "model.weights.h5",
        bytes -> Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> KerasModels.load(file)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("model.weights.h5");
  }

  private Path archive(String name, String entryName, UnaryOperator<byte[]> change)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream seed = HostileKerasFilesTest.class.getResourceAsStream(
            "KerasFileFuzzTestInputs/load/seed-dense-keras3.8.keras");
        ZipInputStream in = new ZipInputStream(seed);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        byte[] bytes = in.readAllBytes();
        zip.putNextEntry(new ZipEntry(entry.getName()));
        zip.write(entry.getName().equals(entryName) ? change.apply(bytes) : bytes);
        zip.closeEntry();
      }
    }
    return Files.write(dir.resolve(name), out.toByteArray());
  }
}
