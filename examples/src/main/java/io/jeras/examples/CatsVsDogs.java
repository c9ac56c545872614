package io.jeras.examples;

import static io.jeras.activations.Activations.RELU;

import io.jeras.Jeras;
import io.jeras.callbacks.History;
import io.jeras.data.Dataset;
import io.jeras.data.images.ImageDatasetOptions;
import io.jeras.data.images.ImageDatasets;
import io.jeras.data.images.Images;
import io.jeras.datasets.FashionMnist;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Input;
import io.jeras.layers.pooling.MaxPooling2D;
import io.jeras.layers.preprocessing.RandomContrast;
import io.jeras.layers.preprocessing.RandomFlip;
import io.jeras.layers.preprocessing.RandomRotation;
import io.jeras.layers.preprocessing.RandomTranslation;
import io.jeras.layers.preprocessing.RandomZoom;
import io.jeras.layers.preprocessing.Rescaling;
import io.jeras.layers.regularization.Dropout;
import io.jeras.layers.reshaping.Flatten;
import io.jeras.losses.Loss;
import io.jeras.metrics.Metric;
import io.jeras.models.Sequential;
import io.jeras.optimizers.Adam;
import io.jeras.trainers.Fit;
import io.jeras.utils.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;

/**
 * The cats-vs-dogs CNN: a 4-block CNN trained from a folder of images, first as is
 * (it overfits: training accuracy climbs, validation stalls), then with data augmentation
 * (flips, rotations, zoom, shifts, contrast) inside the model.
 *
 * <pre>
 * java -jar jeras-examples.jar cats-vs-dogs [--data DIR] [--image-size N] [--epochs N]
 *     [--augmented-epochs N] [--out DIR]
 * </pre>
 *
 * <p>{@code DIR} holds {@code train/} and {@code validation/}, each with one folder per class
 * (two classes), as the classic {@code cats_and_dogs_small} folder. Without it, such a folder is
 * written from two Fashion-MNIST classes that are easy to confuse (T-shirt/top and shirt), 400
 * training and 200 validation PNGs per class, so the program runs anywhere. The History plots
 * go to {@code out/cats-vs-dogs-baseline.png} and {@code -augmented.png}; the last lines give
 * the best validation accuracy of each run.
 */
public final class CatsVsDogs {
  static final List<String> CLASSES = List.of("tshirt", "shirt");

  private CatsVsDogs() {}

  /** The cats-vs-dogs CNN for {@code size x size} RGB images, with augmentation or not. */
  public static Sequential model(int size, boolean augment) {
    Sequential model = Sequential.named(augment ? "cats_vs_dogs_augmented" : "cats_vs_dogs")
        .add(Input.of(size, size, 3));
    if (augment) {
      model.add(RandomFlip.of("horizontal")).add(RandomRotation.of(0.1))
          .add(RandomZoom.of(0.2)).add(RandomTranslation.of(0.1, 0.1))
          .add(RandomContrast.of(0.2));
    }
    return model.add(Rescaling.of(1 / 255.0))
        .add(Conv2D.of(32, 3).activation(RELU).padding("same").name("conv_1"))
        .add(MaxPooling2D.of(2).name("maxpool_1"))
        .add(Conv2D.of(64, 3).activation(RELU).padding("same").name("conv_2"))
        .add(MaxPooling2D.of(2).name("maxpool_2"))
        .add(Conv2D.of(128, 3).activation(RELU).padding("same").name("conv_3"))
        .add(MaxPooling2D.of(2).name("maxpool_3"))
        .add(Conv2D.of(128, 3).activation(RELU).padding("same").name("conv_4"))
        .add(MaxPooling2D.of(2).name("maxpool_4"))
        .add(Flatten.of())
        .add(Dropout.of(0.5))
        .add(Dense.of(512).activation(RELU).name("dense_1"))
        .add(Dense.of(256).activation(RELU).name("dense_2"))
        .add(Dense.of(1).activation("sigmoid").name("output"));
  }

