package io.jeras.layers.pooling;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import io.jeras.layers.Padding;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TFloat32;

/**
 * What 1-D pooling layers share (Keras' {@code BasePooling} over {@code (batch, steps,
 * channels)}): a window of {@code poolSize} steps, strides that default to the window, and
 * padding; no weights. Pooled as TensorFlow pools 1-D: a 2-D pooling over a height of 1.
 */
public abstract class Pooling1D<L extends Pooling1D<L>> extends Layer<L> {
  protected final int poolSize;
  protected final int strides;
  protected final Padding padding;

  protected Pooling1D(LayerOptions options, int poolSize, Integer strides, Padding padding) {
    super(options);
    checkArgument(poolSize > 0, "pool_size must be positive, got %s", poolSize);
    this.poolSize = poolSize;
    this.strides = strides == null ? poolSize : strides;
    checkArgument(this.strides > 0, "strides must be positive, got %s", this.strides);
    this.padding = padding;
  }

  /** A copy with other pooling settings. */
  protected abstract L with(LayerOptions options, int poolSize, Integer strides, Padding padding);

  /** Emits the 2-D pooling op for NHWC {@code ksize} and {@code strides}. */
  protected abstract Operand<TFloat32> pool(Ops tf, Operand<TFloat32> input, long[] ksize,
      long[] strides);

  public int poolSize() {
    return poolSize;
  }

  public int strides() {
    return strides;
  }

  public Padding padding() {
    return padding;
  }

  public L strides(int strides) {
    return with(options, poolSize, strides, padding);
  }

  public L padding(Padding padding) {
    return with(options, poolSize, strides, padding);
  }

  public L padding(String padding) {
    return padding(Padding.of(padding));
  }

  @Override
  protected L withOptions(LayerOptions options) {
    return with(options, poolSize, strides, padding);
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() == 3, "%s expects 3-D input (batch, steps, channels),"
        + " got rank %s", className(), input.numDimensions());
    long steps = padding.outputLength(input.get(1), poolSize, strides, 1);
    checkArgument(input.get(1) < 0 || steps >= 1, "pool size %s (padding %s) is longer than"
        + " the %s steps", poolSize, padding.name().toLowerCase(), input.get(1));
    return Shape.of(input.get(0), steps, input.get(2));
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    Ops tf = context.tf();
    Operand<TFloat32> pooled = pool(tf, tf.expandDims(input, tf.constant(1)),
        new long[] {1, 1, poolSize, 1}, new long[] {1, 1, strides, 1});
    return tf.squeeze(pooled, Squeeze.axis(List.of(1L)));
  }
}
