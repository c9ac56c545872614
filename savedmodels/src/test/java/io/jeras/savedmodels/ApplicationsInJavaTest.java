package io.jeras.savedmodels;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jeras.applications.ApplicationBuilder;
import io.jeras.applications.Applications;
import io.jeras.applications.KerasCache;
import io.jeras.data.Data;
import io.jeras.layers.Layer;
import io.jeras.models.Functional;
import io.jeras.utils.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * The architectures of {@code io.jeras.applications} (by default one of each family, see {@link
 * ApplicationSelection}), built in Java and checked against Keras
 * 3.8 itself ({@code python/application_weights.py}): Python builds the Keras application with
 * {@code weights=None} at a small input size, with the top (10 classes, logits) and without
 * ({@code pooling="avg"}), gives its batch normalization (and Normalization, LayerScale) seeded
 * random values and writes the weights as {@code keras.applications} downloads them (Keras'
 * legacy HDF5 weights, under Keras' download file names, in a folder used as Keras' cache).
 * Java builds the same architectures with {@link Applications}, loads the file with the top
 * through {@code weights(Path)} and the one without through {@code imagenetWeights()} (the
 * system property {@code keras.home} pointing at that cache), and must predict what Keras
 * predicts (Keras' own model with {@code weights="imagenet"} for the latter) to 1e-4 relative
 * to the largest output, with Keras' layer names in Keras' order, Keras' parameter counts and
 * Keras' download names and addresses. Each family's {@code preprocessInput} must match Keras'
 * {@code preprocess_input} to 1e-6. Keras refuses ImageNet weights with 10 classes, so two
 * more cases load a top through {@code imagenetWeights()} with Keras' ImageNet arguments, and
 * a few architectures also load Keras 3's {@code .weights.h5} of the model with the top.
 *
 * <p>Two Python workers prepare the next architectures while Java checks the current one
 * ({@code -Djeras.pythonWorkers=1} for one). {@code -Djeras.applications=all} runs every
 * architecture, {@code -Djeras.applications=VGG16,ResNet50} some. The time each
 * architecture took is printed at the end (and written to {@code
 * target/applications-in-java-timings.txt}).
 */
class ApplicationsInJavaTest {
  private static final double TOLERANCE = 1e-4;
  private static final double PREPROCESSING_TOLERANCE = 1e-6;
  /**
   * Architectures whose weights are also loaded from Keras 3's {@code .weights.h5} (matched by
   * each layer's place): nested Sequentials, tensor operations, Normalization weights, custom
   * layers, a big graph.
   */
  private static final List<String> KERAS3 = List.of("ConvNeXtTiny", "MobileNetV3Small",
      "EfficientNetB0", "InceptionResNetV2", "NASNetMobile");

  /** Python workers, each with its own thread: architecture i goes to worker i % WORKERS. */
  private static final int WORKERS = Integer.getInteger("jeras.pythonWorkers", 2);
  private static final List<PythonWorker> PYTHON = new ArrayList<>();
  private static final List<ExecutorService> QUEUES = new ArrayList<>();
  private static Path root;
  private static final List<String> ORDER = new ArrayList<>();
  private static final Map<String, Future<JsonNode>> MADE = new LinkedHashMap<>();
  private static final Map<String, String> TIMINGS = new LinkedHashMap<>();
  private static final long START = System.nanoTime();

  @BeforeAll
  static void startPython() throws Exception {
    for (int i = 0; i < WORKERS; i++) {
      PythonWorker worker = PythonWorker.start("application_weights.py", false);
      PYTHON.add(worker);
      // one thread for each Python TensorFlow: they work while Java checks an earlier model
      worker.call(Map.of("op", "threads", "n", 1));
      JsonNode versions = worker.call(Map.of("op", "versions"));
      assertThat(versions.get("keras").asText()).startsWith("3.8");
      assertThat(versions.get("tensorflow").asText()).startsWith("2.18");
      QUEUES.add(Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "application_weights.py");
        thread.setDaemon(true);
        return thread;
      }));
    }
    root = Files.createTempDirectory("jeras-applications-in-java");
  }

  @TestFactory
  Stream<DynamicTest> everyArchitecture() {
    List<String> names = Applications.names().stream()
        .filter(ApplicationSelection::selected).toList();
    ORDER.addAll(names);
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : names) {
      tests.add(DynamicTest.dynamicTest(name, () -> architecture(name)));
    }
    if (ApplicationSelection.named("MobileNet")) {
      tests.add(DynamicTest.dynamicTest("MobileNet(alpha=0.25) with ImageNet's top at 128x128",
          () -> imagenetTop("MobileNet", Map.of("alpha", 0.25), 128,
              Applications.mobileNet().alpha(0.25))));
    }
    if (ApplicationSelection.named("EfficientNetB0")) {
      tests.add(DynamicTest.dynamicTest("EfficientNetB0 with ImageNet's top at 224x224",
          () -> imagenetTop("EfficientNetB0", Map.of(), 224, Applications.efficientNetB0())));
    }
    return tests.stream();
  }

  /**
   * Asks Python for the models of architecture {@code index} (each worker works on the next
   * architecture of its own while Java checks an earlier one).
   */
  private static synchronized Future<JsonNode> made(int index) {
    String name = ORDER.get(index);
    return MADE.computeIfAbsent(name, key -> {
      PythonWorker worker = PYTHON.get(index % WORKERS);
      return QUEUES.get(index % WORKERS).submit(() -> worker.call(Map.of("op", "make",
          "name", key, "cache", root.resolve("keras").toString(), "out",
          root.resolve(key).toString(), "keras3", KERAS3.contains(key))));
    });
  }

  private static void architecture(String name) throws Exception {
    long start = System.nanoTime();
    int index = ORDER.indexOf(name);
    Future<JsonNode> future = made(index);
    for (int ahead = index + 1; ahead <= index + WORKERS && ahead < ORDER.size(); ahead++) {
      made(ahead);
    }
    JsonNode made;
    try {
      made = future.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Error error ? error : new AssertionError(e.getCause());
    }
    long waited = System.nanoTime();
    Path out = root.resolve(name);
    Path models = root.resolve("keras").resolve("models");
    try {
      FloatNdArray x = Fixtures.npy(out.resolve("x.npy"));
      FloatNdArray xPre = Fixtures.npy(out.resolve("x_pre.npy"));
      ApplicationBuilder<?> builder = Applications.of(name);
      assertPreprocessed(builder.preprocessInput(x), xPre,
          name + " preprocessInput against Keras' preprocess_input");
      assertThat(builder.imagenetWeightsFile()).as(name + ": the file Keras downloads")
          .isEqualTo(made.get("top_file").asText());
      assertThat(builder.imagenetWeightsUrl()).as(name + ": where Keras downloads it from")
          .isEqualTo(made.get("top_url").asText());
      long size = made.get("size").asLong();
      ApplicationBuilder<?> small = builder.inputShape(size, size, 3);

      // with the top (10 classes, logits): weights(Path) on the file named as Keras' download
      try (Functional top = small.classes(10).classifierActivation((String) null)
          .weights(models.resolve(made.get("top_file").asText())).build()) {
        assertLayers(top, made.get("top_layers"), name + " with the top");
        assertThat(top.countParams()).isEqualTo(made.get("params_top").asLong());
        assertClose(top.predict(xPre), Fixtures.npy(out.resolve("y_top.npy")), TOLERANCE,
            name + " with the top, predicting");
      }

      // the same weights in Keras 3's format, matched by place
      if (KERAS3.contains(name)) {
        try (Functional top = small.classes(10).classifierActivation((String) null)
            .weights(out.resolve("top.weights.h5")).build()) {
          assertClose(top.predict(xPre), Fixtures.npy(out.resolve("y_top.npy")), TOLERANCE,
              name + " with the top, from Keras 3's .weights.h5, predicting");
        }
      }

      // without the top: imagenetWeights() found in the cache folder Keras would use
      ApplicationBuilder<?> notop = small.includeTop(false).pooling("avg").imagenetWeights();
      assertThat(notop.imagenetWeightsFile()).as(name + ": the file Keras downloads")
          .isEqualTo(made.get("notop_file").asText());
      assertThat(notop.imagenetWeightsUrl()).as(name + ": where Keras downloads it from")
          .isEqualTo(made.get("notop_url").asText());
      try (Functional model = withKerasHome(notop)) {
        assertLayers(model, made.get("notop_layers"), name + " without the top");
        assertThat(model.countParams()).isEqualTo(made.get("params_notop").asLong());
        assertClose(model.predict(xPre), Fixtures.npy(out.resolve("y_notop.npy")), TOLERANCE,
            name + " without the top (imagenetWeights()), predicting");
      }
    } finally {
      Files.deleteIfExists(models.resolve(made.get("top_file").asText()));
      Files.deleteIfExists(models.resolve(made.get("notop_file").asText()));
      AtomicFiles.deleteTree(out);
      long end = System.nanoTime();
      TIMINGS.put(name, String.format(Locale.ROOT, "size %3d  params %,12d  Python %6.1f s"
          + " (waited %5.1f s)  Java %6.1f s", made.get("size").asInt(),
          made.get("params_top").asLong(), made.get("seconds").asDouble(),
          (waited - start) / 1e9, (end - waited) / 1e9));
    }
  }

  /** A top with Keras' ImageNet arguments (1000 classes), through imagenetWeights(). */
  private static void imagenetTop(String name, Map<String, Object> kwargs, int size,
      ApplicationBuilder<?> builder) throws Exception {
    long start = System.nanoTime();
    Path out = root.resolve(name + "-imagenet-top");
    Map<String, Object> command = Map.of("op", "imagenet", "name", name, "kwargs", kwargs,
        "size", size, "cache", root.resolve("keras").toString(), "out", out.toString());
    JsonNode made;
    try {
      made = QUEUES.get(0).submit(() -> PYTHON.get(0).call(command)).get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Error error ? error : new AssertionError(e.getCause());
    }
    Path file = root.resolve("keras").resolve("models").resolve(made.get("file").asText());
    try {
      ApplicationBuilder<?> imagenet = builder.inputShape(size, size, 3).imagenetWeights();
      assertThat(imagenet.imagenetWeightsFile()).isEqualTo(made.get("file").asText());
      assertThat(imagenet.imagenetWeightsUrl()).isEqualTo(made.get("url").asText());
      FloatNdArray x = Fixtures.npy(out.resolve("x.npy"));
      FloatNdArray xPre = Fixtures.npy(out.resolve("x_pre.npy"));
      assertPreprocessed(imagenet.preprocessInput(x), xPre, name + " preprocessInput");
      try (Functional model = withKerasHome(imagenet)) {
        assertLayers(model, made.get("layers"), name + " with ImageNet's top");
        assertThat(model.countParams()).isEqualTo(made.get("params").asLong());
        assertClose(model.predict(xPre), Fixtures.npy(out.resolve("y.npy")), TOLERANCE,
            name + " with ImageNet's top, predicting");
      }
    } finally {
      Files.deleteIfExists(file);
      AtomicFiles.deleteTree(out);
      TIMINGS.put(name + " ImageNet top", String.format(Locale.ROOT, "size %3d  params %,12d"
          + "  total %6.1f s", size, made.get("params").asLong(),
          (System.nanoTime() - start) / 1e9));
    }
  }

  /** Builds with {@code keras.home} pointing at the test's cache folder. */
  private static Functional withKerasHome(ApplicationBuilder<?> builder) {
    String previous = System.setProperty(KerasCache.PROPERTY, root.resolve("keras").toString());
    try {
      return builder.build();
    } finally {
      if (previous == null) {
        System.clearProperty(KerasCache.PROPERTY);
      } else {
        System.setProperty(KerasCache.PROPERTY, previous);
      }
    }
  }

  /**
   * Keras' layers in Keras' order, by name and class. Keras' arithmetic on tensors ({@code x +
   * 3.0}, {@code inputs + x}) is an operation, not a layer, in Keras; Jeras has a layer there
   * (Rescaling for a tensor and a number, Add for two tensors) with the operation's name.
   */
  private static void assertLayers(Functional model, JsonNode keras, String what) {
    List<String> expected = new ArrayList<>();
    keras.forEach(entry -> expected.add(entry.get(0).asText()));
    List<String> actual = model.layers().stream().map(Layer::name).toList();
    assertThat(actual).as(what + ": layer names in order").isEqualTo(expected);
    for (int i = 0; i < keras.size(); i++) {
      JsonNode entry = keras.get(i);
      String className = model.layers().get(i).className();
      if (entry.get(2).asBoolean()) {
        assertThat(className).as(what + ": class of " + expected.get(i))
            .isEqualTo(entry.get(1).asText());
      } else {
        assertThat(className).as(what + ": the layer computing Keras' operation "
            + expected.get(i)).isIn("Rescaling", "Add");
      }
    }
  }

  /** Within {@code tolerance} times Keras' largest output, everywhere. */
  private static void assertClose(FloatNdArray actual, FloatNdArray expected, double tolerance,
      String what) {
    assertThat(actual.shape().asArray()).as(what + ": shape")
        .isEqualTo(expected.shape().asArray());
    float[] a = Data.toFloatArray(actual);
    float[] e = Data.toFloatArray(expected);
    double scale = 0;
    for (float v : e) {
      scale = Math.max(scale, Math.abs(v));
    }
    int worst = worst(a, e, new double[e.length]);
    double diff = Math.abs(a[worst] - e[worst]);
    assertThat(scale).as(what + ": Keras' largest output").isGreaterThan(0);
    assertThat(diff).as("%s: largest difference to Keras %s at %s (Java %s, Keras %s, largest"
        + " output %s)", what, diff, worst, a[worst], e[worst], scale)
        .isLessThanOrEqualTo(tolerance * scale);
  }

  /** Each value within {@code tolerance} of Keras', relatively for values beyond 1. */
  private static void assertPreprocessed(FloatNdArray actual, FloatNdArray expected,
      String what) {
    assertThat(actual.shape().asArray()).as(what + ": shape")
        .isEqualTo(expected.shape().asArray());
    float[] a = Data.toFloatArray(actual);
    float[] e = Data.toFloatArray(expected);
    double[] scales = new double[e.length];
    for (int i = 0; i < e.length; i++) {
      scales[i] = Math.max(1, Math.abs(e[i]));
    }
    int worst = worst(a, e, scales);
    assertThat(Math.abs(a[worst] - e[worst]) / scales[worst]).as("%s: Java %s, Keras %s at %s",
        what, a[worst], e[worst], worst).isLessThanOrEqualTo(PREPROCESSING_TOLERANCE);
  }

  /** The index of the largest difference, each divided by its scale (0: none). */
  private static int worst(float[] a, float[] e, double[] scales) {
    double largest = -1;
    int at = 0;
    for (int i = 0; i < a.length; i++) {
      double diff = Math.abs(a[i] - e[i]) / (scales[i] == 0 ? 1 : scales[i]);
      if (!(diff <= largest)) {
        largest = diff;
        at = i;
      }
    }
    return at;
  }

  @AfterAll
  static void stopPython() throws IOException, InterruptedException {
    StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
        "ApplicationsInJavaTest: %.1f s in all%n", (System.nanoTime() - START) / 1e9));
    TIMINGS.forEach((name, line) -> report.append(String.format(Locale.ROOT, "  %-38s %s%n",
        name, line)));
    System.out.print(report);
    Path target = Path.of("target");
    if (Files.isDirectory(target)) {
      Files.writeString(target.resolve("applications-in-java-timings.txt"), report);
    }
    QUEUES.forEach(ExecutorService::shutdownNow);
    for (PythonWorker worker : PYTHON) {
      worker.close();
    }
    if (root != null) {
      AtomicFiles.deleteTree(root);
    }
  }
}
