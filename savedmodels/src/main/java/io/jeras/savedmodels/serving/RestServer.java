package io.jeras.savedmodels.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jeras.savedmodels.LoadedModel;
import io.jeras.savedmodels.SignatureInfo;
import io.jeras.savedmodels.TensorSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;

/**
 * TF Serving's REST API over {@link ModelVersions}, so clients written for TF Serving work
 * unchanged: {@code GET /v1/models/NAME[/versions/V]} (version status), {@code
 * .../metadata} (signatures), {@code POST /v1/models/NAME[/versions/V]:predict} with {@code
 * "instances"} (row format) or {@code "inputs"} (columnar), {@code {"b64": ...}} for binary
 * strings, and TF Serving's error shape {@code {"error": "..."}} (400 for bad requests, 404 for
 * unknown models, versions and signatures, 503 when the batching queue is full, 504 when a
 * request timed out in it).
 *
 * <p>Built on the JDK's own HTTP server ({@code com.sun.net.httpserver}, maintained with the JDK,
 * HTTP/1.1 with keep-alive): no dependency to track, and TensorFlow's session, not HTTP parsing,
 * is where the time goes. Bodies larger than {@code maxBodyBytes} are refused unread past the
 * limit.
 */
public final class RestServer implements AutoCloseable {
  private static final Pattern PATH = Pattern.compile(
      "/v1/models/([^/:]+)(?:/versions/(\\d+))?(/metadata|:predict|:classify|:regress)?/?");
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    // The JDK's server writes the headers and the body apart; with Nagle's algorithm on, the
    // body then waits for the client's delayed ACK (40 ms on Linux): 56 ms p50 for a 1 ms
    // model, measured. TCP_NODELAY, read once when the JDK's server class loads; a user's
    // setting wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final String name;
  private final ModelVersions versions;
  private final HttpServer server;
  private final ExecutorService executor;
  private final long maxBodyBytes;

  /**
   * Serves {@code versions} as model {@code name} on {@code port} (0: any free port) with
   * {@code threads} request threads.
   */
  public RestServer(String name, ModelVersions versions, int port, int threads,
      long maxBodyBytes) throws IOException {
    this.name = name;
    this.versions = versions;
    this.maxBodyBytes = maxBodyBytes;
    this.server = HttpServer.create(new InetSocketAddress(port), 128);
    this.executor = Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, "jeras-rest");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The port the server listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** A request that fails with an HTTP status and TF Serving's error body. */
  static final class Failure extends RuntimeException {
    final int status;

    Failure(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    int status = 200;
    JsonNode body;
    try {
      body = route(exchange);
    } catch (Failure e) {
      status = e.status;
      body = error(e.getMessage());
    } catch (DynamicBatcher.Overloaded e) {
      status = 503;
      body = error(e.getMessage());
    } catch (IllegalArgumentException | IllegalStateException e) {
      status = e.getCause() instanceof TimeoutException ? 504 : 400;
      body = error(e.getMessage());
    } catch (RuntimeException e) {
      // TensorFlow's own errors (a bad value the signature's ops refuse) are the caller's too
      status = 400;
      body = error(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static ObjectNode error(String message) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("error", message == null ? "unknown error" : message);
    return node;
  }

  private JsonNode route(HttpExchange exchange) throws IOException {
    Matcher m = PATH.matcher(exchange.getRequestURI().getPath());
    if (!m.matches()) {
      throw new Failure(404, "Malformed request: " + exchange.getRequestMethod() + " "
          + exchange.getRequestURI().getPath());
    }
    if (!m.group(1).equals(name)) {
      throw new Failure(404, "Servable not found for request: Latest(" + m.group(1) + ")");
    }
    Long version = m.group(2) == null ? null : Long.parseLong(m.group(2));
    String action = m.group(3) == null ? "" : m.group(3);
    String method = exchange.getRequestMethod();
    try (ModelVersions.Lease lease = lease(version)) {
      switch (action) {
        case "" -> {
          requireMethod(method, "GET");
          return status(lease.version().number());
        }
        case "/metadata" -> {
          requireMethod(method, "GET");
          return metadata(lease.version());
        }
        case ":predict" -> {
          requireMethod(method, "POST");
          return predict(lease.version(), readBody(exchange));
        }
        default -> throw new Failure(400, "Jeras serves :predict; " + action
            + " (for tf.Example classification and regression APIs) is not served");
      }
    }
  }

  private static void requireMethod(String method, String want) {
    if (!method.equals(want)) {
      throw new Failure(405, "Expected " + want + ", got " + method);
    }
  }

  private ModelVersions.Lease lease(Long version) {
    try {
      return version == null ? versions.acquire() : versions.acquire(version);
    } catch (IllegalArgumentException e) {
      throw new Failure(404, "Servable not found for request: Specific(" + name + ", " + version
          + ")");
    }
  }

  private JsonNode readBody(HttpExchange exchange) throws IOException {
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
    }
    if (bytes.length > maxBodyBytes) {
      throw new Failure(400, "The request body is larger than " + maxBodyBytes + " bytes");
    }
    try {
      return JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new Failure(400, "JSON Parse error: " + e.getOriginalMessage() + " at line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
    } catch (IOException e) {
      // the body is in memory: any other IOException is Jackson's report of bytes that are in
      // no Unicode encoding (CharConversionException)
      throw new Failure(400, "JSON Parse error: " + e.getMessage());
    }
  }

  private static JsonNode status(long version) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode entry = root.putArray("model_version_status").addObject();
    entry.put("version", Long.toString(version));
    entry.put("state", "AVAILABLE");
    ObjectNode status = entry.putObject("status");
    status.put("error_code", "OK");
    status.put("error_message", "");
    return root;
  }

  private JsonNode metadata(ModelVersions.Version version) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode spec = root.putObject("model_spec");
    spec.put("name", name);
    spec.put("signature_name", "");
    spec.put("version", Long.toString(version.number()));
    ObjectNode defs = root.putObject("metadata").putObject("signature_def")
        .putObject("signature_def");
    for (SignatureInfo signature : version.model().signatures()) {
      ObjectNode def = defs.putObject(signature.key());
      ObjectNode inputs = def.putObject("inputs");
      signature.inputs().values().forEach(t -> inputs.set(t.key(), tensorInfo(t)));
      ObjectNode outputs = def.putObject("outputs");
      signature.outputs().values().forEach(t -> outputs.set(t.key(), tensorInfo(t)));
      def.put("method_name", signature.method());
    }
    return root;
  }

