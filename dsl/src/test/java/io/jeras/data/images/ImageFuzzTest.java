package io.jeras.data.images;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jeras.data.Dataset;
import io.jeras.input.InputRule;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes image decoding and the image-folder pipeline under {@link InputRule}. Seeds are PNG
 * (gray, 16-bit gray, rgb, rgba), JPEG, BMP and GIF files; the inputs fuzzing found are kept
 * beside them in {@code ImageFuzzTestInputs}.
 */
class ImageFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void decode(byte[] bytes) throws Exception {
    InputRule.checkFile("image", bytes, file -> Images.decode(file, 3));
  }

  /**
   * A folder of two classes, one holding the input as an image among valid ones, read through
   * the whole pipeline (decode, resize, augment, batch) on two threads.
   */
  @FuzzTest(maxDuration = "60s")
  void folder(byte[] bytes) throws Exception {
    byte[] valid;
    try (var seed = ImageFuzzTest.class.getResourceAsStream("gray.png")) {
      valid = seed.readAllBytes();
    }
    InputRule.checkFile("cats/input.png", bytes, file -> {
      Path root = file.getParent().getParent();
      Files.createDirectories(root.resolve("dogs"));
      Files.write(root.resolve("dogs/valid.png"), valid);
      Files.write(root.resolve("cats/valid.png"), valid);
      Dataset data = ImageDatasets.imageDatasetFromDirectory(root, ImageDatasetOptions.defaults()
          .imageSize(5, 4).batchSize(2).seed(3).threads(2).augment(ImageDataGenerator.defaults()
              .rotationRange(20).horizontalFlip(true)));
      try (Dataset.Pass pass = data.pass(0)) {
        pass.forEachRemaining(batch -> { });
      }
    });
  }
}
