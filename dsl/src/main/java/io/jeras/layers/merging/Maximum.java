package io.jeras.layers.merging;

import io.jeras.layers.LayerOptions;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Maximum}: the maximum of its inputs, element by element (shapes equal, or 1 where they
 * broadcast).
 *
 * <pre>{@code
 * KerasTensor y = Maximum.of().apply(a, b);
 * }</pre>
 */
public final class Maximum extends Merge<Maximum> {

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Maximum(LayerOptions options) {
    super(options);
  }

  public static Maximum of() {
    return new Maximum(null);
  }

  @Override
  protected Maximum withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Operand<TFloat32> combine(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
    return tf.math.maximum(a, b);
  }
}
