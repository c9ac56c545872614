package io.jeras.savedmodels;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regenerates the fixtures with real Python (TensorFlow 2.18 and the newest TensorFlow, each in
 * its own virtualenv) and checks that Java still matches what Python computes now, and that the
 * committed Keras references of the dsl tests (layer outputs, summaries) are what the committed
 * scripts print.
 */
class RegeneratedFixturesTest {
  private static final Path DSL_RESOURCES =
      Path.of("../dsl/src/test/resources/io/jeras").toAbsolutePath().normalize();

  @TempDir
  Path dir;

  @Test
  void tensorFlow218Fixtures() throws Exception {
    Path out = dir.resolve("tf2.18");
    PythonChecks.run("make_fixtures.py", out.toString());
    SavedModelImportTest.checkFixtures(out);
  }

  /** The Keras layer references the dsl tests read are what the committed script computes. */
  @Test
  void layerReferences() throws Exception {
    assertRegenerated("make_layer_references.py", "layers/keras-references.json", "cases");
  }

  /** The learning-rate schedule references are what the committed script computes. */
  @Test
  void scheduleReferences() throws Exception {
    assertRegenerated("make_schedule_references.py", "optimizers/schedule-references.json",
        "cases");
  }

  /** The loss references (values, gradients, one focal-loss epoch) are what Keras computes. */
  @Test
  void lossReferences() throws Exception {
    assertRegenerated("make_loss_references.py", "losses/loss-references.json", "cases",
        "training");
  }

  /** The optimizer references (weights after each step, optimizer variables) are Keras'. */
  @Test
  void optimizerReferences() throws Exception {
    assertRegenerated("make_optimizer_references.py", "optimizers/optimizer-references.json",
        "weight", "gradients", "cases");
  }

  /** The metric references (result after one batch and after two) are Keras'. */
  @Test
  void metricReferences() throws Exception {
    assertRegenerated("make_metric_references.py", "metrics/metric-references.json", "data",
        "weights", "cases");
  }

  /** The sample- and class-weight references (losses, weights after an epoch) are Keras'. */
  @Test
  void sampleWeightReferences() throws Exception {
    assertRegenerated("make_sample_weight_references.py",
        "trainers/sample-weight-references.json", "x", "cases");
  }

  /**
   * The text and time-series references (TextVectorization, text_dataset_from_directory,
   * timeseries_dataset_from_array, NumPy's RandomState shuffles) are Keras': the numbers to
   * 1e-6, the texts (vocabularies, class names, batches of strings) exactly.
   */
  @Test
  void textReferences() throws Exception {
    String[] keys = {"corpus", "test_texts", "files", "vectorization", "timeseries", "shuffles",
        "directory"};
    assertRegenerated("make_text_references.py", "data/text/text-references.json", keys);
    ObjectMapper json = new ObjectMapper();
    JsonNode fresh = json.readTree(dir.resolve("text-references.json").toFile());
    JsonNode committed = json.readTree(DSL_RESOURCES.resolve("data/text/text-references.json")
        .toFile());
    for (String key : keys) {
      assertSameTexts(fresh.get(key), committed.get(key), key);
    }
  }

  /** The strings in {@code committed}, wherever they are, are those of {@code fresh}. */
  private static void assertSameTexts(JsonNode fresh, JsonNode committed, String path) {
    if (committed.isTextual()) {
      assertThat(fresh.isTextual()).as(path).isTrue();
      assertThat(fresh.asText()).as(path).isEqualTo(committed.asText());
    } else if (committed.isArray()) {
      assertThat(fresh.size()).as(path).isEqualTo(committed.size());
      for (int i = 0; i < committed.size(); i++) {
        assertSameTexts(fresh.get(i), committed.get(i), path + "[" + i + "]");
      }
    } else if (committed.isObject()) {
      committed.fieldNames().forEachRemaining(name -> {
        assertThat(fresh.has(name)).as(path + "." + name).isTrue();
        assertSameTexts(fresh.get(name), committed.get(name), path + "." + name);
      });
    }
  }

