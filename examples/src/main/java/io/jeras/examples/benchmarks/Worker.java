package io.jeras.examples.benchmarks;

import io.jeras.Jeras;
import io.jeras.callbacks.LambdaCallback;
import io.jeras.data.Data;
import io.jeras.datasets.FashionMnist;
import io.jeras.examples.CatsVsDogs;
import io.jeras.examples.FashionMnistCnn;
import io.jeras.examples.FashionMnistData;
import io.jeras.examples.PlainLoop;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Input;
import io.jeras.layers.rnn.LSTM;
import io.jeras.losses.Loss;
import io.jeras.metrics.Metric;
import io.jeras.mixedprecision.MixedPrecision;
import io.jeras.models.Sequential;
import io.jeras.optimizers.Adam;
import io.jeras.savedmodels.LoadedModel;
import io.jeras.savedmodels.SavedModels;
import io.jeras.trainers.Fit;
import io.jeras.trainers.ModelGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

/**
 * One Jeras measurement, run in its own JVM by {@link Benchmarks} so that each has its own peak
 * memory; prints {@code RESULT {json}}. Modes:
 *
 * <ul>
 *   <li>{@code train-cnn}, {@code train-catsdogs}: samples/s of one epoch through {@code fit}
 *       and through a plain TensorFlow Java loop over the same graph, after a warm-up, in
 *       alternating rounds (the benchmark CNN on Fashion-MNIST at batch 128; the cats-vs-dogs CNN
 *       on synthetic 150x150x3 images at batch 32);
 *   <li>{@code export DIR}: the benchmark CNN as a SavedModel, for the inference figures;
 *   <li>{@code infer DIR}: single-image latency (p50, p99 over 1,000 calls) and batch-256
 *       throughput of the SavedModel through {@code SavedModels.load};
 *   <li>{@code leak}: RSS over one {@code fit} of 20,000 training steps (benchmark CNN, batch
 *       32), sampled after each pass over its 2,048 images; {@link Benchmarks} runs it with a
 *       fixed, pre-touched heap so that the JVM growing its heap does not pass for a leak;
 *   <li>{@code accuracy}: test accuracy after 10 epochs of the benchmark CNN (Adam, batch 128).
 * </ul>
 *
 * <p>A trailing {@code --policy NAME} builds the models under that dtype policy ({@code
 * mixed_bfloat16}, ...), as {@code keras_benchmark.py --policy} does on the Keras side.
 */
public final class Worker {
  private Worker() {}

  public static void main(String[] argv) throws IOException {
    Jeras.setRandomSeed(1);
    // a trailing "--policy NAME": the dtype policy the models are built under
    String[] args = argv;
    String policy = "float32";
    if (argv.length >= 2 && argv[argv.length - 2].equals("--policy")) {
      policy = argv[argv.length - 1];
      args = Arrays.copyOf(argv, argv.length - 2);
    }
    MixedPrecision.setGlobalPolicy(policy);
    Map<String, Object> result = switch (args[0]) {
      case "train-cnn" -> trainCnn();
      case "train-catsdogs" -> trainCatsDogs();
      case "train-lstm" -> trainLstm();
      case "export" -> export(Path.of(args[1]));
      case "infer" -> infer(Path.of(args[1]));
      case "leak" -> leak(Integer.parseInt(args.length > 1 ? args[1] : "20000"));
      case "accuracy" -> accuracy();
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    };
    result.put("policy", policy);
    result.put("peak_rss_mb", peakRssMb());
    System.out.println("RESULT " + Json.write(result));
  }

  private static Map<String, Object> trainCnn() {
    FashionMnist.Split data = FashionMnistData.load(null).split();
    return throughput(FashionMnistCnn.model(), data.trainImages(), labels(data), 128,
        Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
  }

  private static FloatNdArray labels(FashionMnist.Split data) {
    int n = Math.toIntExact(data.trainLabels().shape().get(0));
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = data.trainLabels().getInt(i);
    }
    return Data.floats(y, n);
  }

