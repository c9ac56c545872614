package io.jeras.savedmodels.keras;

import io.jeras.layers.Layer;
import io.jeras.layers.WeightSpec;
import io.jeras.models.Functional;
import io.jeras.models.Model;
import io.jeras.models.ModelInput;
import io.jeras.models.ModelLayer;
import io.jeras.models.Node;
import io.jeras.savedmodels.keras.mappings.LayerMapping;
import io.jeras.savedmodels.keras.mappings.LayerMappings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each layer's weights live in a Keras file: Keras 3 addresses a layer by its position
 * among its model's layers ({@code layers/<snake_case class name>[_<n>]}, counted per class,
 * nested models adding {@code /layers/...}), never by its name; Keras 2 files name the layer.
 */
final class WeightLayout {
  private WeightLayout() {}

  /**
   * A layer holding weights.
   *
   * @param prefix the Jeras weight-name prefix ({@code vgg16/block1_conv1})
   * @param kerasPath the layer's group in a Keras 3 weights file
   *     ({@code layers/functional/layers/conv2d})
   * @param specs the layer's weights, in Keras' order
   */
  record Entry(String prefix, String kerasPath, Layer<?> layer, List<WeightSpec> specs) {
    /** The layer's name (the last part of the prefix). */
    String name() {
      return layer.name();
    }
  }

  /** A top-level layer of a model with the weighted layers inside it (itself, or nested). */
  record TopLayer(Layer<?> layer, List<Entry> entries) {}

  /** Every layer holding weights, nested models' layers included, in Keras' order. */
  static List<Entry> entries(Model model) {
    return entries(model, false);
  }

  /**
   * Every layer holding weights. With {@code checkpointDependencies}, as tf.keras 2.12 and 2.13
   * counted them: each layer holding weights is listed twice in its model's container
   * ({@code layer_with_weights-k} and {@code layer-i}), so it advances its class's counter twice.
   */
  static List<Entry> entries(Model model, boolean checkpointDependencies) {
    List<Entry> entries = new ArrayList<>();
    walk(model, "", "", checkpointDependencies).forEach(top -> entries.addAll(top.entries()));
    return entries;
  }

  /** The model's own layers, each with the weighted layers it holds. */
  static List<TopLayer> topLayers(Model model) {
    return walk(model, "", "", false);
  }

  private static List<TopLayer> walk(Model model, String prefix, String kerasPrefix,
      boolean checkpointDependencies) {
    Map<String, Node> firstNodes = new HashMap<>();
    for (Node node : model.nodes()) {
      firstNodes.putIfAbsent(node.name(), node);
    }
    List<String> container = new ArrayList<>();
    Set<String> inputs = new HashSet<>();
    if (model instanceof Functional functional) {
      container.addAll(functional.operations());
      functional.inputs().stream().map(ModelInput::name).forEach(inputs::add);
    } else {
      model.layers().forEach(layer -> container.add(layer.name()));
    }
    Map<String, Integer> counters = new HashMap<>();
    List<TopLayer> tops = new ArrayList<>();
    for (String name : container) {
      String className = inputs.contains(name) ? "InputLayer" : model.layer(name).className();
      String snake = Layer.toSnakeCase(className);
      int n = counters.merge(snake, 1, Integer::sum) - 1;
      String path = kerasPrefix + "layers/" + (n == 0 ? snake : snake + "_" + n);
      if (inputs.contains(name)) {
        continue;
      }
      Layer<?> layer = model.layer(name);
      List<Entry> entries = new ArrayList<>();
      if (layer instanceof ModelLayer nested) {
        walk(nested.model(), prefix + name + "/", path + "/", checkpointDependencies)
            .forEach(top -> entries.addAll(top.entries()));
      } else {
        Node node = firstNodes.get(name);
        List<WeightSpec> specs = node == null ? List.of() : layer.weights(node.inputShapes());
        // one entry per place the weights sit at (a recurrent layer's cell, each direction)
        LayerMapping mapping = LayerMappings.forLayer(layer);
        Map<String, List<WeightSpec>> places = new java.util.LinkedHashMap<>();
        for (WeightSpec spec : specs) {
          places.computeIfAbsent(mapping == null ? "" : mapping.weightPlace(layer, spec),
              place -> new ArrayList<>()).add(spec);
        }
        places.forEach((place, held) -> entries.add(new Entry(prefix + name, path + place,
            layer, held)));
      }
      if (checkpointDependencies && !entries.isEmpty()) {
        counters.merge(snake, 1, Integer::sum);
      }
      tops.add(new TopLayer(layer, entries));
    }
    return tops;
  }
}
