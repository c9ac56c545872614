package io.jeras.models;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.KerasTensor;
import io.jeras.layers.Layer;
import io.jeras.layers.core.Input;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.ArrayDeque;
import java.util.Deque;
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
  private final List<String> operations = new ArrayList<>();
  private final boolean sequentialLike;

  Functional(String name, List<KerasTensor> inputTensors, List<KerasTensor> outputTensors) {
    super(name);
    checkArgument(!inputTensors.isEmpty(), "a model needs at least one input");
    checkArgument(!outputTensors.isEmpty(), "a model needs at least one output");
    Map<KerasTensor, Integer> inputIndex = new IdentityHashMap<>();
    Set<String> names = new HashSet<>();
    for (KerasTensor input : inputTensors) {
      checkArgument(input.isInput(), "Model inputs must be Input tensors (Input.of(...).tensor());"
          + " got %s", input);
      checkArgument(!inputIndex.containsKey(input), "input %s is given twice", input);
      String inputName = uniqueInputName(input.inputLayer(), names);
      inputIndex.put(input, inputs.size());
      inputs.add(new ModelInput(inputName, input.shape()));
    }
    Traversal traversal = new Traversal(inputIndex);
    for (KerasTensor output : outputTensors) {
      checkArgument(!output.isInput(), "output %s of model %s is one of its inputs; add a layer",
          output, name);
      traversal.visit(output, new ArrayDeque<>());
    }
    for (KerasTensor input : inputTensors) {
      if (!traversal.usedInputs.contains(input)) {
        throw new IllegalArgumentException("Input \"" + inputs.get(inputIndex.get(input)).name()
            + "\" of model " + name + " is not connected to its outputs");
      }
    }
    List<KerasTensor> ordered = traversal.kerasOrder();
    Map<KerasTensor, Integer> nodeIndex = new IdentityHashMap<>();
    Map<Layer<?>, Layer<?>> named = new IdentityHashMap<>();
    Map<String, Integer> counters = new HashMap<>();
    for (KerasTensor tensor : ordered) {
      if (tensor.isInput()) {
        operations.add(inputs.get(inputIndex.get(tensor)).name());
        continue;
      }
      Layer<?> layer = tensor.layer();
      Layer<?> namedLayer = named.get(layer);
      if (namedLayer == null) {
        String layerName = layer.name() != null ? layer.name() : autoName(layer, names, counters);
        checkArgument(!names.contains(layerName), "The name \"%s\" is used twice in model %s;"
            + " all layer names should be unique", layerName, name());
        names.add(layerName);
        namedLayer = layer.name() != null ? layer : layer.name(layerName);
        named.put(layer, namedLayer);
        layers.add(namedLayer);
        operations.add(layerName);
      }
      List<Integer> in = new ArrayList<>();
      for (KerasTensor input : tensor.inputs()) {
        in.add(input.isInput() ? -inputIndex.get(input) - 1 : nodeIndex.get(input));
      }
      nodes.add(new Node(namedLayer, in, tensor.inputs().stream().map(KerasTensor::shape)
          .toList(), tensor.shape()));
      nodeIndex.put(tensor, nodes.size() - 1);
    }
    outputTensors.forEach(output -> outputs.add(nodeIndex.get(output)));
    sequentialLike = traversal.depthsAreDistinct() && layers.size() == nodes.size()
        && nodes.stream().allMatch(node -> node.inputs().size() == 1);
  }

  /**
   * Keras' {@code map_graph}: a depth-first walk from the outputs that finds every layer
   * application and checks that it leads only to the given inputs, then the applications
   * ordered as Keras orders them: by depth (the longest path to an output), deepest first,
   * then by when the walk first met their layer. That order is a topological one, and it is
   * the order of {@code model.layers} and of the weights in Keras.
   */
  private final class Traversal {
    private final Map<KerasTensor, Integer> inputIndex;
    private final Set<KerasTensor> usedInputs = java.util.Collections.newSetFromMap(
        new IdentityHashMap<>());
    /** When the walk first met each layer or input (Keras' {@code operation_indices}). */
    private final Map<Object, Integer> order = new IdentityHashMap<>();
    private final Map<KerasTensor, Integer> depth = new IdentityHashMap<>();
    private final List<KerasTensor> finished = new ArrayList<>();
    private final Set<KerasTensor> done = java.util.Collections.newSetFromMap(
        new IdentityHashMap<>());

    Traversal(Map<KerasTensor, Integer> inputIndex) {
      this.inputIndex = inputIndex;
    }

    void visit(KerasTensor tensor, Deque<String> path) {
      if (tensor.isInput()) {
        if (!inputIndex.containsKey(tensor)) {
          throw new IllegalArgumentException("Graph disconnected: cannot obtain value for"
              + " tensor " + tensor + " at layer \"" + path.peekLast() + "\": that input is not"
              + " among the model's inputs " + inputs.stream().map(ModelInput::name).toList()
              + ". The layers on the way: " + path);
        }
        usedInputs.add(tensor);
        if (!done.contains(tensor)) {
          order.put(tensor, order.size());
          done.add(tensor);
          finished.add(tensor);
        }
        return;
      }
      if (done.contains(tensor)) {
        return;
      }
      order.putIfAbsent(tensor.layer(), order.size());
      path.addLast(tensor.layer().displayName());
      for (KerasTensor input : tensor.inputs()) {
        visit(input, path);
      }
      path.removeLast();
      done.add(tensor);
      finished.add(tensor);
    }

    /** The model inputs and layer applications in Keras' order. */
    List<KerasTensor> kerasOrder() {
      for (int i = finished.size() - 1; i >= 0; i--) {
        KerasTensor tensor = finished.get(i);
        int d = depth.getOrDefault(tensor, 0);
        depth.put(tensor, d);
        for (KerasTensor input : tensor.inputs()) {
          depth.merge(input, d + 1, Math::max);
        }
      }
      List<KerasTensor> ordered = new ArrayList<>(finished);
      ordered.sort(java.util.Comparator.<KerasTensor>comparingInt(t -> -depth.get(t))
          .thenComparingInt(t -> order.get(t.isInput() ? t : t.layer())));
      return ordered;
    }

    /** Whether no two applications or inputs lie at the same depth (a chain). */
    boolean depthsAreDistinct() {
      return new HashSet<>(depth.values()).size() == depth.size();
    }
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

  /**
   * The names of the inputs and layers in Keras' order ({@code model._operations}): the rows of
   * the summary.
   */
  public List<String> operations() {
    return List.copyOf(operations);
  }

  /**
   * Whether Keras would summarize this model like a Sequential one (a chain: one input, one
   * output, no merges, no shared layers): then without the {@code Connected to} column.
   */
  public boolean isSequentialLike() {
    return sequentialLike;
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
