package io.jeras.savedmodels;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jeras.Jeras;
import io.jeras.data.Data;
import io.jeras.data.images.ImageDatasetOptions;
import io.jeras.data.images.ImageDatasets;
import io.jeras.layers.Layer;
import io.jeras.models.Model;
import io.jeras.models.ModelLayer;
import io.jeras.optimizers.RMSprop;
import io.jeras.savedmodels.keras.KerasModels;
import io.jeras.trainers.Fit;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * The classic transfer-learning pattern end to end, from a file made in Python: a frozen VGG16 base
 * inside a Sequential with a new head ({@code transfer_fixture.py}), loaded in Jeras, the head
 * trained on an image folder, the last block of the base unfrozen and fine-tuned, saved as
 * {@code .keras}, and loaded back by Keras, which predicts what Jeras predicts and sees the same
 * frozen and trainable layers.
 */
class TransferPatternTest {
  @TempDir
  Path dir;

  @Test
  void frozenBase_headTrained_lastBlockFineTuned_savedForPython() throws Exception {
    PythonChecks.run("transfer_fixture.py", "make", dir.toString());
    ImageDatasets.Split data = ImageDatasets.imageDatasetsFromDirectory(imageFolder(),
        ImageDatasetOptions.defaults().imageSize(32, 32).labelMode("binary").batchSize(8)
            .validationSplit(0.25).seed(3));
    Jeras.setRandomSeed(9);
    try (Model model = KerasModels.load(dir.resolve("transfer.keras"))) {
      assertThat(model.layers()).extracting(Layer::name)
          .containsExactly("rescaling", "vgg16", "flatten", "dense", "output");
      assertThat(model.layer("vgg16")).isInstanceOf(ModelLayer.class);
      Model base = model.nestedModel("vgg16");
      assertThat(base.layers()).allMatch(layer -> !layer.trainable());

      // the head learns, the frozen base does not move
      model.compile(RMSprop.defaults().learningRate(1e-3), "binary_crossentropy", "accuracy");
      Map<String, FloatNdArray> before = model.weights();
      model.fit(data.training(), Fit.epochs(3).validationData(data.validation()).verbose(0));
      Map<String, FloatNdArray> headTrained = model.weights();
      assertUnchanged(before, headTrained, "vgg16/block1_conv1/kernel", "vgg16/block5_conv3/kernel");
      assertChanged(before, headTrained, "dense/kernel", "output/kernel");

      // Keras' fine-tuning: the base trainable from block5_conv1 on, a lower learning rate
      base.setTrainable(true);
      boolean train = false;
      for (Layer<?> layer : base.layers()) {
        train |= layer.name().equals("block5_conv1");
        base.setTrainable(layer.name(), train);
      }
      model.compile(RMSprop.defaults().learningRate(1e-5), "binary_crossentropy", "accuracy");
      model.fit(data.training(), Fit.epochs(1).verbose(0));
      Map<String, FloatNdArray> fineTuned = model.weights();
      assertUnchanged(headTrained, fineTuned, "vgg16/block1_conv1/kernel",
          "vgg16/block4_conv3/kernel");
      assertChanged(headTrained, fineTuned, "vgg16/block5_conv1/kernel",
          "vgg16/block5_conv3/kernel", "output/kernel");

      FloatNdArray x;
      try (var pass = data.validation().pass(0)) {
        x = (FloatNdArray) pass.next().x().values().iterator().next();
      }
      Fixtures.writeNpy(x, dir.resolve("x.npy"));
      Fixtures.writeNpy(model.predict(x), dir.resolve("y_jeras.npy"));
      model.saveKeras(dir.resolve("fine_tuned.keras"));
    }
    String printed = PythonChecks.run("transfer_fixture.py", "check", dir.toString());
    JsonNode checked = new ObjectMapper().readTree(printed.lines()
        .filter(l -> l.startsWith("@@ ")).findFirst().orElseThrow().substring(3));
    assertThat(checked.get("max_diff").asDouble()).isLessThan(1e-5);
    assertThat(checked.get("trainable")).extracting(JsonNode::asText)
        .containsExactly("block5_conv1", "block5_conv2", "block5_conv3");
    assertThat(checked.get("frozen")).hasSize(10);
  }

  /** Two classes of 32x32 images a small network can tell apart: stripes across or down. */
  private Path imageFolder() throws Exception {
    Path folder = dir.resolve("images");
    Random random = new Random(4);
    for (String label : List.of("across", "down")) {
      Files.createDirectories(folder.resolve(label));
      for (int n = 0; n < 24; n++) {
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        int phase = random.nextInt(8);
        for (int i = 0; i < 32; i++) {
          for (int j = 0; j < 32; j++) {
            int stripe = ((label.equals("across") ? i : j) + phase) / 4 % 2;
            int v = Math.min(255, Math.max(0, 60 + 140 * stripe + random.nextInt(40) - 20));
            image.setRGB(j, i, (v << 16) | (v << 8) | v);
          }
        }
        ImageIO.write(image, "png", folder.resolve(label).resolve(n + ".png").toFile());
      }
    }
    return folder;
  }

  private static void assertUnchanged(Map<String, FloatNdArray> a, Map<String, FloatNdArray> b,
      String... names) {
    for (String name : names) {
      assertThat(largestChange(a, b, name)).as(name).isZero();
    }
  }

  private static void assertChanged(Map<String, FloatNdArray> a, Map<String, FloatNdArray> b,
      String... names) {
    for (String name : names) {
      assertThat(largestChange(a, b, name)).as(name).isPositive();
    }
  }

  private static double largestChange(Map<String, FloatNdArray> a, Map<String, FloatNdArray> b,
      String name) {
    float[] x = Data.toFloatArray(a.get(name));
    float[] y = Data.toFloatArray(b.get(name));
    double largest = 0;
    for (int i = 0; i < x.length; i++) {
      largest = Math.max(largest, Math.abs(x[i] - y[i]));
    }
    return largest;
  }
}