  private static JsonNode tensorInfo(TensorSpec spec) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("dtype", spec.dtype().name());
    ObjectNode shape = node.putObject("tensor_shape");
    ArrayNode dims = shape.putArray("dim");
    if (!spec.shape().isUnknown()) {
      for (long d : spec.shape().asArray()) {
        dims.addObject().put("size", Long.toString(d)).put("name", "");
      }
    }
    shape.put("unknown_rank", spec.shape().isUnknown());
    node.put("name", spec.tensorName());
    return node;
  }

  private JsonNode predict(ModelVersions.Version version, JsonNode request) {
    if (!request.isObject()) {
      throw new Failure(400, "The request body must be a JSON object with \"instances\" or"
          + " \"inputs\"");
    }
    String signatureName = request.path("signature_name").asText(LoadedModel.DEFAULT_SIGNATURE);
    SignatureInfo signature;
    try {
      signature = version.model().signature(signatureName);
    } catch (IllegalArgumentException e) {
      throw new Failure(404, e.getMessage());
    }
    boolean rows = request.has("instances");
    if (rows == request.has("inputs")) {
      throw new Failure(400, "Missing 'inputs' or 'instances' key (exactly one of them)");
    }
    Map<String, Object> inputs = rows ? fromInstances(signature, request.get("instances"))
        : fromColumns(signature, request.get("inputs"));
    Map<String, NdArray<?>> outputs = version.batcher()
        .map(b -> b.predict(signatureName, inputs))
        .orElseGet(() -> version.model().call(signatureName, inputs));
    ObjectNode response = JsonNodeFactory.instance.objectNode();
    if (rows) {
      response.set("predictions", toRows(outputs));
    } else if (outputs.size() == 1) {
      Map.Entry<String, NdArray<?>> only = outputs.entrySet().iterator().next();
      response.set("outputs", toJson(only.getValue(), only.getKey()));
    } else {
      ObjectNode columns = response.putObject("outputs");
      outputs.forEach((key, value) -> columns.set(key, toJson(value, key)));
    }
    return response;
  }

  /** Row format: a list of instances, each a value (one input) or an object of inputs. */
  private static Map<String, Object> fromInstances(SignatureInfo signature, JsonNode instances) {
    if (!instances.isArray()) {
      throw new Failure(400, "\"instances\" must be a list, got " + instances.getNodeType());
    }
    List<String> keys = new ArrayList<>(signature.inputs().keySet());
    Map<String, Object[]> columns = new LinkedHashMap<>();
    keys.forEach(k -> columns.put(k, new Object[instances.size()]));
    for (int i = 0; i < instances.size(); i++) {
      JsonNode instance = instances.get(i);
      boolean named = instance.isObject() && !(instance.size() == 1 && instance.has("b64"));
      if (keys.size() > 1 && !named) {
        throw new Failure(400, "Instance " + i + " must be an object with the inputs " + keys
            + " of signature " + signature.key());
      }
      if (named) {
        for (Iterator<String> it = instance.fieldNames(); it.hasNext(); ) {
          String field = it.next();
          if (!keys.contains(field)) {
            throw new Failure(400, "Instance " + i + " has input \"" + field + "\", which"
                + " signature " + signature.key() + " does not take; it takes " + keys);
          }
        }
      }
      for (String key : keys) {
        JsonNode value = named ? instance.get(key) : instance;
        if (value == null) {
          throw new Failure(400, "Instance " + i + " lacks input \"" + key + "\" of signature "
              + signature.key());
        }
        columns.get(key)[i] = fromJson(value);
      }
    }
    return new LinkedHashMap<>(columns);
  }

