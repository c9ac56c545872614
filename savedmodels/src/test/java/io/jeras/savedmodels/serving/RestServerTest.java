package io.jeras.savedmodels.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jeras.savedmodels.LoadedModel;
import io.jeras.utils.AtomicFiles;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * The TF Serving REST API on the serving fixture (eight signatures), through a real HTTP client:
 * the JDK's, and Python's requests as TF Serving's documentation calls it.
 */
class RestServerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  Path dir;
  Path base;
  ModelVersions versions;
  RestServer server;
  HttpClient client = HttpClient.newHttpClient();

  static Path fixture() {
    try {
      return Path.of(RestServerTest.class.getResource(
          "/io/jeras/savedmodels/fixtures/serving/signatures").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }

  @BeforeEach
  void start() throws IOException {
    base = dir.resolve("models/demo");
    copyTree(fixture(), base.resolve("1"));
    versions = new ModelVersions(base, DynamicBatcher.Options.defaults(), Duration.ZERO);
    server = new RestServer("demo", versions, 0, 8, 1 << 20);
  }

  @AfterEach
  void stop() {
    server.close();
    versions.close();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(URI.create(url(path))).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(URI.create(url(path)))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  @Test
  void statusMetadataAndPredict_answerAsTfServing() throws Exception {
    JsonNode status = json(get("/v1/models/demo"));
    assertThat(status.at("/model_version_status/0/version").asText()).isEqualTo("1");
    assertThat(status.at("/model_version_status/0/state").asText()).isEqualTo("AVAILABLE");
    assertThat(status.at("/model_version_status/0/status/error_code").asText()).isEqualTo("OK");

    JsonNode metadata = json(get("/v1/models/demo/versions/1/metadata"));
    JsonNode mixed = metadata.at("/metadata/signature_def/signature_def/mixed_outputs");
    assertThat(mixed.at("/inputs/x/dtype").asText()).isEqualTo("DT_FLOAT");
    assertThat(mixed.at("/inputs/x/tensor_shape/dim/0/size").asText()).isEqualTo("-1");
    assertThat(mixed.at("/outputs/class_id/dtype").asText()).isEqualTo("DT_INT64");
    assertThat(mixed.at("/method_name").asText()).isEqualTo("tensorflow/serving/predict");

    // row format against the in-process call of the same rows
    HttpResponse<String> rows = post("/v1/models/demo:predict",
        "{\"signature_name\": \"mixed_outputs\", \"instances\": [[1.0, -0.5], [0.25, 2]]}");
    assertThat(rows.statusCode()).as(rows.body()).isEqualTo(200);
    Map<String, org.tensorflow.ndarray.NdArray<?>> direct;
    try (ModelVersions.Lease lease = versions.acquire()) {
      direct = lease.version().model().call("mixed_outputs",
          Map.of("x", new float[][] {{1f, -0.5f}, {0.25f, 2f}}));
    }
    JsonNode predictions = json(rows).get("predictions");
    assertThat(predictions.size()).isEqualTo(2);
    FloatNdArray probs = (FloatNdArray) direct.get("probs");
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        assertThat(predictions.get(i).get("probs").get(j).floatValue())
            .isCloseTo(probs.getFloat(i, j), within(1e-6f));
      }
      assertThat(predictions.get(i).get("positive").isBoolean()).isTrue();
      assertThat(predictions.get(i).get("class_id").isIntegralNumber()).isTrue();
      assertThat(predictions.get(i).get("label").asText()).isIn("cat", "dog", "bird");
    }

    // columnar format with a rank-0 input and a rank-0 output
    JsonNode columns = json(post("/v1/models/demo:predict", "{\"signature_name\": \"scalar\","
        + " \"inputs\": {\"factor\": 2.5, \"x\": [[1, 2, 3], [-1, 0, 4]]}}"));
    assertThat(columns.at("/outputs/total").floatValue()).isEqualTo(22.5f);
    assertThat(columns.at("/outputs/y/1/2").floatValue()).isEqualTo(10f);

    // no inputs
    JsonNode none = json(post("/v1/models/demo:predict",
        "{\"signature_name\": \"no_inputs\", \"inputs\": {}}"));
    assertThat(none.at("/outputs/name").asText()).isEqualTo("policy");
    assertThat(none.at("/outputs/version").asInt()).isEqualTo(3);

    // binary strings in and out as b64
    JsonNode bytes = json(post("/v1/models/demo:predict", "{\"signature_name\": \"bytes_in\","
        + " \"instances\": [{\"b64\": \"AP8Q\"}, \"ok\"]}"));
    assertThat(bytes.at("/predictions/0/length").asInt()).isEqualTo(3);
    assertThat(bytes.at("/predictions/0/head/b64").asText()).isEqualTo("AP8=");
    assertThat(bytes.at("/predictions/1/head").asText()).isEqualTo("ok");
  }

  @Test
  void badRequests_get400WithTfServingsErrorShape_andTheServerKeepsServing() throws Exception {
    String[][] bad = {
        {"{not json", "JSON Parse error"},
        {"{\"signature_name\": \"mixed_outputs\", \"instances\": [[1, 2, 3]]}",
            "expects shape (None, 2)"},
        {"{\"signature_name\": \"bytes_in\", \"instances\": [1, 2]}", "expects string values"},
        {"{\"signature_name\": \"initial_state\", \"inputs\": {\"batch_size\": 1.5}}",
            "expects int32 values"},
        {"{\"signature_name\": \"mixed_outputs\"}", "Missing 'inputs' or 'instances' key"},
        {"{\"signature_name\": \"mixed_outputs\", \"instances\": [{\"y\": [1, 2]}]}",
            "does not take"},
        {"{\"signature_name\": \"scalar\", \"instances\": [{\"factor\": 1, \"x\": [1, 2, 3]}]}",
            "Input \"factor\" of signature scalar expects shape () (float32), got (1,)"},
        {"{\"signature_name\": \"no_inputs\", \"instances\": []}", "cannot be split into rows"},
        {"[1, 2]", "must be a JSON object"}};
    for (String[] request : bad) {
      HttpResponse<String> response = post("/v1/models/demo:predict", request[0]);
      assertThat(response.statusCode()).as(request[0] + " -> " + response.body())
          .isEqualTo(400);
      assertThat(json(response).get("error").asText()).as(request[0]).contains(request[1]);
    }
    String huge = "{\"instances\": [" + "[1.0, 2.0],".repeat(100_000) + "[1.0, 2.0]]}";
    HttpResponse<String> oversized = post("/v1/models/demo:predict", huge);
    assertThat(oversized.statusCode()).isEqualTo(400);
    assertThat(json(oversized).get("error").asText()).contains("larger than 1048576 bytes");
    assertThat(post("/v1/models/other:predict", "{}").statusCode()).isEqualTo(404);
    assertThat(post("/v1/models/demo/versions/7:predict", "{}").statusCode()).isEqualTo(404);
    HttpResponse<String> unknown = post("/v1/models/demo:predict",
        "{\"signature_name\": \"nope\", \"instances\": []}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).get("error").asText()).contains("has no signature \"nope\"");
    // still serving
    assertThat(post("/v1/models/demo:predict", "{\"instances\": [[1, 2]]}").statusCode())
        .isEqualTo(200);
  }

  /**
   * Clients keep calling while version 2 appears and is swapped in: no request fails, the old
   * version finishes what it holds and is closed after its last lease.
   */
  @Test
  void aNewVersion_isSwappedInUnderLoad_withoutAFailedRequest() throws Exception {
    ModelVersions.Lease held = versions.acquire();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    List<Future<?>> loops = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      loops.add(clients.submit(() -> {
        while (running.get()) {
          try {
            HttpResponse<String> r = post("/v1/models/demo:predict",
                "{\"instances\": [[1, 2], [3, 4]]}");
            if (r.statusCode() == 200) {
              ok.incrementAndGet();
            } else {
              failures.add(r.body());
            }
          } catch (IOException | InterruptedException e) {
            failures.add(e.toString());
          }
        }
        return null;
      }));
    }
    Thread.sleep(500);
    copyTree(fixture(), base.resolve("2"));
    assertThat(versions.poll()).isTrue();
    int beforeSwap = ok.get();
    Thread.sleep(500);
    running.set(false);
    for (Future<?> loop : loops) {
      loop.get();
    }
    clients.shutdown();
    assertThat(failures).isEmpty();
    assertThat(ok.get()).isGreaterThan(beforeSwap);
    assertThat(versions.currentVersion()).isEqualTo(2);
    assertThat(json(get("/v1/models/demo")).at("/model_version_status/0/version").asText())
        .isEqualTo("2");
    // the old version still answers the lease held across the swap, then closes with it
    LoadedModel old = held.version().model();
    assertThat(old.call("fixed_batch", Map.of("x", new float[4][2]))).containsKey("y");
    held.close();
    assertThatThrownBy(() -> old.call("fixed_batch", Map.of("x", new float[4][2])))
        .hasMessageContaining("closed");
    AtomicFiles.deleteTree(base.resolve("1"));
  }

  @Test
  void pythonRequests_asTfServingsDocumentationCallsIt() throws Exception {
    String printed = io.jeras.savedmodels.PythonChecks.run("check_rest_server.py",
        "http://127.0.0.1:" + server.port(), "demo");
    JsonNode out = JSON.readTree(printed.lines().reduce((a, b) -> b).orElseThrow());
    assertThat(out.at("/status/model_version_status/0/state").asText()).isEqualTo("AVAILABLE");
    assertThat(out.get("signatures").toString()).contains("mixed_outputs", "serving_default");
    assertThat(out.at("/rows/code").asInt()).isEqualTo(200);
    assertThat(out.at("/rows/body/predictions").size()).isEqualTo(2);
    assertThat(out.at("/columns/body/outputs/total").floatValue()).isEqualTo(12f);
    assertThat(out.at("/b64/body/predictions/0/head/b64").asText()).isEqualTo("AP8=");
    assertThat(out.at("/malformed/code").asInt()).isEqualTo(400);
    assertThat(out.at("/malformed/body/error").asText()).contains("JSON Parse error");
  }
}
