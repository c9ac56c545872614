package io.jeras.savedmodels.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jeras.layers.Layer;
import io.jeras.models.Functional;
import io.jeras.models.Model;
import io.jeras.models.ModelInput;
import io.jeras.models.ModelLayer;
import io.jeras.models.Node;
import io.jeras.models.Sequential;
import io.jeras.savedmodels.keras.mappings.LayerMapping;
import io.jeras.savedmodels.keras.mappings.LayerMappings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.Shape;

/**
 * Writes a Jeras model's architecture as Keras 3 writes {@code config.json}: Sequential and
 * functional models, nested models at any depth, each layer's options through its
 * {@link LayerMapping}, its trainable flag, and Keras' call arguments ({@code training=False}
 * on a nested model).
 */
final class ModelWriter {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private ModelWriter() {}

  /** The root object of {@code config.json}. */
  static ObjectNode config(Model model) {
    List<String> problems = new ArrayList<>();
    ObjectNode root = model(model, true, problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("Model " + model.name() + " cannot be written as a"
          + " Keras file: " + String.join("; ", problems));
    }
    return root;
  }

  private static ObjectNode model(Model model, boolean trainable, List<String> problems) {
    boolean functional = model instanceof Functional;
    ObjectNode entry = JSON.objectNode();
    entry.put("module", functional ? "keras.src.models.functional" : "keras");
    entry.put("class_name", functional ? "Functional" : "Sequential");
    ObjectNode config = entry.putObject("config");
    config.put("name", model.name());
    config.put("trainable", trainable);
    if (!functional) {
      config.set("dtype", policy(modelPolicy(model)));
    }
    ArrayNode layers = config.putArray("layers");
    if (functional) {
      functionalLayers((Functional) model, trainable, layers, config, problems);
    } else {
      sequentialLayers((Sequential) model, trainable, layers, config, problems);
    }
    if (functional) {
      entry.put("registered_name", "Functional");
    } else {
      entry.putNull("registered_name");
    }
    List<ModelInput> inputs = model.inputs();
    entry.putObject("build_config").set("input_shape", inputs.size() == 1
        ? shape(inputs.get(0).shape()) : shapes(inputs.stream().map(ModelInput::shape).toList()));
    return entry;
  }

  /** A layer entry's {@code build_config}, as the layer's mapping writes it. */
  private static void buildConfig(ObjectNode entry, Layer<?> layer, List<Shape> inputShapes) {
    List<JsonNode> shapes = new ArrayList<>();
    inputShapes.forEach(s -> shapes.add(shape(s)));
    LayerMapping mapping = LayerMappings.forLayer(layer);
    ObjectNode buildConfig = entry.putObject("build_config");
    if (mapping == null) {
      LayerMapping.inputShape(shapes, buildConfig);
    } else {
      mapping.writeBuildConfig(shapes, buildConfig);
    }
  }

  private static void sequentialLayers(Sequential model, boolean trainable, ArrayNode layers,
      ObjectNode config, List<String> problems) {
    ModelInput input = model.inputs().get(0);
    layers.add(inputLayer(input, false));
    for (Node node : model.nodes()) {
      ObjectNode entry = layer(node.layer(), trainable, problems);
      if (entry != null) {
        buildConfig(entry, node.layer(), node.inputShapes());
        layers.add(entry);
      }
    }
    config.set("build_input_shape", shape(input.shape()));
  }

