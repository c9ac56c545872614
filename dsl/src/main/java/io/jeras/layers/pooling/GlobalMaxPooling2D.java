package io.jeras.layers.pooling;

import io.jeras.layers.LayerOptions;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' {@code GlobalMaxPooling2D}: the maximum of each channel over the whole image, {@code (batch, h, w,
 * c) -> (batch, c)}; the usual head of ResNet, Inception and MobileNet instead of Flatten.
 *
 * <pre>{@code
 * GlobalMaxPooling2D.of()
 * }</pre>
 */
public final class GlobalMaxPooling2D extends GlobalPooling2D<GlobalMaxPooling2D> {

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private GlobalMaxPooling2D(LayerOptions options, boolean keepdims) {
    super(options, keepdims);
  }

  public static GlobalMaxPooling2D of() {
    return new GlobalMaxPooling2D(null, false);
  }

  @Override
  protected GlobalMaxPooling2D with(LayerOptions options, boolean keepdims) {
    return toBuilder().options(options).keepdims(keepdims).build();
  }

  @Override
  protected Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> input, Operand<TInt32> axes,
      boolean keepdims) {
    return tf.max(input, axes, org.tensorflow.op.core.Max.keepDims(keepdims));
  }
}
