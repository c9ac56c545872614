package io.jeras.models;

import io.jeras.layers.Layer;
import io.jeras.layers.WeightSpec;
import java.util.List;
import org.tensorflow.ndarray.Shape;

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
}
