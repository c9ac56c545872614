package io.jeras.savedmodels.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jeras.activations.Activations;
import io.jeras.constraints.Constraint;
import io.jeras.constraints.Constraints;
import io.jeras.initializers.Constant;
import io.jeras.initializers.Initializer;
import io.jeras.initializers.Initializers;
import io.jeras.initializers.Orthogonal;
import io.jeras.initializers.RandomInitializer;
import io.jeras.initializers.VarianceScaling;
import io.jeras.regularizers.L1L2;
import io.jeras.regularizers.Regularizer;
import java.util.Locale;
import java.util.Map;

/**
 * Keras' serialized activations, initializers, regularizers and constraints, read in every form
 * Keras 2 and 3 write ({@code "relu"}, {@code {"class_name": "GlorotUniform", "config": {...}}},
 * with or without {@code module} and {@code registered_name}) and written as Keras 3 writes them.
 */
public final class KerasObjects {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private KerasObjects() {}

  // ---- reading

  static Activations activation(JsonNode value, String key) {
    if (value.isMissingNode() || value.isNull()) {
      return Activations.LINEAR;
    }
    String name;
    if (value.isTextual()) {
      name = value.asText();
    } else if (value.isObject() && "function".equals(value.path("class_name").asText())
        && value.path("config").isTextual()) {
      // Keras 3 writes a function as {"class_name": "function", "config": "<name>", ...}
      name = value.path("config").asText();
      String module = value.path("module").asText("");
      if (!module.isEmpty() && !module.startsWith("keras") && !module.equals("builtins")) {
        throw new IllegalArgumentException("activation " + name + " from module " + module
            + " is a Python function Jeras cannot run");
      }
    } else {
      throw new IllegalArgumentException(key + " " + LayerConfig.shorten(value)
          + " is not an activation Jeras knows");
    }
    try {
      return Activations.of(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("activation '" + name + "' is not supported");
    }
  }

  static Initializer initializer(JsonNode value, String key, Initializer fallback) {
    if (value.isMissingNode() || value.isNull()) {
      return fallback;
    }
    if (value.isTextual()) {
      return Initializers.of(value.asText());
    }
    String className = value.path("class_name").asText("");
    JsonNode c = value.path("config");
    Long seed = c.path("seed").isIntegralNumber() ? c.path("seed").asLong() : null;
    return switch (normalize(className)) {
      case "zeros" -> Initializers.zeros();
      case "ones" -> Initializers.ones();
      case "constant" -> {
        if (!c.path("value").isNumber()) {
          throw new IllegalArgumentException(key + ": Constant initializer with value "
              + LayerConfig.shorten(c.path("value")) + " is not supported (a number is)");
        }
        yield Initializers.constant((float) c.path("value").asDouble());
      }
      case "randomnormal" -> Initializers.randomNormal(c.path("mean").asDouble(0),
          c.path("stddev").asDouble(Initializers.DEFAULT_STDDEV), seed);
      case "truncatednormal" -> Initializers.truncatedNormal(c.path("mean").asDouble(0),
          c.path("stddev").asDouble(Initializers.DEFAULT_STDDEV), seed);
      case "randomuniform" -> Initializers.randomUniform(
          c.path("minval").asDouble(Initializers.DEFAULT_MINVAL),
          c.path("maxval").asDouble(Initializers.DEFAULT_MAXVAL), seed);
      case "orthogonal", "orthogonalinitializer" ->  // (Keras 3.3 wrote the latter)
          Initializers.orthogonal(c.path("gain").asDouble(1.0), seed);
      case "glorotuniform" -> Initializers.glorotUniform(seed);
      case "glorotnormal" -> Initializers.glorotNormal(seed);
      case "henormal" -> Initializers.heNormal(seed);
      case "heuniform" -> Initializers.heUniform(seed);
      case "lecunnormal" -> Initializers.lecunNormal(seed);
      case "lecununiform" -> Initializers.lecunUniform(seed);
      case "variancescaling" -> VarianceScaling.of(c.path("scale").asDouble(1.0),
          mode(c.path("mode").asText("fan_in")), distribution(
              c.path("distribution").asText("truncated_normal")), seed);
      default -> throw new IllegalArgumentException("initializer " + className
          + " is not supported");
    };
  }

  private static VarianceScaling.Mode mode(String mode) {
    return switch (mode) {
      case "fan_in" -> VarianceScaling.Mode.FAN_IN;
      case "fan_out" -> VarianceScaling.Mode.FAN_OUT;
      case "fan_avg" -> VarianceScaling.Mode.FAN_AVG;
      default -> throw new IllegalArgumentException("VarianceScaling mode " + mode
          + " is not supported");
    };
  }

  private static VarianceScaling.Distribution distribution(String distribution) {
    return switch (distribution) {
      // Keras 2 wrote "normal" for the truncated normal
      case "truncated_normal", "normal" -> VarianceScaling.Distribution.TRUNCATED_NORMAL;
      case "untruncated_normal" -> VarianceScaling.Distribution.UNTRUNCATED_NORMAL;
      case "uniform" -> VarianceScaling.Distribution.UNIFORM;
      default -> throw new IllegalArgumentException("VarianceScaling distribution "
          + distribution + " is not supported");
    };
  }

  static Regularizer regularizer(JsonNode value, String key) {
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (value.isTextual()) {
      return io.jeras.regularizers.Regularizers.of(value.asText());
    }
    String className = value.path("class_name").asText("");
    JsonNode c = value.path("config");
    for (var names = c.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("l1") && !name.equals("l2")) {
        throw new IllegalArgumentException(key + ": " + className + " option " + name
            + " is not supported");
      }
    }
    return switch (normalize(className)) {
      case "l1l2" -> new L1L2((float) c.path("l1").asDouble(0), (float) c.path("l2").asDouble(0));
      case "l1" -> new L1L2((float) c.path("l1").asDouble(0.01), 0);
      case "l2" -> new L1L2(0, (float) c.path("l2").asDouble(0.01));
      default -> throw new IllegalArgumentException("regularizer " + className
          + " is not supported");
    };
  }

