package io.jeras.layers.merging;

import io.jeras.layers.LayerOptions;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Multiply}: the product of its inputs, element by element (shapes equal, or 1 where they
 * broadcast).
 *
 * <pre>{@code
 * KerasTensor y = Multiply.of().apply(a, b);
 * }</pre>
 */
public final class Multiply extends Merge<Multiply> {

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Multiply(LayerOptions options) {
    super(options);
  }

  public static Multiply of() {
    return new Multiply(null);
  }

  @Override
  protected Multiply withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Operand<TFloat32> combine(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
    return tf.math.mul(a, b);
  }
}
