package io.jeras.layers.pooling;

import io.jeras.layers.CallContext;
import io.jeras.layers.LayerOptions;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' {@code GlobalAveragePooling1D}: the mean of each channel over all steps, {@code (batch,
 * steps, c) -> (batch, c)}: the average of a sequence (a small Transformer's head); with a mask
 * (Embedding's {@code mask_zero}), of its real steps only.
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

  /** With a mask (Keras): the mean over the real steps only. */
  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    Operand<TBool> mask = context.inputMask();
    if (mask == null) {
      return super.call(context, input);
    }
    Ops tf = context.tf();
    Operand<TFloat32> weights = tf.expandDims(tf.dtypes.cast(mask, TFloat32.class),
        tf.constant(2));
    Operand<TFloat32> sum = tf.reduceSum(tf.math.mul(input, weights), tf.constant(1),
        ReduceSum.keepDims(keepdims));
    Operand<TFloat32> count = tf.reduceSum(weights, tf.constant(1),
        ReduceSum.keepDims(keepdims));
    return tf.math.div(sum, count);
  }

  @Override
  protected Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> input, Operand<TInt32> axes,
      boolean keepdims) {
    return tf.math.mean(input, axes, org.tensorflow.op.math.Mean.keepDims(keepdims));
  }
}
