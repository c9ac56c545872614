package io.jeras.examples;

import io.jeras.Jeras;
import io.jeras.callbacks.LambdaCallback;
import io.jeras.data.Data;
import io.jeras.layers.activations.LeakyReLU;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.core.Dense;
import io.jeras.layers.normalization.BatchNormalization;
import io.jeras.layers.regularization.Dropout;
import io.jeras.layers.reshaping.Flatten;
import io.jeras.layers.reshaping.Reshape;
import io.jeras.layers.reshaping.UpSampling2D;
import io.jeras.losses.BinaryCrossentropy;
import io.jeras.losses.Loss;
import io.jeras.losses.Prediction;
import io.jeras.models.Sequential;
import io.jeras.optimizers.Adam;
import io.jeras.trainers.CustomTraining;
import io.jeras.trainers.Fit;
import io.jeras.trainers.TrainStep;
import io.jeras.utils.AtomicFiles;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A DCGAN on Fashion-MNIST with a training step of one's own, as Keras' DCGAN example
 * overrides {@code train_step}: the discriminator learns to tell real images from generated
 * ones, then the generator learns to make the updated discriminator call its images real; two
 * Adam optimizers; after every epoch a grid of 8 x 8 images generated from the same noise is
 * written as a PNG.
 *
 * <pre>
 * java -jar jeras-examples.jar dcgan [--epochs N] [--samples N] [--out DIR] [--data DIR]
 * </pre>
 */
public final class Dcgan {
  static final int LATENT = 64;
  static final int GRID = 8;

  private Dcgan() {}

  /** Noise of {@code LATENT} values to a 28 x 28 image in [0, 1]. */
  static Sequential generator() {
    return Sequential.named("generator").add(Dense.of(7 * 7 * 128).inputShape(LATENT))
        .add(LeakyReLU.of(0.2))
        .add(Reshape.of(7, 7, 128))
        .add(UpSampling2D.of(2))
        .add(Conv2D.of(64, 3).padding("same"))
        .add(BatchNormalization.of())
        .add(LeakyReLU.of(0.2))
        .add(UpSampling2D.of(2))
        .add(Conv2D.of(32, 3).padding("same"))
        .add(BatchNormalization.of())
        .add(LeakyReLU.of(0.2))
        .add(Conv2D.of(1, 5).padding("same").activation("sigmoid"));
  }

  /** A 28 x 28 image to the probability that it is real. */
  static Sequential discriminator() {
    return Sequential.named("discriminator")
        .add(Conv2D.of(64, 4).strides(2).padding("same").inputShape(28, 28, 1))
        .add(LeakyReLU.of(0.2))
        .add(Conv2D.of(128, 4).strides(2).padding("same"))
        .add(LeakyReLU.of(0.2))
        .add(Flatten.of())
        .add(Dropout.of(0.2))
        .add(Dense.of(1).activation("sigmoid"));
  }

  /** Keras' DCGAN step: the discriminator on real and generated images, then the generator. */
  static TrainStep step(Sequential generator, Sequential discriminator, Adam dOptimizer,
      Adam gOptimizer) {
    Loss bce = BinaryCrossentropy.defaults();
    return s -> {
      Ops tf = s.tf();
      Operand<TFloat32> real = s.x();
      Operand<TFloat32> ones = tf.onesLike(tf.reshape(tf.reduceMax(real,
          tf.constant(new int[] {1, 2, 3})), tf.constant(new long[] {-1, 1})));
      Operand<TFloat32> zeros = tf.zerosLike(ones);
      Prediction fake = s.call(generator, s.normal(LATENT), true);
      Operand<TFloat32> dLoss = tf.math.add(
          s.loss(bce, ones, s.call(discriminator, real, true)),
          s.loss(bce, zeros, s.call(discriminator, fake.values(), true)));
      s.minimize(dLoss, discriminator, dOptimizer);
      // the generator against the updated discriminator, on fresh noise
      Prediction judged = s.call(discriminator,
          s.call(generator, s.normal(LATENT), true).values(), true);
      Operand<TFloat32> gLoss = s.loss(bce, ones, judged);
      s.minimize(gLoss, generator, gOptimizer);
      s.log("d_loss", dLoss);
      s.log("g_loss", gLoss);
    };
  }

  /** Fixed noise for the grids, so every epoch's grid shows the same 64 points. */
  static FloatNdArray fixedNoise(long seed) {
    Random random = new Random(seed);
    float[] noise = new float[GRID * GRID * LATENT];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (float) random.nextGaussian();
    }
    return Data.floats(noise, GRID * GRID, LATENT);
  }

  /** Writes 64 images {@code (64, 28, 28, 1)} in [0, 1] as an 8 x 8 grid (2-pixel gaps). */
  static void writeGrid(FloatNdArray images, Path file) {
    int cell = 28 + 2;
    BufferedImage grid = new BufferedImage(GRID * cell + 2, GRID * cell + 2,
        BufferedImage.TYPE_BYTE_GRAY);
    float[] pixels = Data.toFloatArray(images);
    for (int k = 0; k < GRID * GRID; k++) {
      int x0 = 2 + (k % GRID) * cell;
      int y0 = 2 + (k / GRID) * cell;
      for (int y = 0; y < 28; y++) {
        for (int x = 0; x < 28; x++) {
          float v = Math.max(0, Math.min(1, pixels[k * 784 + y * 28 + x]));
          int gray = Math.round(v * 255);
          grid.getRaster().setSample(x0 + x, y0 + y, 0, gray);
        }
      }
    }
    AtomicFiles.write(file, out -> ImageIO.write(grid, "png", out));
  }

  public static void main(String[] argv) {
    Args args = new Args(argv, List.of("data", "epochs", "samples", "out", "seed"));
    int epochs = args.getInt("epochs", 10);
    int samples = args.getInt("samples", 60_000);
    Path out = Path.of(args.get("out", "out/dcgan"));
    Jeras.setRandomSeed(args.getInt("seed", 42));
    String data = args.get("data", null);
    FashionMnistData.Source source = FashionMnistData.load(data == null ? null : Path.of(data));
    FloatNdArray images = source.split().trainImages();
    int n = (int) Math.min(samples, images.shape().get(0));
    FloatNdArray x = images.slice(Indices.range(0, n));
    System.out.println("Training a DCGAN on " + n + " images of " + source.description());
    FloatNdArray noise = fixedNoise(7);
    try (Sequential generator = generator(); Sequential discriminator = discriminator()) {
      Adam dOptimizer = Adam.defaults().learningRate(2e-4).beta1(0.5);
      Adam gOptimizer = Adam.defaults().learningRate(2e-4).beta1(0.5);
      LambdaCallback grids = LambdaCallback.create().onEpochEnd((epoch, logs) -> {
        Path file = out.resolve(String.format("epoch-%03d.png", epoch + 1));
        writeGrid(generator.predict(noise), file);
        System.out.println("Generated images written to " + file.toAbsolutePath());
      });
      try (CustomTraining gan = CustomTraining.of(
          step(generator, discriminator, dOptimizer, gOptimizer), generator, discriminator)) {
        gan.fit(x, Fit.epochs(epochs).batchSize(64).callbacks(grids));
      }
    }
  }
}
