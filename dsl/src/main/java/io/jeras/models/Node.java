package io.jeras.models;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.WeightSpec;
import io.jeras.mixedprecision.Autocast;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * One application of a layer in a model: what feeds it (other nodes' outputs or model inputs)
 * and the shapes it takes and gives, inferred when the model was built. A layer applied twice
 * (shared) has two nodes and one set of weights.
 *
 * @param inputs for each input, the index of the node producing it, or {@code -(k + 1)} for
 *     the model's input {@code k}
 */
public record Node(Layer<?> layer, List<Integer> inputs, List<Shape> inputShapes,
    Shape outputShape) {

  public Node {
    inputs = List.copyOf(inputs);
    inputShapes = List.copyOf(inputShapes);
  }

  /** A node with one input. */
  public Node(Layer<?> layer, int input, Shape inputShape, Shape outputShape) {
    this(layer, List.of(input), List.of(inputShape), outputShape);
  }

  /** The layer's name (every layer in a model is named). */
  public String name() {
    return layer.name();
  }

  /** The (first) input shape. */
  public Shape inputShape() {
    return inputShapes.get(0);
  }

  /** The weights this node's layer creates. */
  public List<WeightSpec> weights() {
    return layer.weights(inputShapes);
  }

  /** Whether {@code index} in {@link #inputs} refers to a model input. */
  public static boolean isModelInput(int index) {
    return index < 0;
  }

  /** The model input number an input index refers to. */
  public static int modelInput(int index) {
    return -index - 1;
  }

  /** The layer a node runs and the context it runs in, for {@link #forward}. */
  public interface Runner {
    /** The layer node {@code index} runs (its own, or a frozen copy). */
    Layer<?> layer(int index, Node node);

    /** The context node {@code index} emits its ops in. */
    CallContext context(int index, Node node, Layer<?> layer);
  }

  /**
   * The mask a mask-propagating layer passes on: its input's, or with several inputs (a merge)
   * their logical or, as Keras' {@code Merge.compute_mask} (none if an input has none).
   */
  private static Operand<TBool> combined(CallContext context, Node node,
      List<Operand<TBool>> masks, List<Operand<TBool>> inputMasks) {
    Operand<TBool> result = null;
    for (int index : node.inputs()) {
      Operand<TBool> mask = isModelInput(index)
          ? (modelInput(index) < inputMasks.size() ? inputMasks.get(modelInput(index)) : null)
          : masks.get(index);
      if (mask == null) {
        return null;
      }
      result = result == null ? mask : context.tf().math.logicalOr(result, mask);
    }
    return result;
  }

  /** Every node's result of a {@link #forward} pass, and its Keras mask (null: none). */
  public record Pass(List<Operand<TFloat32>> results, List<Operand<TBool>> masks) {}

  /**
   * One forward pass over {@code nodes} in order, the loop every model's graph and every nested
   * model run: each node's inputs are model inputs or earlier nodes' results, its layer casts
   * them to its compute type ({@link Autocast}). Masks travel with the results: a node's layer
   * sees its first input's mask ({@link CallContext#inputMask}) and its output has the mask the
   * layer set, or its input's if the layer {@link Layer#propagatesMask propagates} it.
   *
   * @param inputMasks the masks of the model's inputs (null entries: none; empty: none at all)
   */
  public static Pass forward(List<Node> nodes, List<? extends Operand<TFloat32>> inputs,
      List<Operand<TBool>> inputMasks, Runner runner) {
    List<Operand<TFloat32>> results = new ArrayList<>(nodes.size());
    List<Operand<TBool>> masks = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      Node node = nodes.get(i);
      List<Operand<TFloat32>> in = new ArrayList<>();
      for (int index : node.inputs()) {
        in.add(isModelInput(index) ? inputs.get(modelInput(index)) : results.get(index));
      }
      int first = node.inputs().get(0);
      Operand<TBool> inputMask = isModelInput(first)
          ? (modelInput(first) < inputMasks.size() ? inputMasks.get(modelInput(first)) : null)
          : masks.get(first);
      Layer<?> layer = runner.layer(i, node);
      CallContext context = runner.context(i, node, layer).withInputMask(inputMask);
      results.add(Autocast.call(layer, context, in));
      Operand<TBool> outputMask = context.outputMask();
      masks.add(outputMask != null ? outputMask : layer.propagatesMask()
          ? combined(context, node, masks, inputMasks) : null);
    }
    return new Pass(results, masks);
  }
}
