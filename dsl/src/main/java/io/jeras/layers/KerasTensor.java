package io.jeras.layers;

import io.jeras.layers.core.Input;
import io.jeras.utils.Shapes;
import java.util.List;
import org.tensorflow.ndarray.Shape;

/**
 * Keras' {@code KerasTensor}: a symbolic tensor of the functional API, the output of a layer
 * applied to other symbolic tensors, or a model input. It records only the graph of layer
 * applications and the shape, batch first; {@code Model.of(inputs, outputs)} turns it into a
 * model.
 *
 * <pre>{@code
 * KerasTensor image = Input.of(28, 28, 1).name("image").tensor();
 * KerasTensor x = Conv2D.of(32, 3).activation(RELU).apply(image);
 * }</pre>
 */
public final class KerasTensor {
  private final Layer<?> layer;
  private final List<KerasTensor> inputs;
  private final Shape shape;
  private final Input input;

  KerasTensor(Layer<?> layer, List<KerasTensor> inputs, Shape shape, Input input) {
    this.layer = layer;
    this.inputs = List.copyOf(inputs);
    this.shape = shape;
    this.input = input;
  }

  /** A model input: the tensor an {@link Input} stands for. */
  public static KerasTensor input(Input input) {
    return new KerasTensor(null, List.of(), Shapes.batchOf(input.inputShape().asArray()), input);
  }

  /** The layer that produced this tensor, or null for a model input. */
  public Layer<?> layer() {
    return layer;
  }

  /** The tensors the layer was applied to (empty for a model input). */
  public List<KerasTensor> inputs() {
    return inputs;
  }

  /** The shape, batch first ({@code (None, 26, 26, 32)}). */
  public Shape shape() {
    return shape;
  }

  /** The {@link Input} this tensor stands for, or null when a layer produced it. */
  public Input inputLayer() {
    return input;
  }

  /** Whether this is a model input. */
  public boolean isInput() {
    return input != null;
  }

  @Override
  public String toString() {
    return "KerasTensor(shape=" + Shapes.format(shape) + ", "
        + (isInput() ? "input=" + (input.name() == null ? "input_layer" : input.name())
            : "layer=" + layer) + ")";
  }
}
