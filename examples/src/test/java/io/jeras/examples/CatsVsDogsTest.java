package io.jeras.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.jeras.Jeras;
import io.jeras.callbacks.History;
import io.jeras.data.Data;
import io.jeras.models.Sequential;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

class CatsVsDogsTest {
  @TempDir
  Path dir;

  @Test
  void folderOfTwoClasses_trainsWithAndWithoutAugmentation() throws Exception {
    Jeras.setRandomSeed(3);
    Path data = CatsVsDogs.writeFashionFolder(dir, 40, 20);
    try (var files = Files.list(data.resolve("train").resolve("shirt"))) {
      assertThat(files.count()).isEqualTo(40);
    }
    History baseline = CatsVsDogs.train(data, 32, false, 2, 0);
    History augmented = CatsVsDogs.train(data, 32, true, 2, 0);
    for (History history : new History[] {baseline, augmented}) {
      assertThat(history.history().keySet()).containsExactly("accuracy", "loss", "val_accuracy",
          "val_loss");
      assertThat(history.get("loss").get(1)).isLessThan(history.get("loss").get(0) * 1.05);
    }
  }

  @Test
  void augmentationLayers_leavePredictionsAlone() {
    try (Sequential plain = CatsVsDogs.model(32, false);
        Sequential augmented = CatsVsDogs.model(32, true)) {
      assertThat(augmented.countParams()).isEqualTo(plain.countParams());
      augmented.setWeights(plain.getWeights());
      float[] pixels = new float[2 * 32 * 32 * 3];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (i * 7) % 256;
      }
      FloatNdArray x = Data.floats(pixels, 2, 32, 32, 3);
      assertThat(augmented.predict(x)).isEqualTo(plain.predict(x));
      assertThat(augmented.call(x, true)).isNotEqualTo(plain.call(x, false));
    }
  }
}
