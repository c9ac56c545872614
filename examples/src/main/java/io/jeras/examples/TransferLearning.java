package io.jeras.examples;

import static io.jeras.activations.Activations.RELU;
import static io.jeras.activations.Activations.SOFTMAX;

import io.jeras.Jeras;
import io.jeras.callbacks.History;
import io.jeras.datasets.FashionMnist;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.core.Dense;
import io.jeras.layers.pooling.MaxPooling2D;
import io.jeras.layers.regularization.Dropout;
import io.jeras.layers.reshaping.Flatten;
import io.jeras.models.Sequential;
import io.jeras.optimizers.Adam;
import io.jeras.losses.Loss;
import io.jeras.metrics.Metric;
import io.jeras.savedmodels.keras.KerasModels;
import io.jeras.savedmodels.TFSMLayer;
import io.jeras.trainers.Fit;
import io.jeras.utils.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Transfer learning across languages: a CNN trained in Python (Keras 3) on
 * Fashion-MNIST classes 0-4 (T-shirt, trouser, pullover, dress, coat) becomes the base of Jeras
 * models that learn classes 5-9 (sandal, shirt, sneaker, bag, ankle boot) from a hundred
 * images:
 * <ol>
 *   <li>frozen base: the Python SavedModel of the CNN's convolutional features (its flatten
 *       output) as a {@link TFSMLayer}, a new head trained in Java (Dense 64 relu, Dense 5
 *       softmax: the same top as the network trained from scratch);
 *   <li>fine-tuned base: the Keras file imported with {@link KerasModels}, cut after its
 *       convolutions, frozen while the head trains, then its top convolution unfrozen and
 *       trained further at a tenth of the learning rate;
 *   <li>from scratch: the same CNN with fresh weights, on the same data.
 * </ol>
 * (Cutting at the CNN's last dense layer transfers much worse: those 64 units were trained to
 * tell the first five classes apart.)
 * The Python models ship in this jar ({@code savedmodels/python/make_fixtures.py} made them).
 *
 * <pre>
 * java -jar jeras-examples.jar transfer [--train N (100)] [--epochs E (10)]
 * </pre>
 */
public final class TransferLearning {
  private static final String RESOURCES = "transfer/";
  private static final String[] FILES = {"cnn.keras", "cnn_features/saved_model.pb",
      "cnn_features/fingerprint.pb", "cnn_features/variables/variables.index",
      "cnn_features/variables/variables.data-00000-of-00001"};

  private TransferLearning() {}

  /** Test accuracy after each epoch, per approach. */
  public record Result(Map<String, List<Double>> accuracyByEpoch) {
    public double finalAccuracy(String approach) {
      List<Double> curve = accuracyByEpoch.get(approach);
      return curve.get(curve.size() - 1);
    }
  }

  public static void main(String[] argv) throws IOException {
    Args args = new Args(argv, List.of("train", "epochs"));
    Result result = run(args.getInt("train", 100), args.getInt("epochs", 10), true);
    for (String approach : result.accuracyByEpoch().keySet()) {
      System.out.printf(Locale.ROOT, "%s_test_accuracy=%.4f%n", approach,
          result.finalAccuracy(approach));
    }
  }

  /** Trains the three ways on {@code trainSamples} images of classes 5-9 for {@code epochs}. */
  public static Result run(int trainSamples, int epochs, boolean print) throws IOException {
    Path models = extractModels();
    try {
      return run(models, trainSamples, epochs, print);
    } finally {
      AtomicFiles.deleteTree(models);
    }
  }