  private static Map<String, Object> trainCatsDogs() {
    int n = 512;
    Random random = new Random(3);
    float[] x = new float[n * 150 * 150 * 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextInt(256);
    }
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = random.nextInt(2);
    }
    return throughput(CatsVsDogs.model(150, false), Data.floats(x, n, 150, 150, 3),
        Data.floats(y, n, 1), 32, Loss.BINARY_CROSSENTROPY);
  }

  /**
   * The LSTM classifier: 4,096 synthetic sequences of 50 steps of 8 features (seeded; the
   * label is whether the sequence sums above 0), LSTM(64) then Dense(1, sigmoid), batch 128.
   */
  private static Map<String, Object> trainLstm() {
    int n = 4096;
    int steps = 50;
    int features = 8;
    Random random = new Random(7);
    float[] x = new float[n * steps * features];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (int k = 0; k < steps * features; k++) {
        float v = (float) random.nextGaussian();
        x[i * steps * features + k] = v;
        sum += v;
      }
      y[i] = sum > 0 ? 1 : 0;
    }
    Sequential model = Sequential.of(Input.of(steps, features), LSTM.of(64),
        Dense.of(1).activation("sigmoid"));
    return throughput(model, Data.floats(x, n, steps, features), Data.floats(y, n, 1), 128,
        Loss.BINARY_CROSSENTROPY);
  }

  /** Jeras' fit against a hand-written loop, alternating, one epoch each per round. */
  private static Map<String, Object> throughput(Sequential model, FloatNdArray x,
      FloatNdArray y, int batch, Loss loss) {
    int rounds = 3;
    try (model) {
      model.compile(Adam.defaults(), loss, Metric.ACCURACY);
      ModelGraph graph = model.graph();
      float[] xs = Data.toFloatArray(x);
      float[] ys = Data.toFloatArray(y);
      Shape sample = x.shape().subShape(1, x.shape().numDimensions());
      Shape label = y.shape().subShape(1, y.shape().numDimensions());
      int samples = ys.length / (int) Math.max(1, label.size());
      Fit oneEpoch = Fit.epochs(1).batchSize(batch).verbose(0);
      // warm-up: kernels, the JIT, the allocator
      model.fit(x, y, oneEpoch);
      PlainLoop.epoch(graph, xs, ys, sample, label, batch, Integer.MAX_VALUE);
      List<Double> jeras = new ArrayList<>();
      List<Double> plain = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        for (int turn = 0; turn < 2; turn++) {
          boolean jerasTurn = (round + turn) % 2 == 0;
          long start = System.nanoTime();
          if (jerasTurn) {
            model.fit(x, y, oneEpoch);
          } else {
            PlainLoop.epoch(graph, xs, ys, sample, label, batch, Integer.MAX_VALUE);
          }
          double rate = samples / ((System.nanoTime() - start) / 1e9);
          (jerasTurn ? jeras : plain).add(rate);
        }
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("jeras_samples_per_s", median(jeras));
      result.put("plain_samples_per_s", median(plain));
      result.put("jeras_rounds", jeras);
      result.put("plain_rounds", plain);
      return result;
    }
  }

  private static Map<String, Object> export(Path dir) {
    try (Sequential model = FashionMnistCnn.model()) {
      model.save(dir);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("exported", dir.toString());
    return result;
  }

  private static Map<String, Object> infer(Path dir) {
    Random random = new Random(5);
    float[] pixels = new float[256 * 28 * 28];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = random.nextFloat();
    }
    FloatNdArray one = Data.floats(Arrays.copyOf(pixels, 784), 1, 28, 28, 1);
    FloatNdArray batch = Data.floats(pixels, 256, 28, 28, 1);
    try (LoadedModel model = SavedModels.load(dir)) {
      for (int i = 0; i < 200; i++) {
        model.predict(one);
      }
      long[] nanos = new long[1000];
      for (int i = 0; i < nanos.length; i++) {
        long start = System.nanoTime();
        model.predict(one);
        nanos[i] = System.nanoTime() - start;
      }
      Arrays.sort(nanos);
      for (int i = 0; i < 5; i++) {
        predictBatch(model, batch);
      }
      int calls = 30;
      long start = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        predictBatch(model, batch);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("p50_ms", nanos[500] / 1e6);
      result.put("p99_ms", nanos[990] / 1e6);
      result.put("batch256_samples_per_s", calls * 256 / seconds);
      return result;
    }
  }

  private static void predictBatch(LoadedModel model, FloatNdArray batch) {
    String input = model.signature(LoadedModel.DEFAULT_SIGNATURE).inputs().keySet().iterator()
        .next();
    model.predict(LoadedModel.DEFAULT_SIGNATURE, Map.of(input, batch), 256);
  }

  private static Map<String, Object> leak(int steps) {
    int batch = 32;
    Random random = new Random(9);
    int n = 2048;
    float[] x = new float[n * 784];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextFloat();
    }
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = random.nextInt(10);
    }
    FloatNdArray images = Data.floats(x, n, 28, 28, 1);
    var labels = Data.ints(y);
    int perEpoch = n / batch;
    List<Double> rss = new ArrayList<>();
    List<Integer> at = new ArrayList<>();
    int epochs = (steps + perEpoch - 1) / perEpoch;
    try (Sequential model = FashionMnistCnn.model()) {
      model.compile(Adam.defaults(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY, Metric.ACCURACY);
      // One long training, as users run it, sampled after every pass over the data.
      model.fit(images, labels, Fit.epochs(epochs).batchSize(batch).verbose(0).callbacks(
          LambdaCallback.create().onEpochEnd((epoch, logs) -> {
            rss.add(rssMb());
            at.add((epoch + 1) * perEpoch);
          })));
    }
    int warm = 0;
    while (warm < at.size() - 1 && at.get(warm) < 2000) {
      warm++;
    }
    double base = rss.get(warm);
    double last = rss.get(rss.size() - 1);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("steps", at.get(at.size() - 1));
    result.put("rss_after_warmup_mb", base);
    result.put("rss_final_mb", last);
    result.put("growth_percent", 100 * (last - base) / base);
    result.put("rss_samples_mb", rss);
    return result;
  }

  private static Map<String, Object> accuracy() {
    FashionMnist.Split data = FashionMnistData.load(null).split();
    try (Sequential model = FashionMnistCnn.model()) {
      model.compile(Adam.defaults(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY, Metric.ACCURACY);
      long start = System.nanoTime();
      model.fit(data.trainImages(), data.trainLabels(), Fit.epochs(10).batchSize(128)
          .verbose(0));
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, Double> test = model.evaluate(data.testImages(), data.testLabels(), 128, 0);
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("test_accuracy", test.get("accuracy"));
      result.put("fit_seconds", seconds);
      return result;
    }
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return sorted[sorted.length / 2];
  }

  /** Resident memory now (VmRSS), in MB. */
  public static double rssMb() {
    return procStatus("VmRSS:");
  }

  /** Peak resident memory of this process (VmHWM), in MB. */
  static double peakRssMb() {
    return procStatus("VmHWM:");
  }

  private static double procStatus(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/self/status (Linux only)", e);
    }
    throw new IllegalStateException("no " + key + " in /proc/self/status");
  }

  /** A tiny JSON writer for flat results (numbers, strings, lists of numbers). */
  static final class Json {
    private Json() {}

    static String write(Map<String, Object> map) {
      StringBuilder out = new StringBuilder("{");
      map.forEach((key, value) -> {
        if (out.length() > 1) {
          out.append(", ");
        }
        out.append('"').append(key).append("\": ").append(value(value));
      });
      return out.append('}').toString();
    }

    private static String value(Object value) {
      if (value instanceof Number number) {
        return String.format(Locale.ROOT, "%.6g", number.doubleValue());
      }
      if (value instanceof List<?> list) {
        return "[" + String.join(", ", list.stream().map(Json::value).toList()) + "]";
      }
      return '"' + String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
  }
}