  /**
   * Writes {@code train/} and {@code validation/} folders of two Fashion-MNIST classes as
   * 28x28 gray PNGs: {@code perClassTrain} and {@code perClassValidation} images per class.
   */
  public static Path writeFashionFolder(Path dir, int perClassTrain, int perClassValidation) {
    FashionMnist.Split data = FashionMnistData.load(null).split();
    FloatNdArray images = data.trainImages();
    IntNdArray labels = data.trainLabels();
    int[] classIds = {0, 6};
    int[] written = new int[2];
    for (long i = 0; i < labels.shape().get(0); i++) {
      int label = labels.getInt(i);
      int k = label == classIds[0] ? 0 : label == classIds[1] ? 1 : -1;
      if (k < 0 || written[k] >= perClassTrain + perClassValidation) {
        continue;
      }
      float[] pixels = new float[28 * 28];
      for (int y = 0; y < 28; y++) {
        for (int x = 0; x < 28; x++) {
          pixels[y * 28 + x] = images.getFloat(i, y, x, 0) * 255;
        }
      }
      String subset = written[k] < perClassTrain ? "train" : "validation";
      Images.writePng(new Images.Image(pixels, 28, 28, 1), dir.resolve(subset)
          .resolve(CLASSES.get(k)).resolve(String.format(Locale.ROOT, "%05d.png", i)));
      written[k]++;
    }
    if (written[0] < perClassTrain + perClassValidation
        || written[1] < perClassTrain + perClassValidation) {
      throw new IllegalStateException("not enough Fashion-MNIST images of the two classes");
    }
    return dir;
  }

  /** One run; returns its history. */
  public static History train(Path data, int size, boolean augment, int epochs, int verbose) {
    ImageDatasetOptions options = ImageDatasetOptions.defaults().imageSize(size, size)
        .labelMode("binary").batchSize(32).seed(1337);
    Dataset train = ImageDatasets.imageDatasetFromDirectory(data.resolve("train"), options);
    Dataset validation = ImageDatasets.imageDatasetFromDirectory(data.resolve("validation"),
        options.shuffle(false));
    try (Sequential model = model(size, augment)) {
      if (verbose > 0) {
        model.summary();
      }
      model.compile(Adam.defaults(), Loss.BINARY_CROSSENTROPY, Metric.ACCURACY);
      // The Keras 2 program's fit_generator(train_generator, steps_per_epoch=100, epochs=20,
      //     validation_data=validation_generator, validation_steps=50): one pass per epoch.
      int steps = Math.toIntExact(train.cardinality());
      int validationSteps = Math.toIntExact(validation.cardinality());
      return model.fit(train.repeat(), Fit.epochs(epochs).stepsPerEpoch(steps)
          .validationData(validation).validationSteps(validationSteps).verbose(verbose));
    }
  }

  public static void main(String[] argv) throws IOException {
    Args args = new Args(argv, List.of("data", "image-size", "epochs", "augmented-epochs",
        "out", "seed"));
    Jeras.setRandomSeed(args.getInt("seed", 42));
    Path out = Path.of(args.get("out", "out"));
    Path generated = null;
    Path data;
    int size;
    if (args.get("data", null) != null) {
      data = Path.of(args.get("data", null));
      size = args.getInt("image-size", 150);
    } else {
      generated = Files.createTempDirectory("jeras-cats-vs-dogs");
      data = writeFashionFolder(generated, 400, 200);
      System.out.println("Wrote two Fashion-MNIST classes (T-shirt/top, shirt) as PNGs to "
          + data);
      size = args.getInt("image-size", 64);
    }
    int epochs = args.getInt("epochs", 20);
    int augmentedEpochs = args.getInt("augmented-epochs", 2 * epochs);
    History baseline;
    History augmented;
    try {
      baseline = train(data, size, false, epochs, 1);
      baseline.plot(out.resolve("cats-vs-dogs-baseline.png"));
      augmented = train(data, size, true, augmentedEpochs, 1);
      augmented.plot(out.resolve("cats-vs-dogs-augmented.png"));
    } finally {
      if (generated != null) {
        AtomicFiles.deleteTree(generated);
      }
    }
    System.out.printf(Locale.ROOT, "baseline: final accuracy=%.4f, best val_accuracy=%.4f%n",
        last(baseline, "accuracy"), best(baseline));
    System.out.printf(Locale.ROOT, "augmented: final accuracy=%.4f, best val_accuracy=%.4f%n",
        last(augmented, "accuracy"), best(augmented));
    System.out.println("History plots in " + out.toAbsolutePath());
  }

  static double best(History history) {
    return history.get("val_accuracy").stream().mapToDouble(Double::doubleValue).max()
        .orElse(Double.NaN);
  }

  static double last(History history, String key) {
    List<Double> values = history.get(key);
    return values.get(values.size() - 1);
  }
}
