package io.jeras.examples;

import io.jeras.Jeras;
import io.jeras.callbacks.Callback;
import io.jeras.callbacks.History;
import io.jeras.callbacks.LearningRateScheduler;
import io.jeras.callbacks.ReduceLROnPlateau;
import io.jeras.losses.Loss;
import io.jeras.metrics.Metric;
import io.jeras.models.Model;
import io.jeras.optimizers.Adam;
import io.jeras.trainers.Fit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains one of the lectures' architectures ({@link Architectures}) on Fashion-MNIST and
 * prints its test accuracy.
 *
 * <pre>
 * java -jar jeras-examples.jar architectures --model resnet [--epochs N] [--data DIR]
 *     [--validation-split F] [--augment true]
 * </pre>
 *
 * <p>Adam, batch 128, 10% of the training images held out for validation and the learning
 * rate divided by 5 when the validation loss stops improving for 2 epochs; or, with {@code
 * --validation-split 0}, all training images and the learning rate divided by 5 after half and
 * again after three quarters of the epochs (a step schedule: the training loss alone says
 * nothing about when to slow down). With {@code --augment true}, random horizontal flips and
 * shifts of up to 10% in front of the network (training only). Last line {@code
 * test_accuracy=<value>}.
 */
public final class ArchitectureTraining {
  private ArchitectureTraining() {}

  public static void main(String[] argv) {
    Args args = new Args(argv, List.of("model", "epochs", "data", "seed", "validation-split",
        "augment"));
    String name = args.get("model", "two-conv-bn");
    int epochs = args.getInt("epochs", 15);
    String data = args.get("data", null);
    double validationSplit = Double.parseDouble(args.get("validation-split", "0.1"));
    Jeras.setRandomSeed(args.getInt("seed", 42));
    FashionMnistData.Source source =
        FashionMnistData.load(data == null ? null : java.nio.file.Path.of(data));
    System.out.println("Training " + name + " on " + source.description());
    var split = source.split();
    boolean augment = Boolean.parseBoolean(args.get("augment", "false"));
    try (Model model = augment ? Architectures.augmented(Architectures.build(name))
        : Architectures.build(name)) {
      model.summary();
      model.compile(Adam.defaults(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY, Metric.ACCURACY);
      Callback schedule = validationSplit > 0
          ? ReduceLROnPlateau.on("val_loss").factor(0.2).patience(2)
          : LearningRateScheduler.of((epoch, rate) ->
              epoch > 0 && (epoch == epochs / 2 || epoch == epochs * 3 / 4) ? rate * 0.2 : rate);
      History history = model.fit(split.trainImages(), split.trainLabels(),
          Fit.epochs(epochs).batchSize(128).validationSplit(validationSplit).callbacks(schedule));
      Map<String, Double> test =
          model.evaluate(split.testImages(), split.testLabels(), 128, 0);
      if (validationSplit > 0) {
        System.out.printf(Locale.ROOT, "best_val_accuracy=%.4f%n",
            history.get("val_accuracy").stream().mapToDouble(Double::doubleValue).max()
                .orElse(Double.NaN));
      }
      System.out.printf(Locale.ROOT, "test_accuracy=%.4f%n", test.get("accuracy"));
    }
  }
}
