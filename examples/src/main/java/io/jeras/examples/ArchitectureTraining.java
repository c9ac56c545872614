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
import io.jeras.optimizers.Optimizer;
import io.jeras.optimizers.SGD;
import io.jeras.optimizers.schedules.CosineDecay;
import io.jeras.trainers.Fit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains one of the classic architectures ({@link Architectures}) on Fashion-MNIST and
 * prints its test accuracy.
 *
 * <pre>
 * java -jar jeras-examples.jar architectures --model resnet [--epochs N] [--data DIR]
 *     [--validation-split F] [--augment false|true|erasing] [--optimizer adam|sgd] [--l2 F]
 *     [--save DIR]
 * </pre>
 *
 * <p>Batch 128. With Adam (the default), 10% of the training images held out for validation
 * and the learning rate divided by 5 when the validation loss stops improving for 2 epochs; or,
 * with {@code --validation-split 0}, all training images and the learning rate divided by 5
 * after half and again after three quarters of the epochs (a step schedule: the training loss
 * alone says nothing about when to slow down). With {@code --optimizer sgd}, SGD with Nesterov
 * momentum 0.9 and a scheduled rate ({@code CosineDecay} with warm-up): a linear rise per step
 * to 0.1 over 2 epochs, then a cosine down to 0 at the last step. {@code --l2 F} (resnet only)
 * puts an L2 penalty of factor F on every kernel. {@code --augment true} puts random horizontal
 * flips and shifts of up to 10% in front of the network (training only), {@code erasing} adds
 * Keras' {@code RandomErasing}. {@code --save DIR} exports the trained model as a SavedModel
 * (augmentation is the identity there). Last line {@code test_accuracy=<value>}.
 */
public final class ArchitectureTraining {
  private ArchitectureTraining() {}

  public static void main(String[] argv) {
    Args args = new Args(argv, List.of("model", "epochs", "data", "seed", "validation-split",
        "augment", "optimizer", "l2", "save"));
    String name = args.get("model", "two-conv-bn");
    int epochs = args.getInt("epochs", 15);
    String data = args.get("data", null);
    double validationSplit = Double.parseDouble(args.get("validation-split", "0.1"));
    Jeras.setRandomSeed(args.getInt("seed", 42));
    FashionMnistData.Source source =
        FashionMnistData.load(data == null ? null : Path.of(data));
    System.out.println("Training " + name + " on " + source.description());
    var split = source.split();
    String augment = args.get("augment", "false");
    if (!List.of("false", "true", "erasing").contains(augment)) {
      throw new IllegalArgumentException("--augment: expected false, true or erasing, got \""
          + augment + "\"");
    }
    boolean sgd = switch (args.get("optimizer", "adam")) {
      case "adam" -> false;
      case "sgd" -> true;
      default -> throw new IllegalArgumentException("--optimizer: expected adam or sgd, got \""
          + args.get("optimizer", "") + "\"");
    };
    double l2 = Double.parseDouble(args.get("l2", "0"));
    if (!(l2 >= 0)) {
      throw new IllegalArgumentException("--l2: expected a factor >= 0, got " + l2);
    }
    if (l2 != 0 && !name.equals("resnet")) {
      throw new IllegalArgumentException("--l2 applies to the resnet model only, got --model "
          + name);
    }
    Model network = l2 != 0 ? Architectures.smallResNet(l2) : Architectures.build(name);
    try (Model model = augment.equals("false") ? network
        : Architectures.augmented(network, augment.equals("erasing"))) {
      model.summary();
      List<Callback> callbacks = new ArrayList<>();
      Optimizer optimizer = Adam.defaults();
      if (sgd) {
        // one step per batch of 128 of the images fit trains on (validation split off the end)
        long trained = (long) Math.floor(split.trainImages().shape().get(0)
            * (1 - validationSplit));
        long stepsPerEpoch = (trained + 127) / 128;
        long steps = epochs * stepsPerEpoch;
        long warmup = Math.min(2 * stepsPerEpoch, steps - 1);
        optimizer = SGD.defaults().momentum(0.9).nesterov(true)
            .learningRate(CosineDecay.of(0, steps - warmup).warmup(0.1, warmup));
      } else if (validationSplit > 0) {
        callbacks.add(ReduceLROnPlateau.on("val_loss").factor(0.2).patience(2));
      } else {
        callbacks.add(LearningRateScheduler.of((epoch, rate) ->
            epoch > 0 && (epoch == epochs / 2 || epoch == epochs * 3 / 4) ? rate * 0.2 : rate));
      }
      model.compile(optimizer, Loss.SPARSE_CATEGORICAL_CROSSENTROPY, Metric.ACCURACY);
      History history = model.fit(split.trainImages(), split.trainLabels(),
          Fit.epochs(epochs).batchSize(128).validationSplit(validationSplit)
              .callbacks(callbacks.toArray(Callback[]::new)));
      Map<String, Double> test =
          model.evaluate(split.testImages(), split.testLabels(), 128, 0);
      if (validationSplit > 0) {
        System.out.printf(Locale.ROOT, "best_val_accuracy=%.4f%n",
            history.get("val_accuracy").stream().mapToDouble(Double::doubleValue).max()
                .orElse(Double.NaN));
      }
      String save = args.get("save", null);
      if (save != null) {
        model.save(Path.of(save));
        System.out.println("Saved the trained model to " + save);
      }
      System.out.printf(Locale.ROOT, "test_accuracy=%.4f%n", test.get("accuracy"));
    }
  }
}