  static Constraint constraint(JsonNode value, String key) {
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    String className = value.isTextual() ? value.asText() : value.path("class_name").asText("");
    JsonNode c = value.path("config");
    return switch (normalize(className)) {
      case "maxnorm" -> Constraints.maxNorm(c.path("max_value").asDouble(2), axes(c, key));
      case "nonneg" -> Constraints.nonNeg();
      case "unitnorm" -> Constraints.unitNorm(axes(c, key));
      case "minmaxnorm" -> Constraints.minMaxNorm(c.path("min_value").asDouble(0),
          c.path("max_value").asDouble(1), c.path("rate").asDouble(1), axes(c, key));
      default -> throw new IllegalArgumentException("constraint " + className
          + " is not supported");
    };
  }

  private static int[] axes(JsonNode c, String key) {
    JsonNode axis = c.path("axis");
    if (axis.isMissingNode() || axis.isNull()) {
      return new int[] {0};
    }
    if (axis.isIntegralNumber()) {
      return new int[] {axis.asInt()};
    }
    if (!axis.isArray()) {
      throw new IllegalArgumentException(key + ": constraint axis " + LayerConfig.shorten(axis)
          + " is not an integer or a list of integers");
    }
    int[] axes = new int[axis.size()];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = axis.get(i).asInt();
    }
    return axes;
  }

  /** {@code GlorotUniform}, {@code glorot_uniform}, {@code max_norm} -> one spelling. */
  private static String normalize(String className) {
    return className.replace("_", "").toLowerCase(Locale.ROOT);
  }

  // ---- writing (Keras 3's form)

  /** An activation as Keras writes it: its name. */
  public static JsonNode write(Activations activation) {
    if (activation == Activations.GELU_APPROXIMATE) {
      // Keras refuses to serialize gelu(approximate=True): no name reads back as it
      throw new IllegalArgumentException("activation gelu_approximate (gelu's tanh"
          + " approximation) has no Keras name, so Keras could not read it back; use gelu");
    }
    return JSON.textNode(activation.kerasName());
  }

  /** An initializer as Keras 3 writes it. */
  public static JsonNode write(Initializer initializer) {
    ObjectNode config = JSON.objectNode();
    String className;
    if (initializer instanceof VarianceScaling v && v.kerasName().equals("variance_scaling")) {
      className = "VarianceScaling";
      config.put("scale", v.scale());
      config.put("mode", v.mode().name().toLowerCase(Locale.ROOT));
      config.put("distribution", v.distribution().name().toLowerCase(Locale.ROOT));
    } else if (initializer instanceof Constant c && c.value() != 0 && c.value() != 1) {
      className = "Constant";
      config.put("value", (double) c.value());
    } else if (initializer instanceof Orthogonal o) {
      className = "Orthogonal";
      config.put("gain", o.gain());
    } else if (initializer instanceof RandomInitializer r) {
      className = camel(r.kerasName());
      r.kerasArguments().forEach(config::put);
    } else {
      className = camel(initializer.kerasName());
    }
    if (!(initializer instanceof Constant)) {
      if (initializer.seed() == null) {
        config.putNull("seed");
      } else {
        config.put("seed", initializer.seed());
      }
    }
    return object("keras.initializers", className, config);
  }

  /** A regularizer as Keras 3 writes it, or null. */
  public static JsonNode write(Regularizer regularizer) {
    if (regularizer == null) {
      return JSON.nullNode();
    }
    if (!(regularizer instanceof L1L2 r)) {
      throw new IllegalArgumentException("regularizer " + regularizer.getClass().getSimpleName()
          + " has no Keras form");
    }
    ObjectNode config = JSON.objectNode();
    String className;
    if (r.l2() == 0) {
      className = "L1";
      config.put("l1", (double) r.l1());
    } else if (r.l1() == 0) {
      className = "L2";
      config.put("l2", (double) r.l2());
    } else {
      className = "L1L2";
      config.put("l1", (double) r.l1());
      config.put("l2", (double) r.l2());
    }
    return object("keras.regularizers", className, config);
  }

  /** A constraint as Keras 3 writes it, or null. */
  public static JsonNode write(Constraint constraint) {
    if (constraint == null) {
      return JSON.nullNode();
    }
    ObjectNode config = JSON.objectNode();
    String className;
    if (constraint instanceof Constraints.MaxNorm m) {
      className = "MaxNorm";
      config.put("max_value", m.maxValue());
      config.set("axis", axes(m.axes()));
    } else if (constraint instanceof Constraints.NonNeg) {
      className = "NonNeg";
    } else if (constraint instanceof Constraints.UnitNorm u) {
      className = "UnitNorm";
      config.set("axis", axes(u.axes()));
    } else if (constraint instanceof Constraints.MinMaxNorm m) {
      className = "MinMaxNorm";
      config.put("min_value", m.minValue());
      config.put("max_value", m.maxValue());
      config.put("rate", m.rate());
      config.set("axis", axes(m.axes()));
    } else {
      throw new IllegalArgumentException("constraint " + constraint.getClass().getName()
          + " has no Keras form (use the ones of Constraints)");
    }
    return object("keras.constraints", className, config);
  }

  private static JsonNode axes(int[] axes) {
    if (axes.length == 1) {
      return JSON.numberNode(axes[0]);
    }
    var list = JSON.arrayNode();
    for (int axis : axes) {
      list.add(axis);
    }
    return list;
  }

  /** {@code {"module": ..., "class_name": ..., "config": ..., "registered_name": null}}. */
  static ObjectNode object(String module, String className, JsonNode config) {
    ObjectNode node = JSON.objectNode();
    node.put("module", module);
    node.put("class_name", className);
    node.set("config", config);
    node.putNull("registered_name");
    return node;
  }

  private static final Map<String, String> CLASS_NAMES = Map.ofEntries(
      Map.entry("glorot_uniform", "GlorotUniform"), Map.entry("glorot_normal", "GlorotNormal"),
      Map.entry("he_normal", "HeNormal"), Map.entry("he_uniform", "HeUniform"),
      Map.entry("lecun_normal", "LecunNormal"), Map.entry("lecun_uniform", "LecunUniform"),
      Map.entry("zeros", "Zeros"), Map.entry("ones", "Ones"),
      Map.entry("random_normal", "RandomNormal"), Map.entry("random_uniform", "RandomUniform"),
      Map.entry("truncated_normal", "TruncatedNormal"));

  private static String camel(String kerasName) {
    String className = CLASS_NAMES.get(kerasName);
    if (className == null) {
      throw new IllegalArgumentException("initializer " + kerasName + " has no Keras form");
    }
    return className;
  }
}
