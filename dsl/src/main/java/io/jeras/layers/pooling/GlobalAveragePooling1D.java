package io.jeras.layers.pooling;

import io.jeras.layers.LayerOptions;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' {@code GlobalAveragePooling1D}: the mean of each channel over all steps, {@code (batch,
 * steps, c) -> (batch, c)}: the average of a sequence (a small Transformer's head).
 *
 * <pre>{@code
 * GlobalAveragePooling1D.of()
 * }</pre>
 */
public final class GlobalAveragePooling1D extends GlobalPooling1D<GlobalAveragePooling1D> {

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private GlobalAveragePooling1D(LayerOptions options, boolean keepdims) {
    super(options, keepdims);
  }

  public static GlobalAveragePooling1D of() {
    return new GlobalAveragePooling1D(null, false);
  }

  @Override
  protected GlobalAveragePooling1D with(LayerOptions options, boolean keepdims) {
    return toBuilder().options(options).keepdims(keepdims).build();
  }

  @Override
  protected Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> input, Operand<TInt32> axes,
      boolean keepdims) {
    return tf.math.mean(input, axes, org.tensorflow.op.math.Mean.keepDims(keepdims));
  }
}
