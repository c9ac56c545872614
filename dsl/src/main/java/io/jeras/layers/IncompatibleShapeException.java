package io.jeras.layers;

import io.jeras.utils.Shapes;
import java.util.List;
import org.tensorflow.ndarray.Shape;

/** A layer cannot take the shape it is given; names the layer, the shape and the reason. */
public final class IncompatibleShapeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public IncompatibleShapeException(String layerName, String layerClass, Shape input,
      String reason) {
    super("Layer \"" + layerName + "\" (" + layerClass + ") cannot take input of shape "
        + Shapes.format(input) + ": " + reason);
  }

  /** An exception with a complete message. */
  public IncompatibleShapeException(String message) {
    super(message);
  }

  public IncompatibleShapeException(String layerName, String layerClass, List<Shape> inputs,
      String reason) {
    super(inputs.size() == 1
        ? "Layer \"" + layerName + "\" (" + layerClass + ") cannot take input of shape "
            + Shapes.format(inputs.get(0)) + ": " + reason
        : "Layer \"" + layerName + "\" (" + layerClass + ") cannot take inputs of shapes "
            + inputs.stream().map(Shapes::format).toList() + ": " + reason);
  }
}
