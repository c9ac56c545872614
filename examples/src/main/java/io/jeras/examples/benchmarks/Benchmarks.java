package io.jeras.examples.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jeras.datasets.FashionMnist;
import io.jeras.utils.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * Jeras against Python Keras and a plain TensorFlow Java loop, on this machine, in one run:
 * training throughput (benchmark CNN; the cats-vs-dogs CNN at 150x150x3), SavedModel inference
 * latency and throughput, peak memory, a 20,000-step leak check and 10-epoch accuracy parity,
 * under float32 and under Keras' {@code mixed_bfloat16} policy (the CPU's AVX-512 BF16 and AMX
 * support printed with the figures).
 * Each measurement runs in its own process ({@link Worker} for Jeras, {@code
 * examples/python/keras_benchmark.py} for Keras, with TensorFlow 2.18 from the project's
 * virtualenv, the version Jeras runs). Writes {@code BENCHMARKS.md} and {@code
 * benchmarks.png}.
 *
 * <pre>
 * java -jar examples/target/jeras-examples.jar benchmarks [--out DIR] [--leak-steps N]
 * </pre>
 *
 * Run it from the repository root (it needs {@code savedmodels/python/venv.sh} and {@code
 * examples/python}).
 */
public final class Benchmarks {
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Each side's training figure is the median of this many processes, run alternately: one
   * process's figure is steady, but it differs from process to process (Keras' cats-vs-dogs CNN was
   * seen at 98 and at 133 samples/s in consecutive runs on this machine).
   */
  private static final int TRAINING_PROCESSES = 3;
  /** Every figure under float32, then under Keras' mixed_bfloat16 policy. */
  private static final List<String> POLICIES = List.of("float32", "mixed_bfloat16");

  private Benchmarks() {}

  public static void main(String[] argv) throws Exception {
    Path out = Path.of(argv.length > 1 && argv[0].equals("--out") ? argv[1] : ".");
    int leakSteps = 20_000;
    for (int i = 0; i + 1 < argv.length; i++) {
      if (argv[i].equals("--leak-steps")) {
        leakSteps = Integer.parseInt(argv[i + 1]);
      }
    }
    Path venv = Path.of("savedmodels/python/venv.sh");
    Path script = Path.of("examples/python/keras_benchmark.py");
    if (!Files.exists(venv) || !Files.exists(script)) {
      throw new IllegalStateException("run the benchmarks from the repository root: " + venv
          + " and " + script + " are needed");
    }
    String python = run(List.of("bash", venv.toString()), false).trim();
    String data = FashionMnist.isAvailable(FashionMnist.DEBIAN_DIR)
        ? FashionMnist.DEBIAN_DIR.toString()
        : "examples/src/main/resources/io/jeras/examples/fashion-mnist-subset";
    List<String> keras = List.of(python, script.toString());
    Map<String, JsonNode> r = new LinkedHashMap<>();
    for (String policy : POLICIES) {
      // (the recurrent layers are measured in float32 only)
      for (String mode : policy.equals("float32")
          ? List.of("train-cnn", "train-catsdogs", "train-lstm")
          : List.of("train-cnn", "train-catsdogs")) {
        List<JsonNode> jerasRuns = new ArrayList<>();
        List<JsonNode> kerasRuns = new ArrayList<>();
        for (int i = 0; i < TRAINING_PROCESSES; i++) {
          if (i % 2 == 0) {
            jerasRuns.add(java(mode, "--policy", policy));
            kerasRuns.add(python(keras, mode, null, data, policy));
          } else {
            kerasRuns.add(python(keras, mode, null, data, policy));
            jerasRuns.add(java(mode, "--policy", policy));
          }
        }
        String key = key(mode, policy);
        r.put("jeras_" + key, medianOf(jerasRuns, "jeras_samples_per_s", "plain_samples_per_s"));
        r.put("keras_" + key, medianOf(kerasRuns, "keras_samples_per_s"));
      }
      Path model = Files.createTempDirectory("jeras-benchmark-savedmodel").resolve("cnn");
      java("export", model.toString(), "--policy", policy);
      r.put("jeras_" + key("infer", policy), java("infer", model.toString()));
      r.put("keras_" + key("infer", policy), python(keras, "infer", model.toString(), data,
          "float32"));
      r.put("keras_" + key("accuracy", policy), python(keras, "accuracy", null, data, policy));
      r.put("jeras_" + key("accuracy", policy), java("accuracy", "--policy", policy));
    }
    r.put("jeras_leak", java(List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"), "leak",
        Integer.toString(leakSteps)));
    write(out, r, data);
  }

  /**
   * The median of {@code keys} over several processes' results, the largest peak RSS, and
   * every process's own result under {@code processes}.
   */
  private static JsonNode medianOf(List<JsonNode> runs, String... keys) {
    ObjectNode combined = JSON.createObjectNode();
    for (String key : keys) {
      double[] values = runs.stream().mapToDouble(run -> run.path(key).asDouble()).sorted()
          .toArray();
      combined.put(key, values[values.length / 2]);
    }
    combined.put("peak_rss_mb", runs.stream().mapToDouble(run -> run.path("peak_rss_mb")
        .asDouble()).max().orElse(Double.NaN));
    combined.set("processes", JSON.valueToTree(runs));
    return combined;
  }

  private static JsonNode java(String... args) throws IOException, InterruptedException {
    return java(List.of("-Xmx6g"), args);
  }

  /**
   * A {@link Worker} in its own JVM. The leak check pins and pre-touches the heap
   * ({@code -Xms = -Xmx}, {@code AlwaysPreTouch}): a JVM otherwise takes resident memory page
   * by page as its heap fills towards its maximum, which is not a leak but looks like one
   * (measured: +31% RSS over 20,000 steps with {@code -Xmx6g}, flat with a pinned heap).
   */
  private static JsonNode java(List<String> jvmOptions, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java")));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        Worker.class.getName()));
    command.addAll(List.of(args));
    System.out.println("jeras " + String.join(" ", args) + " ...");
    return result(run(command, true));
  }

  /** A run's key: {@code train_cnn}, {@code train_cnn_mixed_bfloat16}, ... */
  private static String key(String mode, String policy) {
    return mode.replace('-', '_') + (policy.equals("float32") ? "" : "_" + policy);
  }

  private static JsonNode python(List<String> keras, String mode, String arg, String data,
      String policy) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(keras);
    command.add(mode);
    if (arg != null) {
      command.add(arg);
    }
    command.addAll(List.of("--data", data, "--policy", policy));
    System.out.println("keras " + mode + " " + policy + " ...");
    return result(run(command, true));
  }

  private static JsonNode result(String output) throws IOException {
    for (String line : output.split("\n")) {
      if (line.startsWith("RESULT ")) {
        JsonNode node = JSON.readTree(line.substring(7));
        System.out.println("  " + node);
        return node;
      }
    }
    throw new IllegalStateException("no RESULT line in:\n" + output);
  }

  private static String run(List<String> command, boolean quietErrors)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    Process process = builder.redirectError(quietErrors ? ProcessBuilder.Redirect.DISCARD
        : ProcessBuilder.Redirect.INHERIT).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.HOURS) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
    }
    return output;
  }

  private static double d(Map<String, JsonNode> r, String run, String key) {
    return r.get(run).path(key).asDouble();
  }

  private static void write(Path out, Map<String, JsonNode> r, String data) throws IOException {
    JsonNode versions = r.get("keras_infer").path("versions");
    StringBuilder md = new StringBuilder();
    md.append("# Benchmarks\n\n");
    md.append(String.format(Locale.ROOT, "Measured %s on %s (%d cores; %s), Java %s,"
        + " TensorFlow Java with TensorFlow %s; Python %s, TensorFlow %s, Keras %s"
        + " (tensorflow-cpu from PyPI). Data: %s. TensorFlow's thread settings at their defaults"
        + " on both sides. Each figure comes from its own process; a training figure is the"
        + " median over %d processes per side, run alternately, of each process's median of 3"
        + " epochs after a warm-up epoch (one process is steady, processes differ). The"
        + " inference figures call the same SavedModel (exported by Jeras under the policy)"
        + " from Jeras and from Python TensorFlow. Written by `java -jar"
        + " examples/target/jeras-examples.jar benchmarks`; the machine is shared, so read the"
        + " ratios, not the absolute figures.%n%n", LocalDate.now(), cpuModel(),
        Runtime.getRuntime().availableProcessors(), cpuFeatures(),
        System.getProperty("java.version"), org.tensorflow.TensorFlow.version(),
        versions.path("python").asText(), versions.path("tensorflow").asText(),
        versions.path("keras").asText(), data, TRAINING_PROCESSES));
    md.append("| figure | Jeras | plain TF Java loop | Python Keras | Jeras / Keras |"
        + " Jeras / plain | target |\n|---|---:|---:|---:|---:|---:|---|\n");
    List<String> chartFigures = new ArrayList<>();
    List<Double> chartToKeras = new ArrayList<>();
    List<Double> chartToPlain = new ArrayList<>();
    StringBuilder parity = new StringBuilder();
    for (String policy : POLICIES) {
      String tag = policy.equals("float32") ? "" : ", " + policy;
      double cnnJeras = d(r, "jeras_" + key("train-cnn", policy), "jeras_samples_per_s");
      double cnnPlain = d(r, "jeras_" + key("train-cnn", policy), "plain_samples_per_s");
      double cnnKeras = d(r, "keras_" + key("train-cnn", policy), "keras_samples_per_s");
      double cdJeras = d(r, "jeras_" + key("train-catsdogs", policy), "jeras_samples_per_s");
      double cdPlain = d(r, "jeras_" + key("train-catsdogs", policy), "plain_samples_per_s");
      double cdKeras = d(r, "keras_" + key("train-catsdogs", policy), "keras_samples_per_s");
      String infer = key("infer", policy);
      double p50Jeras = d(r, "jeras_" + infer, "p50_ms");
      double p50Keras = d(r, "keras_" + infer, "p50_ms");
      double p99Jeras = d(r, "jeras_" + infer, "p99_ms");
      double p99Keras = d(r, "keras_" + infer, "p99_ms");
      double batchJeras = d(r, "jeras_" + infer, "batch256_samples_per_s");
      double batchKeras = d(r, "keras_" + infer, "batch256_samples_per_s");
      double accJeras = d(r, "jeras_" + key("accuracy", policy), "test_accuracy");
      double accKeras = d(r, "keras_" + key("accuracy", policy), "test_accuracy");
      boolean mixed = !policy.equals("float32");
      double cnnFp32 = d(r, "jeras_train_cnn", "jeras_samples_per_s");
      double cdFp32 = d(r, "jeras_train_catsdogs", "jeras_samples_per_s");
      row(md, "training, benchmark CNN, batch 128 (samples/s)" + tag, cnnJeras, cnnPlain,
          cnnKeras, cnnJeras / cnnKeras, cnnJeras / cnnPlain, mixed
              ? String.format(Locale.ROOT, ">= 1.0x Keras, >= 1.3x Jeras float32 (%.2fx)",
                  cnnJeras / cnnFp32) : ">= 1.0x Keras, >= 0.95x plain");
      row(md, "training, cats-vs-dogs CNN 150x150x3, batch 32 (samples/s)" + tag, cdJeras,
          cdPlain, cdKeras, cdJeras / cdKeras, cdJeras / cdPlain, mixed
              ? String.format(Locale.ROOT, ">= 1.0x Keras, >= 1.3x Jeras float32 (%.2fx)",
                  cdJeras / cdFp32) : ">= 1.0x Keras, >= 0.95x plain");
      row(md, "inference, one image, p50 (ms)" + tag, p50Jeras, Double.NaN, p50Keras,
          p50Keras / p50Jeras, Double.NaN, "Jeras <= 1/5 of Keras (ratio = Keras / Jeras)");
      row(md, "inference, one image, p99 (ms)" + tag, p99Jeras, Double.NaN, p99Keras,
          p99Keras / p99Jeras, Double.NaN, "");
      row(md, "inference, batch 256 (samples/s)" + tag, batchJeras, Double.NaN, batchKeras,
          batchJeras / batchKeras, Double.NaN, ">= 1.0x Keras");
      if (!mixed) {
        double lstmJeras = d(r, "jeras_train_lstm", "jeras_samples_per_s");
        row(md, "training, LSTM(64) over 50 steps, batch 128 (samples/s)", lstmJeras,
            d(r, "jeras_train_lstm", "plain_samples_per_s"), d(r, "keras_train_lstm",
                "keras_samples_per_s"), lstmJeras / d(r, "keras_train_lstm",
                "keras_samples_per_s"), lstmJeras / d(r, "jeras_train_lstm",
                "plain_samples_per_s"), ">= 0.9x Keras");
        row(md, "peak RSS, training the benchmark CNN (MB)", d(r, "jeras_train_cnn",
            "peak_rss_mb"), Double.NaN, d(r, "keras_train_cnn", "peak_rss_mb"),
            d(r, "keras_train_cnn", "peak_rss_mb") / d(r, "jeras_train_cnn", "peak_rss_mb"),
            Double.NaN, "(ratio = Keras / Jeras)");
        row(md, "peak RSS, inference (MB)", d(r, "jeras_infer", "peak_rss_mb"), Double.NaN,
            d(r, "keras_infer", "peak_rss_mb"), d(r, "keras_infer", "peak_rss_mb")
                / d(r, "jeras_infer", "peak_rss_mb"), Double.NaN, "(ratio = Keras / Jeras)");
      }
      row(md, "test accuracy after 10 epochs" + tag, accJeras, Double.NaN, accKeras,
          accJeras / accKeras, Double.NaN, "within 0.5 points");
      parity.append(String.format(Locale.ROOT, "Accuracy parity (%s): %.2f points apart (Jeras"
          + " %.4f, Keras %.4f; target: within 0.5).%n%n", policy,
          100 * Math.abs(accJeras - accKeras), accJeras, accKeras));
      String short_ = mixed ? " bf16" : "";
      chartFigures.addAll(List.of("train CNN" + short_, "train 150x150" + short_,
          "infer p50" + short_, "infer batch 256" + short_));
      chartToKeras.addAll(List.of(cnnJeras / cnnKeras, cdJeras / cdKeras, p50Keras / p50Jeras,
          batchJeras / batchKeras));
      chartToPlain.addAll(List.of(cnnJeras / cnnPlain, cdJeras / cdPlain, Double.NaN,
          Double.NaN));
    }
    md.append(String.format(Locale.ROOT, "%nLeak check: one fit of %d training steps of the"
        + " benchmark CNN at batch 32, Java heap fixed at 512 MB and pre-touched; RSS %.0f MB"
        + " after warm-up (2,000 steps), %.0f MB at the end: %+.2f%%"
        + " (target: under 5%%).%n%n", (long) d(r, "jeras_leak", "steps"),
        d(r, "jeras_leak", "rss_after_warmup_mb"), d(r, "jeras_leak", "rss_final_mb"),
        d(r, "jeras_leak", "growth_percent")));
    md.append(parity).append("![ratios](benchmarks.png)\n");
    md.append("\n<details><summary>raw results</summary>\n\n```\n");
    r.forEach((k, v) -> md.append(k).append(": ").append(v).append('\n'));
    md.append("```\n</details>\n");
    Files.createDirectories(out);
    byte[] text = md.toString().getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(out.resolve("BENCHMARKS.md"), stream -> stream.write(text));
    chart(out.resolve("benchmarks.png"), chartFigures, chartToKeras, chartToPlain);
    System.out.println(md);
    System.out.println("Wrote " + out.resolve("BENCHMARKS.md").toAbsolutePath());
  }

  private static void row(StringBuilder md, String figure, double jeras, double plain,
      double keras, double toKeras, double toPlain, String target) {
    md.append("| ").append(figure).append(" | ").append(num(jeras)).append(" | ")
        .append(num(plain)).append(" | ").append(num(keras)).append(" | ")
        .append(ratio(toKeras)).append(" | ").append(ratio(toPlain)).append(" | ")
        .append(target).append(" |\n");
  }

  private static String num(double value) {
    if (Double.isNaN(value)) {
      return "";
    }
    return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
        : String.format(Locale.ROOT, "%.4g", value);
  }

  private static String ratio(double value) {
    return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.2fx", value);
  }

  private static void chart(Path file, List<String> figures, List<Double> toKeras,
      List<Double> toPlain) throws IOException {
    CategoryChart chart = new CategoryChartBuilder().width(900).height(450)
        .title("Jeras, relative (higher is better for Jeras)").xAxisTitle("")
        .yAxisTitle("ratio").build();
    chart.addSeries("Jeras / Python Keras", figures, toKeras);
    chart.addSeries("Jeras / plain TF Java loop", figures,
        toPlain.stream().map(v -> Double.isNaN(v) ? 0.0 : v).toList());
    chart.getStyler().setYAxisMin(0.0);
    AtomicFiles.write(file, stream -> BitmapEncoder.saveBitmap(chart, stream,
        BitmapEncoder.BitmapFormat.PNG));
  }

  public static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // not Linux: no model name
    }
    return "an unknown CPU";
  }

  /**
   * The CPU features that decide the speed of float32 and bfloat16 training: AVX-512,
   * AVX-512 BF16 and AMX (tiles and bfloat16 tile ops), as /proc/cpuinfo lists them.
   */
  public static String cpuFeatures() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("flags")) {
          List<String> flags = List.of(line.substring(line.indexOf(':') + 1).trim().split(" "));
          List<String> shown = new ArrayList<>();
          for (String flag : List.of("avx512f", "avx512_bf16", "amx_tile", "amx_bf16")) {
            shown.add(flag + (flags.contains(flag) ? " yes" : " no"));
          }
          return String.join(", ", shown);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // not Linux
    }
    return "CPU features unknown";
  }
}