  private static void functionalLayers(Functional model, boolean trainable, ArrayNode layers,
      ObjectNode config, List<String> problems) {
    List<Node> nodes = model.nodes();
    List<ModelInput> inputs = model.inputs();
    Map<String, ModelInput> inputsByName = new HashMap<>();
    inputs.forEach(input -> inputsByName.put(input.name(), input));
    // Keras numbers each layer's applications within the model: node i is application k
    int[] application = new int[nodes.size()];
    Map<String, List<Integer>> byLayer = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      List<Integer> applications = byLayer.computeIfAbsent(nodes.get(i).name(),
          k -> new ArrayList<>());
      application[i] = applications.size();
      applications.add(i);
    }
    for (String name : model.operations()) {
      ModelInput input = inputsByName.get(name);
      if (input != null) {
        ObjectNode entry = inputLayer(input, true);
        layers.add(entry);
        continue;
      }
      List<Integer> applications = byLayer.get(name);
      Node first = nodes.get(applications.get(0));
      ObjectNode entry = layer(first.layer(), trainable, problems);
      if (entry == null) {
        continue;
      }
      buildConfig(entry, first.layer(), first.inputShapes());
      entry.put("name", name);
      ArrayNode inbound = entry.putArray("inbound_nodes");
      for (int index : applications) {
        Node node = nodes.get(index);
        ObjectNode call = inbound.addObject();
        ArrayNode args = call.putArray("args");
        List<JsonNode> tensors = new ArrayList<>();
        for (int k = 0; k < node.inputs().size(); k++) {
          int source = node.inputs().get(k);
          tensors.add(Node.isModelInput(source)
              ? tensor(inputs.get(Node.modelInput(source)).name(), 0,
                  inputs.get(Node.modelInput(source)).shape())
              : tensor(nodes.get(source).name(), application[source],
                  nodes.get(source).outputShape()));
        }
        LayerMapping mapping = LayerMappings.forLayer(first.layer());
        if (tensors.size() == 1) {
          args.add(tensors.get(0));
        } else if (mapping != null && !mapping.inputsAsList()) {
          args.addAll(tensors);
        } else {
          args.addArray().addAll(tensors);
        }
        ObjectNode kwargs = call.putObject("kwargs");
        if (!first.layer().followsTraining()) {
          kwargs.put("training", false);
        }
        if (mapping != null) {
          mapping.writeCallArguments(first.layer(), kwargs);
        }
      }
      layers.add(entry);
    }
    ArrayNode inputLayers = config.putArray("input_layers");
    inputs.forEach(input -> inputLayers.add(ref(input.name(), 0)));
    ArrayNode outputLayers = config.putArray("output_layers");
    for (int index : model.outputs()) {
      outputLayers.add(ref(nodes.get(index).name(), application[index]));
    }
  }

  /** One layer's entry ({@code module}, {@code class_name}, {@code config}, ...). */
  static ObjectNode layer(Layer<?> layer) {
    List<String> problems = new ArrayList<>();
    ObjectNode entry = layer(layer, true, problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return entry;
  }

  /** A layer's entry; null (with a problem recorded) when it has no Keras form. */
  private static ObjectNode layer(Layer<?> layer, boolean parentTrainable,
      List<String> problems) {
    boolean trainable = parentTrainable && layer.trainable();
    if (layer instanceof ModelLayer nested) {
      return model(nested.model(), trainable, problems);
    }
    LayerMapping mapping = LayerMappings.forLayer(layer);
    if (mapping == null) {
      problems.add("layer " + layer.name() + " (" + layer.className() + ") has no Keras form");
      return null;
    }
    ObjectNode entry = JSON.objectNode();
    entry.put("module", mapping.kerasModule());
    entry.put("class_name", mapping.kerasClass());
    ObjectNode config = entry.putObject("config");
    config.put("name", layer.name());
    config.put("trainable", trainable);
    config.set("dtype", policy(layer.dtypePolicy().name()));
    try {
      mapping.write(layer, config);
    } catch (IllegalArgumentException e) {
      problems.add("layer " + layer.name() + ": " + e.getMessage());
      return null;
    }
    if (mapping.kerasModule().equals("keras.layers")) {
      entry.putNull("registered_name");
    } else {
      entry.put("registered_name", mapping.kerasClass());
    }
    return entry;
  }

  private static ObjectNode inputLayer(ModelInput input, boolean functional) {
    ObjectNode entry = JSON.objectNode();
    entry.put("module", "keras.layers");
    entry.put("class_name", "InputLayer");
    ObjectNode config = entry.putObject("config");
    config.set("batch_shape", shape(input.shape()));
    config.put("dtype", "float32");
    config.put("sparse", false);
    config.put("name", input.name());
    entry.putNull("registered_name");
    if (functional) {
      entry.put("name", input.name());
      entry.putArray("inbound_nodes");
    }
    return entry;
  }

  private static JsonNode tensor(String layer, int node, Shape shape) {
    ObjectNode tensor = JSON.objectNode();
    tensor.put("class_name", "__keras_tensor__");
    ObjectNode config = tensor.putObject("config");
    config.set("shape", shape(shape));
    config.put("dtype", "float32");
    config.set("keras_history", ref(layer, node));
    return tensor;
  }

  private static ArrayNode ref(String layer, int node) {
    ArrayNode ref = JSON.arrayNode();
    ref.add(layer).add(node).add(0);
    return ref;
  }

  private static ObjectNode policy(String name) {
    ObjectNode config = JSON.objectNode();
    config.put("name", name);
    return KerasObjects.object("keras", "DTypePolicy", config);
  }

  /** A model's policy: its layers' when they share one, else float32. */
  private static String modelPolicy(Model model) {
    List<String> policies = model.layers().stream().map(l -> l.dtypePolicy().name())
        .distinct().toList();
    return policies.size() == 1 ? policies.get(0) : "float32";
  }

  private static ArrayNode shape(Shape shape) {
    ArrayNode dims = JSON.arrayNode();
    for (long d : shape.asArray()) {
      if (d < 0) {
        dims.addNull();
      } else {
        dims.add(d);
      }
    }
    return dims;
  }

  private static ArrayNode shapes(List<Shape> shapes) {
    ArrayNode list = JSON.arrayNode();
    shapes.forEach(s -> list.add(shape(s)));
    return list;
  }
}
