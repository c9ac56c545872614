package io.jeras.layers.pooling;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * What the global 1-D poolings share: {@code (batch, steps, channels)} reduced over the steps to
 * {@code (batch, channels)}, or to {@code (batch, 1, channels)} with {@code keepdims} (Keras'
 * default false). No weights.
 */
public abstract class GlobalPooling1D<L extends GlobalPooling1D<L>> extends Layer<L> {
  protected final boolean keepdims;

  protected GlobalPooling1D(LayerOptions options, boolean keepdims) {
    super(options);
    this.keepdims = keepdims;
  }

  /** A copy with other settings. */
  protected abstract L with(LayerOptions options, boolean keepdims);

  /** Reduces {@code input} over {@code axes}. */
  protected abstract Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> input,
      Operand<TInt32> axes, boolean keepdims);

  public boolean keepdims() {
    return keepdims;
  }

  /** Keeps the steps axis as size 1. */
  public L keepdims(boolean keepdims) {
    return with(options, keepdims);
  }

  @Override
  protected L withOptions(LayerOptions options) {
    return with(options, keepdims);
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() == 3, "%s expects 3-D input (batch, steps, channels),"
        + " got rank %s", className(), input.numDimensions());
    return keepdims ? Shape.of(input.get(0), 1, input.get(2))
        : Shape.of(input.get(0), input.get(2));
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    Ops tf = context.tf();
    return reduce(tf, input, tf.constant(new int[] {1}), keepdims);
  }
}
