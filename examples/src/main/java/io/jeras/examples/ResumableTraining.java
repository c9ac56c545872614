package io.jeras.examples;

import static io.jeras.activations.Activations.RELU;
import static io.jeras.activations.Activations.SOFTMAX;

import io.jeras.Jeras;
import io.jeras.callbacks.BackupAndRestore;
import io.jeras.callbacks.Callback;
import io.jeras.datasets.FashionMnist;
import io.jeras.layers.core.Dense;
import io.jeras.layers.reshaping.Flatten;
import io.jeras.losses.Loss;
import io.jeras.metrics.Metric;
import io.jeras.models.Sequential;
import io.jeras.optimizers.Adam;
import io.jeras.trainers.Fit;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.index.Indices;

/**
 * A training job that survives being killed: a small classifier on 1,000 Fashion-MNIST images
 * with {@link BackupAndRestore}. Run it, kill it, run it again: it continues from the last
 * completed epoch and ends with the same weights as a run that was never interrupted.
 *
 * <pre>
 * java -cp ... io.jeras.examples.ResumableTraining --backup DIR --weights FILE [--epochs N]
 * </pre>
 *
 * <p>Prints {@code starting at epoch N} (1-based; above 1 when it restored a backup) and
 * {@code epoch N done} after each epoch; writes the final weights to {@code --weights}.
 */
public final class ResumableTraining {
  private ResumableTraining() {}

  /** The model: Flatten, Dense(32, relu), Dense(10, softmax). */
  static Sequential model() {
    Sequential model = Sequential.of(
        Flatten.of().inputShape(28, 28, 1),
        Dense.of(32).activation(RELU),
        Dense.of(10).activation(SOFTMAX));
    model.compile(Adam.defaults(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY, Metric.ACCURACY);
    return model;
  }

  /** Trains to {@code epochs} with a backup in {@code backup}; saves the final weights. */
  static void train(Path backup, Path weights, int epochs, long epochDelayMillis) {
    Jeras.setRandomSeed(11);
    FashionMnist.Split data = FashionMnist.loadResource(FashionMnistData.class,
        FashionMnistData.SUBSET);
    var x = data.trainImages().slice(Indices.range(0, 1000));
    var y = data.trainLabels().slice(Indices.range(0, 1000));
    Callback progress = new Callback() {
      private boolean started;

      @Override
      public void onEpochBegin(int epoch, Map<String, Double> logs) {
        if (!started) {
          started = true;
          System.out.println("starting at epoch " + (epoch + 1));
        }
      }

      @Override
      public void onEpochEnd(int epoch, Map<String, Double> logs) {
        System.out.println("epoch " + (epoch + 1) + " done");
        System.out.flush();
        try {
          Thread.sleep(epochDelayMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    try (Sequential model = model()) {
      model.fit(x, y, Fit.epochs(epochs).batchSize(50).seed(5).verbose(0)
          .callbacks(List.of(BackupAndRestore.in(backup), progress)));
      model.saveWeights(weights);
    }
  }

  public static void main(String[] argv) {
    Args args = new Args(argv, List.of("backup", "weights", "epochs", "epoch-delay-ms"));
    train(Path.of(args.get("backup", "out/backup")), Path.of(args.get("weights",
        "out/resumable.weights")), args.getInt("epochs", 6), args.getInt("epoch-delay-ms", 0));
  }
}