  /** Columnar format: one value (one input) or an object of inputs. */
  private static Map<String, Object> fromColumns(SignatureInfo signature, JsonNode inputs) {
    List<String> keys = new ArrayList<>(signature.inputs().keySet());
    Map<String, Object> result = new LinkedHashMap<>();
    boolean named = inputs.isObject() && !inputs.has("b64");
    if (!named) {
      if (keys.size() != 1) {
        throw new Failure(400, "\"inputs\" must be an object with the inputs " + keys
            + " of signature " + signature.key());
      }
      result.put(keys.get(0), fromJson(inputs));
      return result;
    }
    inputs.fields().forEachRemaining(e -> result.put(e.getKey(), fromJson(e.getValue())));
    return result;
  }

  /** A JSON value as the Java value LoadedModel converts: lists as Object[], b64 as bytes. */
  static Object fromJson(JsonNode node) {
    if (node.isArray()) {
      Object[] items = new Object[node.size()];
      for (int i = 0; i < items.length; i++) {
        items[i] = fromJson(node.get(i));
      }
      return items;
    }
    if (node.isObject()) {
      if (node.size() == 1 && node.has("b64") && node.get("b64").isTextual()) {
        try {
          return Base64.getDecoder().decode(node.get("b64").asText());
        } catch (IllegalArgumentException e) {
          throw new Failure(400, "Invalid base64 in a \"b64\" value: " + e.getMessage());
        }
      }
      throw new Failure(400, "Unexpected object " + node + " where a value was expected");
    }
    if (node.isIntegralNumber()) {
      if (!node.canConvertToLong()) {
        throw new Failure(400, "Integer " + node + " does not fit in 64 bits");
      }
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (node.isTextual()) {
      return node.asText();
    }
    throw new Failure(400, "Unexpected " + node.getNodeType() + " value " + node);
  }

  /** Row format: one entry per sample; an object per row when there are several outputs. */
  private static JsonNode toRows(Map<String, NdArray<?>> outputs) {
    long rows = -1;
    for (Map.Entry<String, NdArray<?>> out : outputs.entrySet()) {
      Shape shape = out.getValue().shape();
      if (shape.numDimensions() == 0 || rows >= 0 && shape.get(0) != rows) {
        throw new Failure(400, "Output \"" + out.getKey() + "\" has shape " + shape
            + ", which cannot be split into rows like the other outputs; use the columnar"
            + " format (\"inputs\")");
      }
      rows = shape.get(0);
    }
    ArrayNode predictions = JsonNodeFactory.instance.arrayNode();
    for (long i = 0; i < rows; i++) {
      if (outputs.size() == 1) {
        Map.Entry<String, NdArray<?>> only = outputs.entrySet().iterator().next();
        predictions.add(toJson(only.getValue().get(i), only.getKey()));
      } else {
        ObjectNode row = predictions.addObject();
        for (Map.Entry<String, NdArray<?>> out : outputs.entrySet()) {
          row.set(out.getKey(), toJson(out.getValue().get(i), out.getKey()));
        }
      }
    }
    return predictions;
  }

  /**
   * An output as nested lists. Strings are text, except for outputs whose name ends in
   * {@code _bytes} and values that are not UTF-8: those are {@code {"b64": ...}}, as TF Serving
   * writes them.
   */
  static JsonNode toJson(NdArray<?> array, String key) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (array.rank() == 0) {
      Object v = array.getObject();
      if (v instanceof byte[] bytes) {
        String text = key.endsWith("_bytes") ? null : utf8(bytes);
        if (text == null) {
          ObjectNode b64 = f.objectNode();
          b64.put("b64", Base64.getEncoder().encodeToString(bytes));
          return b64;
        }
        return f.textNode(text);
      }
      if (v instanceof Float x) {
        return f.numberNode(x);
      }
      if (v instanceof Double x) {
        return f.numberNode(x);
      }
      if (v instanceof Integer x) {
        return f.numberNode(x);
      }
      if (v instanceof Long x) {
        return f.numberNode(x);
      }
      if (v instanceof Boolean x) {
        return f.booleanNode(x);
      }
      return f.textNode(String.valueOf(v));
    }
    ArrayNode list = f.arrayNode();
    for (long i = 0; i < array.shape().get(0); i++) {
      list.add(toJson(array.get(i), key));
    }
    return list;
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Stops listening (in-flight requests get up to a second to finish). */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
  }
}
