package io.jeras.examples;

import static io.jeras.activations.Activations.RELU;
import static io.jeras.activations.Activations.SOFTMAX;

import io.jeras.Jeras;
import io.jeras.callbacks.History;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.core.Dense;
import io.jeras.layers.pooling.MaxPooling2D;
import io.jeras.layers.regularization.Dropout;
import io.jeras.layers.reshaping.Flatten;
import io.jeras.losses.Loss;
import io.jeras.metrics.Metric;
import io.jeras.models.Sequential;
import io.jeras.optimizers.Adam;
import io.jeras.trainers.Fit;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The main job: the benchmark CNN on Fashion-MNIST, as it is written in Keras.
 *
 * <pre>
 * java -jar examples/target/jeras-examples.jar [--data DIR] [--epochs N] [--plot FILE]
 * </pre>
 *
 * <p>Prints the summary, the progress of each epoch and, last, {@code test_accuracy=<value>};
 * writes the loss and accuracy curves (training and validation) to a PNG.
 */
public final class FashionMnistCnn {
  static final int DEFAULT_EPOCHS = 10;
  static final int BATCH_SIZE = 128;

  private FashionMnistCnn() {}

  /** The benchmark CNN: two convolution blocks, Dropout 0.5 and a softmax classifier. */
  public static Sequential model() {
    return Sequential.of(
        Conv2D.of(32, 3).activation(RELU).inputShape(28, 28, 1),
        MaxPooling2D.of(2),
        Conv2D.of(64, 3).activation(RELU),
        MaxPooling2D.of(2),
        Flatten.of(),
        Dropout.of(0.5),
        Dense.of(10).activation(SOFTMAX));
  }

  public static void main(String[] argv) {
    Args args = new Args(argv, List.of("data", "epochs", "plot", "seed"));
    String data = args.get("data", null);
    int epochs = args.getInt("epochs", DEFAULT_EPOCHS);
    Path plot = Path.of(args.get("plot", "out/fashion-mnist-history.png"));
    Jeras.setRandomSeed(args.getInt("seed", 42));

    FashionMnistData.Source source = FashionMnistData.load(data == null ? null : Path.of(data));
    System.out.println("Training on " + source.description());
    var split = source.split();

    try (Sequential model = model()) {
      model.summary();
      model.compile(Adam.defaults(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY, Metric.ACCURACY);
      History history = model.fit(split.trainImages(), split.trainLabels(),
          Fit.epochs(epochs).batchSize(BATCH_SIZE).validationSplit(0.1));
      history.plot(plot);
      System.out.println("History plot written to " + plot.toAbsolutePath());
      Map<String, Double> test =
          model.evaluate(split.testImages(), split.testLabels(), BATCH_SIZE, 0);
      System.out.printf(Locale.ROOT, "test_loss=%.4f%n", test.get("loss"));
      System.out.printf(Locale.ROOT, "test_accuracy=%.4f%n", test.get("accuracy"));
    }
  }
}
