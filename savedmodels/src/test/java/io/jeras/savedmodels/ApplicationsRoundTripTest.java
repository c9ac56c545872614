package io.jeras.savedmodels;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jeras.Jeras;
import io.jeras.callbacks.History;
import io.jeras.data.Data;
import io.jeras.layers.Layer;
import io.jeras.layers.normalization.BatchNormalization;
import io.jeras.losses.SparseCategoricalCrossentropy;
import io.jeras.models.Model;
import io.jeras.models.ModelLayer;
import io.jeras.optimizers.SGD;
import io.jeras.savedmodels.keras.KerasModels;
import io.jeras.trainers.Fit;
import io.jeras.utils.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * The {@code keras.applications} architectures (by default one of each family and every one
 * this project does not know yet, see {@link ApplicationSelection}), enumerated by Python from the installed Keras
 * (3.8, the one of TensorFlow 2.18) and from the newest Keras on PyPI, so a new architecture in a
 * Keras release shows up here as a test: built with {@code weights=None} at a small input size
 * ({@code application_worker.py}), imported from {@code .keras} and {@code .h5}, predicting what
 * Keras predicts to 1e-4 (relative to the largest logit). With the installed Keras each model
 * then trains one step in Jeras and goes back to Python as a SavedModel and as a {@code .keras}
 * file, which TensorFlow and Keras load and predict with as Jeras does.
 *
 * <p>{@code -Djeras.applications=all} runs every architecture, {@code
 * -Djeras.applications=VGG16,ResNet50} some.
 */
class ApplicationsRoundTripTest {
  private static final double TOLERANCE = 1e-4;
  private static final List<PythonWorker> WORKERS = new ArrayList<>();

  @TestFactory
  Stream<DynamicTest> installedKeras() throws Exception {
    return architectures(false);
  }

  @TestFactory
  Stream<DynamicTest> newestKeras() throws Exception {
    return architectures(true);
  }

  /**
   * Keras 2's applications (tf_keras 2.18, the tf.keras of TensorFlow 2.18) as Keras 2 writes
   * them: RegNet and ResNetRS, which Keras 3 dropped, and the families whose Keras 2 files differ
   * (MobileNetV3's TFOpLambda arithmetic, EfficientNet's Normalization, NASNet's cropping). The
   * other Keras 2 architectures are Keras 3's own; {@code -Djeras.applications.keras2=all} runs
   * them too. Of RegNet and ResNetRS the smallest run by default ({@link ApplicationSelection}).
   */
  @TestFactory
  Stream<DynamicTest> keras2() throws Exception {
    PythonWorker worker = PythonWorker.start("application_worker.py", false, "--tf-keras");
    WORKERS.add(worker);
    JsonNode listed = worker.call(Map.of("op", "list"));
    String keras = listed.get("keras").asText();
    boolean all = System.getProperty("jeras.applications.keras2", "").equals("all");
    List<String> names = new ArrayList<>();
    listed.get("models").forEach(name -> names.add(name.asText()));
    assertThat(names).as("tf_keras applications").contains("RegNetX002", "RegNetY320",
        "ResNetRS50");
    return names.stream()
        .filter(name -> all || name.startsWith("RegNet") || name.startsWith("ResNetRS")
            || List.of("MobileNetV3Small", "MobileNetV3Large", "EfficientNetB0",
                "EfficientNetV2B0", "NASNetMobile", "InceptionResNetV2", "ConvNeXtTiny")
            .contains(name))
        .filter(ApplicationSelection::selected)
        .map(name -> DynamicTest.dynamicTest(name + " (tf_keras " + keras + ")",
            () -> roundTrip(worker, name, false)));
  }

  private static Stream<DynamicTest> architectures(boolean latest) throws Exception {
    PythonWorker worker = PythonWorker.start("application_worker.py", latest);
    WORKERS.add(worker);
    JsonNode listed = worker.call(Map.of("op", "list"));
    String keras = listed.get("keras").asText();
    List<String> names = new ArrayList<>();
    listed.get("models").forEach(name -> names.add(name.asText()));
    assertThat(names).as("keras.applications of Keras %s", keras).contains("VGG16",
        "ResNet50", "MobileNetV3Small", "EfficientNetV2B0", "ConvNeXtTiny", "NASNetMobile");
    return names.stream()
        .filter(ApplicationSelection::selected)
        .map(name -> DynamicTest.dynamicTest(name + " (Keras " + keras + ")",
            () -> roundTrip(worker, name, !latest)));
  }

