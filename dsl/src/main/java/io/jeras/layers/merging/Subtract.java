package io.jeras.layers.merging;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.LayerOptions;
import java.util.List;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Subtract}: the first of exactly two inputs minus the second, element by element.
 *
 * <pre>{@code
 * KerasTensor difference = Subtract.of().apply(a, b);
 * }</pre>
 */
public final class Subtract extends Merge<Subtract> {

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Subtract(LayerOptions options) {
    super(options);
  }

  public static Subtract of() {
    return new Subtract(null);
  }

  @Override
  protected Subtract withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(List<Shape> inputs) {
    checkArgument(inputs.size() == 2, "A Subtract layer should be called on exactly 2 inputs."
        + " Received %s input(s)", inputs.size());
    return super.computeOutputShape(inputs);
  }

  @Override
  protected Operand<TFloat32> combine(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
    return tf.math.sub(a, b);
  }
}
