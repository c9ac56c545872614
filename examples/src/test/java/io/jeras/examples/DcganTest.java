package io.jeras.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.jeras.Jeras;
import io.jeras.callbacks.History;
import io.jeras.data.Data;
import io.jeras.datasets.FashionMnist;
import io.jeras.models.Sequential;
import io.jeras.optimizers.Adam;
import io.jeras.trainers.CustomTraining;
import io.jeras.trainers.Fit;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.index.Indices;

/** The DCGAN example's step trains both models; its grid is 8 x 8 images of 28 x 28. */
class DcganTest {

  @Test
  void aFewSteps_trainBothModels_andTheGridHoldsTheGeneratedImages(@TempDir Path dir)
      throws Exception {
    Jeras.setRandomSeed(5);
    FashionMnist.Split data = FashionMnist.loadResource(FashionMnistData.class,
        FashionMnistData.SUBSET);
    FloatNdArray x = data.trainImages().slice(Indices.range(0, 256));
    try (Sequential generator = Dcgan.generator();
        Sequential discriminator = Dcgan.discriminator()) {
      float[] g0 = Data.toFloatArray(generator.getWeights().get(0));
      float[] d0 = Data.toFloatArray(discriminator.getWeights().get(0));
      Adam dOptimizer = Adam.defaults().learningRate(2e-4).beta1(0.5);
      Adam gOptimizer = Adam.defaults().learningRate(2e-4).beta1(0.5);
      History history;
      try (CustomTraining gan = CustomTraining.of(
          Dcgan.step(generator, discriminator, dOptimizer, gOptimizer), generator,
          discriminator)) {
        history = gan.fit(x, Fit.epochs(1).batchSize(64).verbose(0));
      }
      // both losses start near 2 ln 2 and ln 2: the discriminator is unsure of everything
      assertThat(history.history().get("d_loss").get(0)).isBetween(0.8, 2.0);
      assertThat(history.history().get("g_loss").get(0)).isBetween(0.3, 1.5);
      assertThat(Data.toFloatArray(generator.getWeights().get(0))).isNotEqualTo(g0);
      assertThat(Data.toFloatArray(discriminator.getWeights().get(0))).isNotEqualTo(d0);

      FloatNdArray images = generator.predict(Dcgan.fixedNoise(7));
      assertThat(images.shape().asArray()).containsExactly(64, 28, 28, 1);
      Path file = dir.resolve("grid.png");
      Dcgan.writeGrid(images, file);
      BufferedImage grid = ImageIO.read(file.toFile());
      assertThat(grid.getWidth()).isEqualTo(8 * 30 + 2);
      assertThat(grid.getHeight()).isEqualTo(8 * 30 + 2);
      // image 9 (row 1, column 1), pixel (5, 3), as the generator gave it
      float expected = Data.toFloatArray(images)[9 * 784 + 3 * 28 + 5];
      assertThat(grid.getRaster().getSample(2 + 30 + 5, 2 + 30 + 3, 0))
          .isEqualTo(Math.round(Math.max(0, Math.min(1, expected)) * 255));
    }
  }
}
