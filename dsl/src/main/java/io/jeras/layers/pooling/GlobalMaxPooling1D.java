package io.jeras.layers.pooling;

import io.jeras.layers.LayerOptions;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' {@code GlobalMaxPooling1D}: the maximum of each channel over all steps, {@code (batch,
 * steps, c) -> (batch, c)}: the strongest response anywhere in a sequence (text classifiers after Conv1D or an RNN).
 *
 * <pre>{@code
 * GlobalMaxPooling1D.of()
 * }</pre>
 */
public final class GlobalMaxPooling1D extends GlobalPooling1D<GlobalMaxPooling1D> {

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private GlobalMaxPooling1D(LayerOptions options, boolean keepdims) {
    super(options, keepdims);
  }

  public static GlobalMaxPooling1D of() {
    return new GlobalMaxPooling1D(null, false);
  }

  @Override
  protected GlobalMaxPooling1D with(LayerOptions options, boolean keepdims) {
    return toBuilder().options(options).keepdims(keepdims).build();
  }

  @Override
  protected Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> input, Operand<TInt32> axes,
      boolean keepdims) {
    return tf.max(input, axes, org.tensorflow.op.core.Max.keepDims(keepdims));
  }
}
