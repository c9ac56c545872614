package io.jeras.layers.pooling;

import io.jeras.layers.LayerOptions;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' {@code GlobalAveragePooling2D}: the average of each channel over the whole image, {@code (batch, h, w,
 * c) -> (batch, c)}; the usual head of ResNet, Inception and MobileNet instead of Flatten.
 *
 * <pre>{@code
 * GlobalAveragePooling2D.of()
 * }</pre>
 */
public final class GlobalAveragePooling2D extends GlobalPooling2D<GlobalAveragePooling2D> {

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private GlobalAveragePooling2D(LayerOptions options, boolean keepdims) {
    super(options, keepdims);
  }

  public static GlobalAveragePooling2D of() {
    return new GlobalAveragePooling2D(null, false);
  }

  @Override
  protected GlobalAveragePooling2D with(LayerOptions options, boolean keepdims) {
    return toBuilder().options(options).keepdims(keepdims).build();
  }

  @Override
  protected Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> input, Operand<TInt32> axes,
      boolean keepdims) {
    return tf.math.mean(input, axes, org.tensorflow.op.math.Mean.keepDims(keepdims));
  }
}
