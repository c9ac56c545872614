package io.jeras.layers.core;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Identity}: the input, unchanged (a named placeholder in a graph of layers). No
 * weights.
 *
 * <pre>{@code
 * Identity.of()
 * }</pre>
 */
public final class Identity extends Layer<Identity> {

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Identity(LayerOptions options) {
    super(options);
  }

  /** An identity layer. */
  public static Identity of() {
    return new Identity(null);
  }

  /** Keras' {@code supports_masking}: the input's mask passes on. */
  @Override
  public boolean propagatesMask() {
    return true;
  }

  @Override
  protected Identity withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
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
