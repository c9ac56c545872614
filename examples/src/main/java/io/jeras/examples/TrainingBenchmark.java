package io.jeras.examples;

import io.jeras.Jeras;
import io.jeras.bridge.Tensors;
import io.jeras.data.Data;
import io.jeras.datasets.FashionMnist;
import io.jeras.losses.Loss;
import io.jeras.metrics.Metric;
import io.jeras.models.Sequential;
import io.jeras.optimizers.Adam;
import io.jeras.trainers.Fit;
import io.jeras.trainers.ModelGraph;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Measures Jeras' {@code fit} against a plain, hand-written TensorFlow Java loop over the same
 * graph, in one run: one epoch of the benchmark CNN on Fashion-MNIST (batch 128) each, after a
 * warm-up, for {@code --rounds} rounds that alternate which goes first; prints each round, the
 * median of the rounds' ratios and the ratio of the two best epochs.
 *
 * <p>The plain loop ({@link PlainLoop}) is what a TensorFlow Java user writes by hand: batches
 * cut in order from one float array, fed to the placeholders, one {@code Session.run} per batch
 * fetching the loss. Jeras' loop adds shuffling, running means of loss and accuracy, callbacks
 * and the History. Also prints the time to build the graph and take the first step, and the
 * test accuracy after {@code --accuracy-epochs} epochs (0 to skip). The last line is
 * {@code ratio_jeras_to_plain=<value>}.
 */
public final class TrainingBenchmark {
  private static final int BATCH = FashionMnistCnn.BATCH_SIZE;
  private static final Shape SAMPLE = Shape.of(28, 28, 1);

  private TrainingBenchmark() {}

  public static void main(String[] argv) {
    Args args = new Args(argv, List.of("data", "rounds", "accuracy-epochs", "warmup-steps"));
    String dir = args.get("data", null);
    int rounds = args.getInt("rounds", 4);
    int accuracyEpochs = args.getInt("accuracy-epochs", 10);
    int warmup = args.getInt("warmup-steps", 20);
    Jeras.setRandomSeed(7);
    FashionMnistData.Source source = FashionMnistData.load(dir == null ? null : Path.of(dir));
    FashionMnist.Split data = source.split();
    int samples = Math.toIntExact(data.trainImages().shape().get(0));
    System.out.printf(Locale.ROOT, "Benchmark CNN, batch %d, %d samples per epoch from %s%n",
        BATCH, samples, source.description());
    System.out.println("TensorFlow " + org.tensorflow.TensorFlow.version() + ", "
        + Runtime.getRuntime().availableProcessors() + " cores, Java "
        + System.getProperty("java.version"));

    long buildStart = System.nanoTime();
    try (Sequential model = FashionMnistCnn.model()) {
      model.compile(Adam.defaults(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY, Metric.ACCURACY);
      float[] x = Data.toFloatArray(data.trainImages());
      float[] y = new float[samples];
      for (int i = 0; i < samples; i++) {
        y[i] = data.trainLabels().getInt(i);
      }
      ModelGraph graph = model.graph();
      try (TFloat32 xb = Tensors.floats(x, 0, Shape.of(BATCH, 28, 28, 1));
          TFloat32 yb = Tensors.floats(y, 0, Shape.of(BATCH))) {
        graph.trainStep(List.of(xb), List.of(yb));
      }
      double buildSeconds = (System.nanoTime() - buildStart) / 1e9;
      System.out.printf(Locale.ROOT, "graph build + first step: %.2f s%n", buildSeconds);

      // Warm-up both paths (TensorFlow's kernels and the JIT).
      var warmupX = Data.floats(new float[warmup * BATCH * 784], (long) warmup * BATCH, 28, 28, 1);
      var warmupY = Data.ints(new int[warmup * BATCH]);
      model.fit(warmupX, warmupY, Fit.epochs(1).batchSize(BATCH).verbose(0));
      PlainLoop.epoch(graph, x, y, SAMPLE, Shape.scalar(), BATCH, warmup);

      // Rounds alternate which loop goes first, so drift in the machine's speed hits both.
      double bestJeras = 0;
      double bestPlain = 0;
      double[] ratios = new double[rounds];
      for (int round = 1; round <= rounds; round++) {
        double jeras;
        double plain;
        if (round % 2 == 1) {
          jeras = timeJeras(model, data, samples);
          plain = timePlain(graph, x, y, samples);
        } else {
          plain = timePlain(graph, x, y, samples);
          jeras = timeJeras(model, data, samples);
        }
        System.out.printf(Locale.ROOT,
            "round %d: jeras %.0f samples/s, plain loop %.0f samples/s, ratio %.3f%n", round,
            jeras, plain, jeras / plain);
        bestJeras = Math.max(bestJeras, jeras);
        bestPlain = Math.max(bestPlain, plain);
        ratios[round - 1] = jeras / plain;
      }
      java.util.Arrays.sort(ratios);

      if (accuracyEpochs > 0) {
        try (Sequential fresh = FashionMnistCnn.model()) {
          fresh.compile(Adam.defaults(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY, Metric.ACCURACY);
          fresh.fit(data.trainImages(), data.trainLabels(),
              Fit.epochs(accuracyEpochs).batchSize(BATCH).verbose(2));
          Map<String, Double> test =
              fresh.evaluate(data.testImages(), data.testLabels(), BATCH, 0);
          System.out.printf(Locale.ROOT, "test_accuracy_after_%d_epochs=%.4f%n", accuracyEpochs,
              test.get("accuracy"));
        }
      }
      System.out.printf(Locale.ROOT, "jeras_samples_per_second=%.0f%n", bestJeras);
      System.out.printf(Locale.ROOT, "plain_samples_per_second=%.0f%n", bestPlain);
      System.out.printf(Locale.ROOT, "median_round_ratio=%.3f%n", ratios[rounds / 2]);
      System.out.printf(Locale.ROOT, "ratio_jeras_to_plain=%.3f%n", bestJeras / bestPlain);
    }
  }

  private static double timeJeras(Sequential model, FashionMnist.Split data, int samples) {
    long start = System.nanoTime();
    model.fit(data.trainImages(), data.trainLabels(), Fit.epochs(1).batchSize(BATCH).verbose(0));
    return samples / ((System.nanoTime() - start) / 1e9);
  }

  private static double timePlain(ModelGraph graph, float[] x, float[] y, int samples) {
    long start = System.nanoTime();
    PlainLoop.epoch(graph, x, y, SAMPLE, Shape.scalar(), BATCH, Integer.MAX_VALUE);
    return samples / ((System.nanoTime() - start) / 1e9);
  }
}