  /**
   * Reruns {@code script} and checks that the parts {@code keys} of its output are, to 1e-6,
   * those of the committed {@code resource} (under the dsl test resources).
   */
  private void assertRegenerated(String script, String resource, String... keys)
      throws Exception {
    Path out = dir.resolve(Path.of(resource).getFileName());
    PythonChecks.run(script, out.toString());
    ObjectMapper json = new ObjectMapper();
    JsonNode fresh = json.readTree(out.toFile());
    JsonNode committed = json.readTree(DSL_RESOURCES.resolve(resource).toFile());
    for (String key : keys) {
      assertThat(committed.has(key)).as("%s has %s", resource, key).isTrue();
      assertSameNumbers(fresh.get(key), committed.get(key), key);
    }
  }

  private static void assertSameNumbers(JsonNode fresh, JsonNode committed, String path) {
    if (committed.isNumber()) {
      assertThat(fresh.asDouble()).as(path).isCloseTo(committed.asDouble(),
          org.assertj.core.api.Assertions.within(1e-6 * Math.max(1, Math.abs(
              committed.asDouble()))));
      return;
    }
    assertThat(fresh.size()).as(path).isEqualTo(committed.size());
    if (committed.isArray()) {
      for (int i = 0; i < committed.size(); i++) {
        assertSameNumbers(fresh.get(i), committed.get(i), path + "[" + i + "]");
      }
    } else {
      committed.fieldNames().forEachRemaining(name -> {
        assertThat(fresh.has(name)).as(path + "." + name).isTrue();
        assertSameNumbers(fresh.get(name), committed.get(name), path + "." + name);
      });
    }
  }

  /** The image references (decoding, resizing, augmentation layers) are what Keras computes. */
  @Test
  void imageReferences() throws Exception {
    Path out = dir.resolve("images");
    PythonChecks.runLatest("make_image_references.py", out.toString());
    ObjectMapper json = new ObjectMapper();
    JsonNode fresh = json.readTree(out.resolve("image-references.json").toFile()).get("cases");
    JsonNode committed = json.readTree(DSL_RESOURCES.resolve(
        "data/images/image-references.json").toFile()).get("cases");
    assertSameNumbers(fresh, committed, "cases");
  }

  /** The serving fixtures' outputs are what the committed script computes. */
  @Test
  void servingReferences() throws Exception {
    Path out = dir.resolve("serving");
    PythonChecks.run("make_serving_fixtures.py", out.toString());
    ObjectMapper json = new ObjectMapper();
    JsonNode fresh = json.readTree(out.resolve("signatures.json").toFile());
    JsonNode committed = json.readTree(Fixtures.dir("serving").resolve("signatures.json")
        .toFile());
    assertSameNumbers(fresh.get("signatures"), committed.get("signatures"), "signatures");
    assertSameNumbers(fresh.get("parsing"), committed.get("parsing"), "parsing");
    assertThat(fresh.toString().replaceAll("\\d", "")).isEqualTo(
        committed.toString().replaceAll("\\d", ""));
  }

  /** The summary golden files are what Keras prints now. */
  @Test
  void summaries() throws Exception {
    Path out = dir.resolve("summaries");
    PythonChecks.run("make_summaries.py", out.toString());
    try (var files = Files.list(DSL_RESOURCES.resolve("models/summaries"))) {
      for (Path committed : files.toList()) {
        assertThat(Files.readString(out.resolve(committed.getFileName().toString())))
            .as(committed.getFileName().toString()).isEqualTo(Files.readString(committed));
      }
    }
  }

  @Test
  void newestTensorFlowFixtures() throws Exception {
    Path out = dir.resolve("tf-latest");
    String printed = PythonChecks.runLatest("make_latest_fixture.py", out.toString());
    assertThat(printed).contains("\"tensorflow\"");
    NewerTensorFlowTest.checkLatest(out);
  }
}
