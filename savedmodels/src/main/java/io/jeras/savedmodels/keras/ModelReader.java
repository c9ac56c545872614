package io.jeras.savedmodels.keras;

import com.fasterxml.jackson.databind.JsonNode;
import io.jeras.layers.KerasTensor;
import io.jeras.layers.Layer;
import io.jeras.layers.attention.MultiHeadAttention;
import io.jeras.layers.core.Input;
import io.jeras.models.Model;
import io.jeras.models.ModelLayer;
import io.jeras.models.Sequential;
import io.jeras.savedmodels.keras.mappings.LayerMapping;
import io.jeras.savedmodels.keras.mappings.LayerMappings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds a Jeras model from a Keras model config ({@code config.json} of a {@code .keras} file,
 * {@code model_config} of an {@code .h5} file), in every form Keras 2 and 3 write it: Sequential
 * models (with an {@code InputLayer} or a first layer's {@code batch_input_shape}), functional
 * models with several inputs, outputs and shared layers, and models nested in models at any
 * depth. Every problem is collected, by root cause; a layer that only fails because a layer it
 * takes failed is not reported.
 */
final class ModelReader {
  private static final Set<String> MODEL_CLASSES = Set.of("Sequential", "Functional", "Model");
  /** Layers that call TensorFlow functions in Python (tf.keras 2). */
  private static final Set<String> TF_OP_LAYERS = Set.of("TFOpLambda", "SlicingOpLambda",
      "TensorFlowOpLayer");

  private final Map<String, Function<LayerConfig, Layer<?>>> custom;
  private final boolean keras2;
  private final ImportProblems problems = new ImportProblems();
  /** Layers with a mixed-precision policy, by policy. */

  private final Integer sequenceLength;

  ModelReader(Map<String, Function<LayerConfig, Layer<?>>> custom, boolean keras2) {
    this(custom, keras2, null);
  }

  /**
   * @param sequenceLength the number of steps given to inputs whose steps (axis 1) Keras left
   *     open; null: left open
   */
  ModelReader(Map<String, Function<LayerConfig, Layer<?>>> custom, boolean keras2,
      Integer sequenceLength) {
    this.custom = custom;
    this.keras2 = keras2;
    this.sequenceLength = sequenceLength;
  }

  /** A batch shape with open steps (axis 1) set to the loader's sequence length, if any. */
  private long[] withSteps(long[] batchShape) {
    if (batchShape != null && sequenceLength != null && batchShape.length >= 2
        && batchShape[1] < 0) {
      batchShape = batchShape.clone();
      batchShape[1] = sequenceLength;
    }
    return batchShape;
  }

  ImportProblems problems() {
    return problems;
  }

  /** The model of a config's root ({@code {"class_name": ..., "config": ...}}), or null. */
  Model read(JsonNode root) {
    String className = root.path("class_name").asText();
    if (!MODEL_CLASSES.contains(className)) {
      problems.add("the file holds a " + (className.isEmpty() ? "config without class_name"
          : className) + ", not a Sequential or functional Keras model", "model");
      return null;
    }
    return model(className, root.path("config"), "", true);
  }

  private Model model(String className, JsonNode config, String path, boolean top) {
    return className.equals("Sequential") ? sequential(config, path)
        : functional(config, path, top);
  }

  // ---- Sequential

  private Model sequential(JsonNode config, String path) {
    // Keras 2.1 and older wrote a Sequential's config as the list of its layers
    JsonNode layers = config.isArray() ? config : config.path("layers");
    String name = config.isArray() ? "sequential" : config.path("name").asText("sequential");
    Sequential model = Sequential.named(jerasName(name));
    boolean ok = true;
    boolean hasInput = false;
    for (JsonNode entry : layers) {
      String className = entry.path("class_name").asText();
      JsonNode c = entry.path("config");
      String layerName = layerName(entry);
      if (className.equals("InputLayer")) {
        Input input = input(c, path + layerName);
        if (input == null) {
          ok = false;
        } else if (!hasInput) {
          model.add(input.name(jerasName(layerName)));
          hasInput = true;
        }
        continue;
      }
      if (!hasInput && model.layers().isEmpty()) {
        // Keras 2 keeps the input shape of a Sequential without InputLayer on its first layer
        long[] shape = firstLayerInputShape(c);
        if (shape != null) {
          model.add(Input.of(drop(shape)));
          hasInput = true;
        }
      }
      Layer<?> layer = layer(entry, path);
      if (layer == null) {
        ok = false;
        continue;
      }
      if (ok) {
        try {
          model.add(layer);
        } catch (IllegalArgumentException | IllegalStateException e) {
          problems.add(e.getMessage(), path + layerName);
          ok = false;
        }
      }
    }
    if (!ok) {
      model.close();
      return null;
    }
    if (!hasInput && !(model.layers().size() > 0 && model.layers().get(0) instanceof ModelLayer)) {
      long[] shape = config.isArray() ? null : new LayerConfig(name, "Sequential", config)
          .dims("build_input_shape");
      if (shape == null) {
        problems.add("the Sequential model has no input shape (it was saved before it was"
            + " built on data)", path + name);
        model.close();
        return null;
      }
      Sequential rebuilt = Sequential.named(jerasName(name));
      rebuilt.add(Input.of(drop(shape)));
      model.layers().forEach(rebuilt::add);
      model.close();
      return rebuilt;
    }
    return model;
  }

  private long[] firstLayerInputShape(JsonNode c) {
    for (String key : List.of("batch_input_shape", "batch_shape")) {
      if (c.path(key).isArray()) {
        return withSteps(new LayerConfig("", "", c).dims(key));
      }
    }
    return null;
  }

  /** A batch shape without its batch dimension. */
  private static long[] drop(long[] batchShape) {
    return java.util.Arrays.copyOfRange(batchShape, 1, batchShape.length);
  }

  // ---- functional

  private Model functional(JsonNode config, String path, boolean top) {
    String name = config.path("name").asText("functional");
    Map<String, List<KerasTensor>> applied = new HashMap<>();
    Set<String> failed = new HashSet<>();
    Map<String, Layer<?>> layers = new LinkedHashMap<>();
    boolean chain = true;
    String previous = null;
    int problemsBefore = problems.size();
    boolean keras2 = false;
    for (JsonNode entry : config.path("layers")) {
      keras2 |= entry.path("inbound_nodes").path(0).isArray();
    }
    // Keras 2 numbers a nested model's applications from 1: its node 0 links its own input
    Set<String> nested = new HashSet<>();
    for (JsonNode entry : config.path("layers")) {
      if (keras2 && MODEL_CLASSES.contains(entry.path("class_name").asText())
          && startsWithInput(entry.path("class_name").asText(), entry.path("config"))) {
        nested.add(layerName(entry));
      }
    }
    Set<String> masks = embeddingMasks(config.path("layers"));
    for (JsonNode entry : config.path("layers")) {
      String className = entry.path("class_name").asText();
      String layerName = layerName(entry);
      if (masks.contains(layerName)) {
        continue; // an Embedding's mask: Jeras derives it from the Embedding itself
      }
      List<InboundNode> nodes;
      try {
        nodes = InboundNode.parse(entry);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage(), path + layerName);
        failed.add(layerName);
        continue;
      }
      chain &= previous == null ? nodes.isEmpty() : nodes.size() == 1
          && nodes.get(0).refs().size() == 1
          && nodes.get(0).refs().get(0).layer().equals(previous);
      previous = layerName;
      if (className.equals("InputLayer")) {
        Input input = input(entry.path("config"), path + layerName);
        if (input == null) {
          failed.add(layerName);
        } else {
          applied.put(layerName, List.of(input.name(jerasName(layerName)).tensor()));
        }
        continue;
      }
      boolean operation = !custom.containsKey(className) && Operations.isOperation(entry, nodes);
      Layer<?> layer = operation ? operation(entry, nodes, path)
          : withCallArguments(layer(entry, path), nodes, masks, path + layerName);
      if (layer == null) {
        failed.add(layerName);
        continue;
      }
      layers.put(layerName, layer);
      for (InboundNode node : nodes) {
        List<KerasTensor> inputs = new ArrayList<>();
        for (InboundNode.Ref ref : node.refs()) {
          if (failed.contains(ref.layer())) {
            break; // reported where it failed
          }
          List<KerasTensor> outputs = applied.get(ref.layer());
          int index = ref.node() - (nested.contains(ref.layer()) ? 1 : 0);
          if (outputs == null || index < 0 || index >= outputs.size() || ref.tensor() != 0) {
            problems.add("takes " + ref + ", which the model does not define", path + layerName);
            break;
          }
          inputs.add(outputs.get(index));
        }
        if (inputs.size() < node.refs().size()) {
          failed.add(layerName);
          break;
        }
        try {
          applied.computeIfAbsent(layerName, k -> new ArrayList<>()).add(layer.apply(inputs));
        } catch (IllegalArgumentException e) {
          problems.add(e.getMessage(), path + layerName);
          failed.add(layerName);
          break;
        }
      }
    }
    if (problems.size() > problemsBefore || !failed.isEmpty()) {
      return null;
    }
    List<KerasTensor> inputs = tensors(config.path("input_layers"), applied, nested,
        path + name);
    List<KerasTensor> outputs = tensors(config.path("output_layers"), applied, nested,
        path + name);
    if (inputs == null || outputs == null) {
      return null;
    }
    try {
      if (top && chain && inputs.size() == 1 && outputs.size() == 1) {
        Sequential sequential = Sequential.named(jerasName(name));
        sequential.add(inputs.get(0).inputLayer());
        layers.values().forEach(sequential::add);
        return sequential;
      }
      return Model.of(jerasName(name), inputs, outputs);
    } catch (IllegalArgumentException | IllegalStateException e) {
      problems.add(e.getMessage(), path + name);
      return null;
    }
  }

  /**
   * The operation nodes of a Keras 3 functional config that compute an Embedding's mask: Keras
   * writes {@code mask_zero}'s mask as {@code NotEqual(ids, 0)} on the Embedding's input (and a
   * merge's as the {@code LogicalOr} of its inputs') and passes it to later layers as their
   * {@code mask} (MultiHeadAttention: {@code query_mask}, {@code value_mask}) argument. Jeras
   * computes the same masks in the Embedding and passes them on through the layers that keep
   * the steps, so these nodes and those arguments are taken as those masks. (A layer that drops masks in Jeras but was handed
   * the mask in Keras, across a convolution say, would then differ: Keras writes masks this
   * way only along the layers that pass them on.)
   */
  private static Set<String> embeddingMasks(JsonNode layers) {
    Set<String> maskedIds = new HashSet<>();
    for (JsonNode entry : layers) {
      if (entry.path("class_name").asText().equals("Embedding")
          && entry.path("config").path("mask_zero").asBoolean(false)) {
        try {
          for (InboundNode node : InboundNode.parse(entry)) {
            node.refs().forEach(ref -> maskedIds.add(ref.layer()));
          }
        } catch (IllegalArgumentException e) {
          // reported when the layer itself is read
        }
      }
    }
    Set<String> masks = new HashSet<>();
    for (JsonNode entry : layers) {
      // a merge's mask: the logical or of its inputs' masks (Keras' Merge.compute_mask), as
      // Jeras combines them
      if (entry.path("class_name").asText().equals("LogicalOr")) {
        try {
          List<InboundNode> nodes = InboundNode.parse(entry);
          if (nodes.size() == 1 && !nodes.get(0).refs().isEmpty()
              && nodes.get(0).refs().size() == nodes.get(0).args().size()
              && nodes.get(0).refs().stream().allMatch(ref -> masks.contains(ref.layer()))) {
            masks.add(layerName(entry));
          }
        } catch (IllegalArgumentException e) {
          // not a mask; read (and reported) as an operation
        }
        continue;
      }
      if (!entry.path("class_name").asText().equals("NotEqual")) {
        continue;
      }
      try {
        List<InboundNode> nodes = InboundNode.parse(entry);
        if (nodes.size() == 1 && nodes.get(0).args().size() == 2
            && nodes.get(0).args().get(0) instanceof InboundNode.Ref ids
            && maskedIds.contains(ids.layer())
            && nodes.get(0).args().get(1) instanceof JsonNode zero && zero.isNumber()
            && zero.asDouble() == 0) {
          masks.add(layerName(entry));
        }
      } catch (IllegalArgumentException e) {
        // not a mask; read (and reported) as an operation
      }
    }
    return masks;
  }

  /**
   * The layer with its call's keyword arguments applied: {@code training=False} keeps it in
   * inference mode (Keras' transfer-learning idiom {@code base(x, training=False)}); an absent
   * mask, or an Embedding's mask ({@code masks}), changes nothing; anything else is a problem.
   */
  /** The call arguments Keras passes an Embedding's mask in. */
  private static final Set<String> MASK_ARGUMENTS = Set.of("mask", "query_mask", "value_mask",
      "key_mask");

  private Layer<?> withCallArguments(Layer<?> layer, List<InboundNode> nodes, Set<String> masks,
      String where) {
    if (layer == null) {
      return null;
    }
    Boolean training = null;
    for (InboundNode node : nodes) {
      if (node.kwargs() == null) {
        continue;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.kwargs().fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> kwarg = it.next();
        String key = kwarg.getKey();
        JsonNode value = kwarg.getValue();
        if (value.isNull() && (key.equals("mask") || key.equals("training"))) {
          continue;
        }
        if (MASK_ARGUMENTS.contains(key) && masks.contains(value.path("config")
            .path("keras_history").path(0).asText(null))) {
          continue;
        }
        if (key.equals("return_attention_scores") && value.isBoolean() && !value.asBoolean()
            || key.equals("attention_mask") && value.isNull()) {
          continue;
        }
        if (key.equals("use_causal_mask") && value.isBoolean()
            && layer instanceof MultiHeadAttention attention) {
          layer = attention.useCausalMask(value.asBoolean());
          continue;
        }
        if (key.equals("training") && value.isBoolean()) {
          if (training != null && training != value.asBoolean()) {
            problems.add("called with training=True and with training=False", where);
            return null;
          }
          training = value.asBoolean();
          continue;
        }
        problems.add(layer.className() + " called with argument " + key + "="
            + LayerConfig.shorten(value) + " is not supported", where);
        return null;
      }
    }
    return Boolean.FALSE.equals(training) ? layer.training(false) : layer;
  }

  /**
   * The tensors {@code input_layers} or {@code output_layers} name: one reference
   * {@code [layer, node, tensor]}, a list of them, or a dict of them (Keras 3 dict inputs, in the
   * dict's order).
   */
  private List<KerasTensor> tensors(JsonNode refs, Map<String, List<KerasTensor>> applied,
      Set<String> nested, String where) {
    List<JsonNode> list = new ArrayList<>();
    if (refs.isObject()) {
      refs.elements().forEachRemaining(list::add);
    } else if (refs.path(0).isTextual()) {
      list.add(refs);
    } else {
      refs.elements().forEachRemaining(list::add);
    }
    List<KerasTensor> tensors = new ArrayList<>();
    for (JsonNode ref : list) {
      List<KerasTensor> outputs = applied.get(ref.path(0).asText());
      int node = ref.path(1).asInt() - (nested.contains(ref.path(0).asText()) ? 1 : 0);
      if (outputs == null || node < 0 || node >= outputs.size()) {
        problems.add("input or output " + ref + " is not in the model", where);
        return null;
      }
      tensors.add(outputs.get(node));
    }
    return tensors;
  }

  /** Whether a nested model's config starts from an input (its first node in Keras 2). */
  private static boolean startsWithInput(String className, JsonNode config) {
    if (!className.equals("Sequential")) {
      return true;
    }
    JsonNode layers = config.isArray() ? config : config.path("layers");
    JsonNode first = layers.path(0);
    return first.path("class_name").asText().equals("InputLayer")
        || first.path("config").has("batch_input_shape")
        || first.path("config").has("batch_shape");
  }

  /** The layer computing an operation node (applied once), or null with a problem. */
  private Layer<?> operation(JsonNode entry, List<InboundNode> nodes, String path) {
    String name = layerName(entry);
    if (nodes.size() != 1) {
      problems.add("an operation applied " + nodes.size() + " times is not supported",
          path + name);
      return null;
    }
    try {
      return Operations.layer(entry, nodes.get(0)).name(jerasName(name));
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage(), path + name);
      return null;
    }
  }

  // ---- layers

  private static String layerName(JsonNode entry) {
    String name = entry.path("config").path("name").asText("");
    return name.isEmpty() ? entry.path("name").asText() : name;
  }

  /**
   * The Jeras name of a Keras layer name: Keras 2 allowed {@code /} in names
   * ({@code Conv/BatchNorm} in MobileNetV3), which Jeras uses between a layer and its weights,
   * so it becomes {@code _}.
   */
  static String jerasName(String kerasName) {
    return kerasName.replace('/', '_');
  }

  /** The Jeras layer of one layer entry, or null with the problems recorded. */
  Layer<?> layer(JsonNode entry) {
    return layer(entry, "");
  }

  /** The Jeras layer of a layer entry (a nested model too), named and flagged, or null. */
  private Layer<?> layer(JsonNode entry, String path) {
    String className = entry.path("class_name").asText();
    JsonNode c = entry.path("config");
    String name = layerName(entry);
    boolean trainable = !c.path("trainable").isBoolean() || c.path("trainable").asBoolean();
    if (MODEL_CLASSES.contains(className)) {
      Model inner = model(className, c, path + name + "/", false);
      if (inner == null) {
        return null;
      }
      if (!trainable) {
        inner.setTrainable(false);
      }
      return inner.asLayer();
    }
    LayerConfig config = new LayerConfig(name, className, c);
    // Keras' .h5 names a registered class by its registered name, "package>ClassName"
    String simpleName = className.substring(className.lastIndexOf('>') + 1);
    Function<LayerConfig, Layer<?>> factory = custom.getOrDefault(className,
        custom.get(simpleName));
    LayerMapping mapping = LayerMappings.forKerasClass(simpleName);
    if (className.contains(">") && mapping != null
        && !mapping.kerasModule().startsWith("keras.src.applications")) {
      mapping = null; // a user's class named like a Keras layer is not that layer
    }
    if (factory == null && mapping == null) {
      problems.add(unknownClass(className, entry), path + name);
      return null;
    }
    Layer<?> layer = null;
    try {
      String policy = dtype(config);
      layer = factory != null ? factory.apply(config) : mapping.read(config);
      if (layer == null) {
        config.problem("the custom layer factory for " + className + " returned null");
      } else if (policy != null) {
        layer = layer.dtype(policy);
      }
    } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
      config.problem(e.getMessage());
    }
    // after a failed read the keys after the failing one were never read: only its cause counts
    if (factory == null && layer != null) {
      for (String key : config.unusedKeys()) {
        config.problem("option " + key + "=" + LayerConfig.shorten(c.path(key))
            + " is not understood by Jeras");
      }
    }
    if (!config.problems().isEmpty()) {
      for (String cause : config.problems()) {
        problems.add(cause.startsWith("option ") ? className + " " + cause : cause,
            path + name);
      }
      return null;
    }
    try {
      return layer.name(jerasName(name)).trainable(trainable);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage(), path + name);
      return null;
    }
  }

  /**
   * The layer's dtype policy ({@code float32}, {@code mixed_float16}, {@code mixed_bfloat16}:
   * Keras 3's {@code DTypePolicy}, Keras 2's {@code Policy} or a plain name), or null when the
   * config names none (the layer takes the global policy, as in Keras) or an unsupported one
   * (then a problem is recorded).
   */
  private String dtype(LayerConfig config) {
    JsonNode dtype = config.node("dtype");
    String name = dtype.isTextual() ? dtype.asText()
        : dtype.path("config").path("name").asText(null);
    if (name == null) {
      return null;
    }
    if (!List.of("float32", "mixed_float16", "mixed_bfloat16").contains(name)) {
      config.problem("option dtype=" + name + " is not supported (Jeras layers compute in"
          + " float32, mixed_float16 or mixed_bfloat16)");
      return null;
    }
    return name;
  }

  private String unknownClass(String className, JsonNode entry) {
    if (className.equals("Lambda")) {
      return "layer class Lambda holds Python code that Jeras cannot run; give it a Java"
          + " implementation with customLayer(\"Lambda\", config -> ...)";
    }
    if (TF_OP_LAYERS.contains(className)) {
      return "layer class " + className + " (a TensorFlow function called on a Keras tensor)"
          + " is not supported; give it a Java implementation with customLayer(\"" + className
          + "\", config -> ...)";
    }
    String module = entry.path("module").asText("");
    String registered = className.contains(">") ? className
        : entry.path("registered_name").asText("");
    String simpleName = className.substring(className.lastIndexOf('>') + 1);
    boolean userClass = !registered.isEmpty() && !registered.equals(className)
        || className.contains(">") || !module.isEmpty() && !module.startsWith("keras");
    if (userClass) {
      return "custom layer class " + simpleName + (registered.isEmpty() ? ""
          : " (registered as " + registered + ")") + " is not known to Jeras; give it a Java"
          + " implementation with customLayer(\"" + simpleName + "\", config -> ...)";
    }
    return "layer class " + className + " is not supported by Jeras";
  }

  /** An input layer's Jeras Input; string inputs and unsupported options are problems. */
  private Input input(JsonNode c, String where) {
    LayerConfig config = new LayerConfig(where, "InputLayer", c);
    long[] shape = config.dims(c.has("batch_shape") ? "batch_shape" : "batch_input_shape");
    if (shape == null && config.has("shape")) {
      long[] sample = config.dims("shape");
      shape = new long[sample.length + 1];
      shape[0] = -1;
      System.arraycopy(sample, 0, shape, 1, sample.length);
    }
    shape = withSteps(shape);
    String dtype = config.string("dtype", "float32");
    config.expect("sparse", false, null);
    config.expect("ragged", false, null);
    config.expect("optional", false, null);
    config.use("name");
    if (dtype.equals("string")) {
      problems.add("string inputs are not supported (Jeras models take numbers; text layers"
          + " are not implemented)", where);
      return null;
    }
    if (!dtype.matches("(b?float|u?int)\\d+|bool")) {
      problems.add("input dtype " + dtype + " is not supported", where);
      return null;
    }
    if (shape == null || shape.length < 2) {
      problems.add("the InputLayer has no batch shape", where);
      return null;
    }
    for (String cause : config.problems()) {
      problems.add("InputLayer " + cause, where);
    }
    for (String key : config.unusedKeys()) {
      problems.add("InputLayer option " + key + " is not understood by Jeras", where);
    }
    try {
      return config.problems().isEmpty() ? Input.of(drop(shape)) : null;
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage(), where);
      return null;
    }
  }

  boolean keras2() {
    return keras2;
  }
}
