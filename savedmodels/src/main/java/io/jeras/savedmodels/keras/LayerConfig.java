package io.jeras.savedmodels.keras;

import com.fasterxml.jackson.databind.JsonNode;
import io.jeras.activations.Activations;
import io.jeras.constraints.Constraint;
import io.jeras.initializers.Initializer;
import io.jeras.regularizers.Regularizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * One layer's entry in a Keras model config, read key by key. Every key a mapping reads is
 * marked as used; when the layer is done, any key neither used nor on the list of keys that do
 * not change the computation fails the import, naming the layer and the key: nothing in a file
 * is dropped without a word.
 *
 * <p>A custom layer's factory ({@link KerasLoader#customLayer}) gets one of these: read the
 * options with the typed getters; a missing key gives the default passed, a value of the wrong
 * kind fails naming the key.
 */
public final class LayerConfig {
  /**
   * Keys of any layer that never change what it computes: names and bookkeeping of Keras'
   * serialization.
   */
  private static final Set<String> BOOKKEEPING = Set.of("name", "trainable", "dtype",
      "registered_name", "module", "shared_object_id", "build_config", "batch_input_shape",
      "batch_shape", "input_shape", "input_dim", "autocast");

  private final String name;
  private final String className;
  private final JsonNode config;
  private final Set<String> used = new HashSet<>();
  private final List<String> problems = new ArrayList<>();

  LayerConfig(String name, String className, JsonNode config) {
    this.name = name;
    this.className = className;
    this.config = config;
  }

  /** The layer's name in the file. */
  public String name() {
    return name;
  }

  /** Keras' class name ({@code Conv2D}, or a custom class's registered name). */
  public String className() {
    return className;
  }

  /** The raw config, for custom layers that read it themselves. */
  public JsonNode json() {
    return config;
  }

  /** Whether the config holds {@code key} with a value other than null (marks it read). */
  public boolean has(String key) {
    used.add(key);
    return config.has(key) && !config.get(key).isNull();
  }

  /** The value of {@code key}, marked as used; a missing node if absent. */
  public JsonNode node(String key) {
    used.add(key);
    return config.path(key);
  }

  /** Marks keys as read (their value is checked elsewhere or does not matter here). */
  public void use(String... keys) {
    used.addAll(List.of(keys));
  }

  /** An integer option; {@code fallback} when absent or null. */
  public int integer(String key, int fallback) {
    JsonNode value = node(key);
    if (value.isMissingNode() || value.isNull()) {
      return fallback;
    }
    if (value.isArray() && value.size() == 1 && value.get(0).canConvertToInt()) {
      return value.get(0).asInt();
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw wrong(key, "an integer", value);
    }
    return value.asInt();
  }

  /** A required integer option. */
  public int integer(String key) {
    requirePresent(key);
    return integer(key, 0);
  }

  /** A number option; {@code fallback} when absent or null. */
  public double number(String key, double fallback) {
    JsonNode value = node(key);
    if (value.isMissingNode() || value.isNull()) {
      return fallback;
    }
    if (!value.isNumber()) {
      throw wrong(key, "a number", value);
    }
    return value.asDouble();
  }

