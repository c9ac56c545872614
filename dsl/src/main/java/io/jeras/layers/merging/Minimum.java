package io.jeras.layers.merging;

import io.jeras.layers.LayerOptions;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Minimum}: the minimum of its inputs, element by element (shapes equal, or 1 where they
 * broadcast).
 *
 * <pre>{@code
 * KerasTensor y = Minimum.of().apply(a, b);
 * }</pre>
 */
public final class Minimum extends Merge<Minimum> {

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Minimum(LayerOptions options) {
    super(options);
  }

  public static Minimum of() {
    return new Minimum(null);
  }

  @Override
  protected Minimum withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Operand<TFloat32> combine(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
    return tf.math.minimum(a, b);
  }
}