  private static void roundTrip(PythonWorker worker, String name, boolean backToPython)
      throws Exception {
    Path dir = Files.createTempDirectory("jeras-application-" + name);
    Timer timer = new Timer(name);
    try {
      JsonNode made = worker.call(Map.of("op", "make", "name", name, "dir", dir.toString()));
      timer.lap("Keras builds and saves");
      FloatNdArray x = Fixtures.npy(dir.resolve("x.npy"));
      FloatNdArray y = Fixtures.npy(dir.resolve("y.npy"));
      if (made.get("h5").isBoolean()) {
        try (Model model = KerasModels.load(dir.resolve("model.h5"))) {
          assertMatches(model.predict(x), y, name + " from .h5", worker, dir);
        }
        timer.lap(".h5 import and predict");
      }
      try (Model model = KerasModels.load(dir.resolve("model.keras"))) {
        assertMatches(model.predict(x), y, name + " from .keras", worker, dir);
        timer.lap(".keras import and predict");
        if (!backToPython) {
          return;
        }
        // fine-tuning keeps BatchNormalization in inference mode: with two images a batch's
        // statistics are degenerate (Keras' own step then makes the predictions NaN)
        freezeBatchNormalization(model);
        Jeras.setRandomSeed(5);
        model.compile(SGD.defaults().learningRate(1e-4),
            SparseCategoricalCrossentropy.defaults().fromLogits(true));
        History history = model.fit(x, Data.ints(1, 2), Fit.epochs(1).batchSize(2).verbose(0));
        assertThat(history.get("loss").get(0)).as(name + " training loss").isFinite();
        Fixtures.writeNpy(model.predict(x), dir.resolve("y_jeras.npy"));
        timer.lap("compile, one step, predict");
        model.save(dir.resolve("jeras_savedmodel"));
        timer.lap("SavedModel export");
        model.saveKeras(dir.resolve("jeras.keras"));
        timer.lap(".keras export");
      }
      JsonNode checked = worker.call(Map.of("op", "check", "dir", dir.toString()));
      timer.lap("Python loads both and trains");
      double scale = Math.max(1, checked.get("scale").asDouble());
      assertThat(checked.get("savedmodel_max_diff").asDouble()).as(name
          + ": TensorFlow predicting with Jeras' SavedModel").isLessThanOrEqualTo(1e-5 * scale);
      assertThat(checked.get("keras_max_diff").asDouble()).as(name
          + ": Keras predicting with Jeras' .keras file").isLessThanOrEqualTo(TOLERANCE * scale);
      assertThat(checked.get("train_loss").asDouble()).as(name + ": Keras training it")
          .isFinite();
    } finally {
      AtomicFiles.deleteTree(dir);
      timer.print();
    }
  }

  /** How long each step took, printed per architecture (the test's own timing report). */
  private static final class Timer {
    private final StringBuilder laps;
    private long start = System.nanoTime();

    Timer(String name) {
      laps = new StringBuilder(name + ":");
    }

    void lap(String what) {
      long now = System.nanoTime();
      laps.append(String.format(" %s %.1f s;", what, (now - start) / 1e9));
      start = now;
    }

    void print() {
      System.out.println(laps);
    }
  }

  private static void freezeBatchNormalization(Model model) {
    for (Layer<?> layer : model.layers()) {
      if (layer instanceof BatchNormalization) {
        model.setTrainable(layer.name(), false);
      } else if (layer instanceof ModelLayer) {
        freezeBatchNormalization(model.nestedModel(layer.name()));
      }
    }
  }

  /**
   * Jeras' predictions equal Keras' to 1e-4 of the largest logit, or, for networks so deep that
   * Keras disagrees with itself by more (its eager and traced runs), to twice that disagreement.
   */
  private static void assertMatches(FloatNdArray actual, FloatNdArray expected, String what,
      PythonWorker worker, Path dir) throws Exception {
    assertThat(actual.shape()).as(what).isEqualTo(expected.shape());
    float[] a = Data.toFloatArray(actual);
    float[] e = Data.toFloatArray(expected);
    double scale = 1;
    for (float v : e) {
      scale = Math.max(scale, Math.abs(v));
    }
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - e[i]));
    }
    double tolerance = TOLERANCE * scale;
    if (worst > tolerance) {
      double noise = worker.call(Map.of("op", "noise", "dir", dir.toString()))
          .get("max_diff").asDouble();
      System.out.printf("%s: %.3g from Keras; Keras' eager and traced runs differ by %.3g%n",
          what, worst, noise);
      tolerance = Math.max(tolerance, 2 * noise);
    }
    assertThat(worst).as("%s: largest difference to Keras (largest logit %s)", what, scale)
        .isLessThanOrEqualTo(tolerance);
  }

  @AfterAll
  static void stopWorkers() throws Exception {
    for (PythonWorker worker : WORKERS) {
      worker.close();
    }
  }
}