  private static Result run(Path models, int trainSamples, int epochs, boolean print) {
    FashionMnist.Split data = FashionMnist.loadResource(FashionMnistData.class,
        FashionMnistData.SUBSET);
    Classes train = classes(data.trainImages(), data.trainLabels(), trainSamples);
    Classes test = classes(data.testImages(), data.testLabels(), Integer.MAX_VALUE);
    if (print) {
      System.out.printf(Locale.ROOT, "Classes 5-9: %d training and %d test images; base: a Keras"
          + " CNN trained in Python on classes 0-4%n", train.size(), test.size());
    }
    Map<String, List<Double>> curves = new LinkedHashMap<>();

    Jeras.setRandomSeed(1);
    try (Sequential frozen = Sequential.of(TFSMLayer.of(models.resolve("cnn_features"))
        .name("python_base"), Dense.of(64).activation(RELU).name("new_features"),
        Dense.of(5).activation(SOFTMAX).name("new_head"))) {
      curves.put("frozen_base", train(frozen, Adam.defaults(), train, test, epochs));
    }

    Jeras.setRandomSeed(1);
    try (Sequential imported = KerasModels.loadSequential(models.resolve("cnn.keras"));
        Sequential fineTuned = imported.upTo("flatten")) {
      fineTuned.setTrainable(false).add(Dense.of(64).activation(RELU).name("new_features"))
          .add(Dense.of(5).activation(SOFTMAX).name("new_head"));
      List<Double> curve = new ArrayList<>(train(fineTuned, Adam.defaults(), train, test,
          epochs / 2));
      fineTuned.setTrainable("conv_2", true);
      curve.addAll(train(fineTuned, Adam.defaults().learningRate(1e-4), train, test,
          epochs - epochs / 2));
      curves.put("fine_tuned", curve);
    }

    Jeras.setRandomSeed(1);
    try (Sequential scratch = Sequential.of(
        Conv2D.of(16, 3).activation(RELU).inputShape(28, 28, 1), MaxPooling2D.of(2),
        Conv2D.of(32, 3).activation(RELU), MaxPooling2D.of(2), Flatten.of(),
        Dense.of(64).activation(RELU), Dropout.of(0.3), Dense.of(5).activation(SOFTMAX))) {
      curves.put("from_scratch", train(scratch, Adam.defaults(), train, test, epochs));
    }
    if (print) {
      System.out.println("test accuracy after each epoch:");
      curves.forEach((approach, curve) -> System.out.printf(Locale.ROOT, "  %-13s %s%n",
          approach, curve.stream().map(a -> String.format(Locale.ROOT, "%.3f", a)).toList()));
    }
    return new Result(curves);
  }

  private static List<Double> train(Sequential model, Adam optimizer, Classes train, Classes test,
      int epochs) {
    model.compile(optimizer, Loss.SPARSE_CATEGORICAL_CROSSENTROPY, Metric.ACCURACY);
    List<Double> accuracy = new ArrayList<>();
    for (int epoch = 0; epoch < epochs; epoch++) {
      History h = model.fit(train.images, train.labels, Fit.epochs(1).batchSize(32).seed(epoch)
          .verbose(0));
      accuracy.add(model.evaluate(test.images, test.labels, 128, 0).get("accuracy"));
    }
    return accuracy;
  }

  private record Classes(FloatNdArray images, IntNdArray labels) {
    int size() {
      return (int) labels.shape().get(0);
    }
  }

  /** Up to {@code limit} images of classes 5-9, relabelled 0-4. */
  private static Classes classes(FloatNdArray images, IntNdArray labels, int limit) {
    List<Integer> picked = new ArrayList<>();
    for (int i = 0; i < labels.shape().get(0) && picked.size() < limit; i++) {
      if (labels.getInt(i) >= 5) {
        picked.add(i);
      }
    }
    float[] x = new float[picked.size() * 784];
    int[] y = new int[picked.size()];
    for (int k = 0; k < picked.size(); k++) {
      int i = picked.get(k);
      images.get(i).copyTo(DataBuffers.of(x, false, false).offset((long) k * 784));
      y[k] = labels.getInt(i) - 5;
    }
    return new Classes(NdArrays.wrap(Shape.of(y.length, 28, 28, 1), DataBuffers.of(x, true, false)),
        NdArrays.wrap(Shape.of(y.length), DataBuffers.of(y, true, false)));
  }

  /** Copies the Python models out of the jar: TensorFlow reads SavedModels from directories. */
  private static Path extractModels() throws IOException {
    Path dir = Files.createTempDirectory("jeras-transfer");
    for (String file : FILES) {
      Path target = dir.resolve(file);
      Files.createDirectories(target.getParent());
      try (InputStream in = TransferLearning.class.getResourceAsStream(RESOURCES + file)) {
        if (in == null) {
          throw new UncheckedIOException(new IOException("missing resource " + RESOURCES + file));
        }
        Files.copy(in, target);
      }
    }
    return dir;
  }
}
