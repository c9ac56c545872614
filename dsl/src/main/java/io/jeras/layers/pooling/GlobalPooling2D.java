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
 * What the global 2-D poolings share: NHWC input reduced over height and width to
 * {@code (batch, channels)}, or to {@code (batch, 1, 1, channels)} with {@code keepdims}
 * (Keras' default false). No weights.
 */
public abstract class GlobalPooling2D<L extends GlobalPooling2D<L>> extends Layer<L> {
  protected final boolean keepdims;

  protected GlobalPooling2D(LayerOptions options, boolean keepdims) {
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

  /** Keeps the spatial axes as size 1. */
  public L keepdims(boolean keepdims) {
    return with(options, keepdims);
  }

  @Override
  protected L withOptions(LayerOptions options) {
    return with(options, keepdims);
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() == 4,
        "%s expects 4-D input (batch, height, width, channels), got rank %s", className(),
        input.numDimensions());
    return keepdims ? Shape.of(input.get(0), 1, 1, input.get(3))
        : Shape.of(input.get(0), input.get(3));
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    Ops tf = context.tf();
    return reduce(tf, input, tf.constant(new int[] {1, 2}), keepdims);
  }
}
