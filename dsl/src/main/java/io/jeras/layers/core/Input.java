package io.jeras.layers.core;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.KerasTensor;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Input} / {@code InputLayer}: declares the sample shape (without the batch
 * dimension) a model takes. In a {@code Sequential} it can stand first instead of
 * {@code inputShape(...)} on the first layer; it has no weights and no row in the summary.
 *
 * <pre>{@code
 * Sequential.of(Input.of(28, 28, 1), Conv2D.of(32, 3), ...)
 * }</pre>
 */
public final class Input extends Layer<Input> {

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Input(LayerOptions options) {
    super(options);
  }

  /**
   * An input of samples shaped {@code sampleShape}; a dimension of -1 is unknown (Keras'
   * {@code None}: {@code Input.of(-1, -1, 3)} takes images of any size).
   */
  public static Input of(long... sampleShape) {
    checkArgument(sampleShape.length > 0, "an Input needs at least one dimension");
    for (long d : sampleShape) {
      checkArgument(d > 0 || d == Shape.UNKNOWN_SIZE, "Input dimensions must be positive or -1"
          + " (unknown), got %s", java.util.Arrays.toString(sampleShape));
    }
    return new Input(LayerOptions.input(Shape.of(sampleShape)));
  }

  /** Keras' {@code keras.Input(shape)}: the symbolic input of a functional model. */
  public static KerasTensor tensor(long... sampleShape) {
    return of(sampleShape).tensor();
  }

  /** This input as a symbolic tensor, for the functional API. */
  public KerasTensor tensor() {
    return KerasTensor.input(this);
  }

  @Override
  protected Input withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  public String className() {
    return "InputLayer";
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    return input;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    return input;
  }
}
