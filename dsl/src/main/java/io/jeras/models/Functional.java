package io.jeras.models;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.KerasTensor;
import io.jeras.layers.Layer;
import io.jeras.layers.core.Input;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keras' functional {@code Model(inputs, outputs)}: any graph of layers applied to symbolic
 * tensors, with several inputs and outputs, shared layers (the same layer object applied twice
 * shares its weights) and models nested as layers. Built once from its outputs back to its
 * inputs: layers are named in graph order (Keras' automatic names, counted in this model), and
 * an input that the outputs do not depend on, or a tensor from an input not given, fails here
 * naming the layers.
 *
 * <pre>{@code
 * KerasTensor image = Input.of(28, 28, 1).name("image").tensor();
 * KerasTensor x = Conv2D.of(32, 3).activation(RELU).apply(image);
 * KerasTensor y = Add.of().apply(x, Conv2D.of(32, 1).apply(image));
 * Model model = Model.of(image, Dense.of(10).apply(Flatten.of().apply(y)));
 * }</pre>
 */
public final class Functional extends Model {
  private final List<ModelInput> inputs = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();
  private final List<Integer> outputs = new ArrayList<>();
  private final List<Layer<?>> layers = new ArrayList<>();

  Functional(String name, List<KerasTensor> inputTensors, List<KerasTensor> outputTensors) {
    super(name);
    checkArgument(!inputTensors.isEmpty(), "a model needs at least one input");
    checkArgument(!outputTensors.isEmpty(), "a model needs at least one output");
    Map<KerasTensor, Integer> inputIndex = new IdentityHashMap<>();
    Set<String> inputNames = new HashSet<>();
    for (KerasTensor input : inputTensors) {
      checkArgument(input.isInput(), "Model inputs must be Input tensors (Input.of(...).tensor());"
          + " got %s", input);
      checkArgument(!inputIndex.containsKey(input), "input %s is given twice", input);
      String inputName = uniqueInputName(input.inputLayer(), inputNames);
      inputIndex.put(input, inputs.size());
      inputs.add(new ModelInput(inputName, input.shape()));
    }
    Map<KerasTensor, Integer> nodeIndex = new IdentityHashMap<>();
    Map<Layer<?>, Layer<?>> named = new IdentityHashMap<>();
    Set<String> names = new HashSet<>(inputNames);
    Map<String, Integer> counters = new HashMap<>();
    Set<KerasTensor> usedInputs = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (KerasTensor output : outputTensors) {
      outputs.add(visit(output, inputIndex, nodeIndex, named, names, counters, usedInputs,
          new LinkedHashSet<>()));
    }
    for (KerasTensor input : inputTensors) {
      if (!usedInputs.contains(input)) {
        throw new IllegalArgumentException("Input \"" + inputs.get(inputIndex.get(input)).name()
            + "\" of model " + name + " is not connected to its outputs");
      }
    }
    for (int i = 0; i < outputs.size(); i++) {
      checkArgument(outputs.get(i) >= 0, "output %s of model %s is one of its inputs; add a layer",
          i, name);
    }
  }

  /** Returns the node index of {@code tensor} (or -(k+1) for input k), building nodes. */
  private int visit(KerasTensor tensor, Map<KerasTensor, Integer> inputIndex,
      Map<KerasTensor, Integer> nodeIndex, Map<Layer<?>, Layer<?>> named, Set<String> names,
      Map<String, Integer> counters, Set<KerasTensor> usedInputs, LinkedHashSet<String> path) {
    if (tensor.isInput()) {
      Integer index = inputIndex.get(tensor);
      if (index == null) {
        throw new IllegalArgumentException("Graph disconnected: cannot obtain value for tensor "
            + tensor + " at layer \"" + (path.isEmpty() ? "?" : lastOf(path))
            + "\": that input is not among the model's inputs " + inputs.stream()
                .map(ModelInput::name).toList() + ". The layers on the way: " + path);
      }
      usedInputs.add(tensor);
      return -index - 1;
    }
    Integer done = nodeIndex.get(tensor);
    if (done != null) {
      return done;
    }
    Layer<?> layer = tensor.layer();
    path.add(layer.displayName());
    List<Integer> in = new ArrayList<>();
    for (KerasTensor input : tensor.inputs()) {
      in.add(visit(input, inputIndex, nodeIndex, named, names, counters, usedInputs, path));
    }
    path.remove(layer.displayName());
    Layer<?> namedLayer = named.get(layer);
    if (namedLayer == null) {
      String layerName = layer.name() != null ? layer.name() : autoName(layer, names, counters);
      checkArgument(!names.contains(layerName), "The name \"%s\" is used %s in model %s; all"
          + " layer names should be unique", layerName, "twice", name());
      names.add(layerName);
      namedLayer = layer.name() != null ? layer : layer.name(layerName);
      named.put(layer, namedLayer);
      layers.add(namedLayer);
    }
    nodes.add(new Node(namedLayer, in, tensor.inputs().stream().map(KerasTensor::shape).toList(),
        tensor.shape()));
    nodeIndex.put(tensor, nodes.size() - 1);
    return nodes.size() - 1;
  }

  private static String lastOf(LinkedHashSet<String> path) {
    String last = null;
    for (String p : path) {
      last = p;
    }
    return last;
  }

  private static String uniqueInputName(Input input, Set<String> names) {
    String base = input.name() != null ? input.name() : "input_layer";
    String candidate = base;
    for (int i = 1; names.contains(candidate); i++) {
      checkArgument(input.name() == null, "two inputs are named \"%s\"", base);
      candidate = base + "_" + i;
    }
    names.add(candidate);
    return candidate;
  }

  private static String autoName(Layer<?> layer, Set<String> names, Map<String, Integer> counters) {
    String prefix = layer.autoNamePrefix();
    while (true) {
      int n = counters.merge(prefix, 1, Integer::sum) - 1;
      String candidate = n == 0 ? prefix : prefix + "_" + n;
      if (!names.contains(candidate)) {
        return candidate;
      }
    }
  }

  @Override
  public List<Layer<?>> layers() {
    return List.copyOf(layers);
  }

  @Override
  protected void replaceLayer(Layer<?> replacement) {
    layers.replaceAll(layer -> layer.name().equals(replacement.name()) ? replacement : layer);
    nodes.replaceAll(node -> node.name().equals(replacement.name())
        ? new Node(replacement, node.inputs(), node.inputShapes(), node.outputShape()) : node);
  }

  @Override
  public List<Node> nodes() {
    return List.copyOf(nodes);
  }

  @Override
  public List<ModelInput> inputs() {
    return List.copyOf(inputs);
  }

  @Override
  public List<Integer> outputs() {
    return List.copyOf(outputs);
  }
}