  /** A boolean option; {@code fallback} when absent or null. */
  public boolean bool(String key, boolean fallback) {
    JsonNode value = node(key);
    if (value.isMissingNode() || value.isNull()) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw wrong(key, "true or false", value);
    }
    return value.asBoolean();
  }

  /** A string option; {@code fallback} when absent or null. */
  public String string(String key, String fallback) {
    JsonNode value = node(key);
    if (value.isMissingNode() || value.isNull()) {
      return fallback;
    }
    if (!value.isTextual()) {
      throw wrong(key, "a string", value);
    }
    return value.asText();
  }

  /**
   * Keras' tuple options: one int for every axis, or a list of {@code count} ints
   * ({@code kernel_size: 3} or {@code [3, 3]}).
   */
  public int[] ints(String key, int count, int fallback) {
    JsonNode value = node(key);
    int[] result = new int[count];
    if (value.isMissingNode() || value.isNull()) {
      java.util.Arrays.fill(result, fallback);
      return result;
    }
    if (value.isIntegralNumber()) {
      java.util.Arrays.fill(result, value.asInt());
      return result;
    }
    if (!value.isArray() || value.size() != count) {
      throw wrong(key, count == 1 ? "an integer" : "an integer or a list of " + count
          + " integers", value);
    }
    for (int i = 0; i < count; i++) {
      if (!value.get(i).isIntegralNumber()) {
        throw wrong(key, "a list of integers", value);
      }
      result[i] = value.get(i).asInt();
    }
    return result;
  }

  /** A list of integers where {@code null} entries (Keras' None) are -1; null if absent. */
  public long[] dims(String key) {
    JsonNode value = node(key);
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (value.isIntegralNumber()) {
      return new long[] {value.asLong()};
    }
    if (!value.isArray()) {
      throw wrong(key, "a list of integers", value);
    }
    long[] dims = new long[value.size()];
    for (int i = 0; i < dims.length; i++) {
      JsonNode d = value.get(i);
      if (d.isNull()) {
        dims[i] = -1;
      } else if (d.isIntegralNumber()) {
        dims[i] = d.asLong();
      } else {
        throw wrong(key, "a list of integers or nulls", value);
      }
    }
    return dims;
  }

  /** A number or a list of numbers (one per channel); null if absent. */
  public double[] numbers(String key) {
    JsonNode value = node(key);
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (value.isNumber()) {
      return new double[] {value.asDouble()};
    }
    List<Double> numbers = new ArrayList<>();
    flatten(value, key, numbers);
    return numbers.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private void flatten(JsonNode value, String key, List<Double> into) {
    if (value.isNumber()) {
      into.add(value.asDouble());
    } else if (value.isArray()) {
      value.forEach(v -> flatten(v, key, into));
    } else {
      throw wrong(key, "a number or a list of numbers", value);
    }
  }

  /** The activation function under {@code key} ({@code "relu"}); linear when absent. */
  public Activations activation(String key) {
    return KerasObjects.activation(node(key), key);
  }

  /** The initializer under {@code key}; {@code fallback} when absent. */
  public Initializer initializer(String key, Initializer fallback) {
    return KerasObjects.initializer(node(key), key, fallback);
  }

  /** The regularizer under {@code key}, or null for none. */
  public Regularizer regularizer(String key) {
    return KerasObjects.regularizer(node(key), key);
  }

  /** The constraint under {@code key}, or null for none. */
  public Constraint constraint(String key) {
    return KerasObjects.constraint(node(key), key);
  }

  /**
   * Accepts {@code key} only with one of the values Jeras computes the same way ({@code
   * data_format: "channels_last"}); any other value is a problem naming it.
   */
  public void expect(String key, Object... accepted) {
    JsonNode value = node(key);
    if (value.isMissingNode()) {
      return;
    }
    for (Object ok : accepted) {
      if (ok == null ? value.isNull() : value.isNumber() && ok instanceof Number n
          ? value.asDouble() == n.doubleValue() : value.isBoolean() && ok instanceof Boolean b
          ? value.asBoolean() == b : value.isTextual() && value.asText().equals(ok)) {
        return;
      }
    }
    problem("option " + key + "=" + shorten(value) + " is not supported (Jeras supports "
        + describe(accepted) + ")");
  }

  private static String describe(Object[] accepted) {
    List<String> values = new ArrayList<>();
    for (Object value : accepted) {
      values.add(value == null ? "null" : value instanceof String ? "\"" + value + "\""
          : value.toString());
    }
    return String.join(" or ", values);
  }

  /** Records a reason this layer cannot be imported; the import fails at the end. */
  public void problem(String cause) {
    problems.add(cause);
  }

  List<String> problems() {
    return problems;
  }

  /** The keys neither read nor known not to change the computation. */
  List<String> unusedKeys() {
    List<String> unused = new ArrayList<>();
    for (Iterator<String> keys = config.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!used.contains(key) && !BOOKKEEPING.contains(key)) {
        unused.add(key);
      }
    }
    return unused;
  }

  /** A failure naming the key, the kind of value expected and the value found. */
  public IllegalArgumentException wrong(String key, String expected, JsonNode value) {
    return new IllegalArgumentException("option " + key + " should be " + expected + ", got "
        + shorten(value));
  }

  static String shorten(JsonNode value) {
    String text = value.toString();
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }

  private void requirePresent(String key) {
    if (!has(key)) {
      throw new IllegalArgumentException("option " + key + " is missing");
    }
  }
}
