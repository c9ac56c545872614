package io.jeras.models;

import io.jeras.layers.Layer;
import io.jeras.layers.WeightSpec;
import java.util.List;
import org.tensorflow.ndarray.Shape;

/**
 * One layer placed in a model: its input (the model input, or another node's output), and the
 * shapes it takes and gives, inferred when the layer was added.
 *
 * @param input the index of the node feeding this one, or -1 for the model's input
 */
public record Node(Layer<?> layer, int input, Shape inputShape, Shape outputShape) {

  /** The layer's name (every layer in a model is named). */
  public String name() {
    return layer.name();
  }

  /** The weights this node's layer creates. */
  public List<WeightSpec> weights() {
    return layer.weights(inputShape);
  }
}
