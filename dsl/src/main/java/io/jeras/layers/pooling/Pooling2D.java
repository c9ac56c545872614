package io.jeras.layers.pooling;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import io.jeras.layers.Padding;
import io.jeras.layers.Size2D;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * What 2-D pooling layers share (Keras' {@code BasePooling}): a window, strides that default to
 * the window, and padding; no weights.
 */
public abstract class Pooling2D<L extends Pooling2D<L>> extends Layer<L> {
  protected final Size2D poolSize;
  protected final Size2D strides;
  protected final Padding padding;

  protected Pooling2D(LayerOptions options, Size2D poolSize, Size2D strides, Padding padding) {
    super(options);
    this.poolSize = poolSize;
    this.strides = strides == null ? poolSize : strides;
    this.padding = padding;
  }

  /** A copy with other pooling settings. */
  protected abstract L with(LayerOptions options, Size2D poolSize, Size2D strides, Padding padding);

  /** Emits the pooling op for NHWC {@code ksize} and {@code strides}. */
  protected abstract Operand<TFloat32> pool(CallContext context, Operand<TFloat32> input,
      List<Long> ksize, List<Long> strides);

  public Size2D poolSize() {
    return poolSize;
  }

  public Size2D strides() {
    return strides;
  }

  public Padding padding() {
    return padding;
  }

  public L strides(int stride) {
    return strides(stride, stride);
  }

  public L strides(int height, int width) {
    return with(options, poolSize, Size2D.of(height, width), padding);
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
    checkArgument(input.numDimensions() == 4,
        "%s expects 4-D input (batch, height, width, channels), got rank %s", className(),
        input.numDimensions());
    long height = padding.outputLength(input.get(1), poolSize.height(), strides.height(), 1);
    long width = padding.outputLength(input.get(2), poolSize.width(), strides.width(), 1);
    checkArgument(input.get(1) < 0 || height >= 1 && width >= 1,
        "pool size %s (padding %s) is larger than the %sx%s input", poolSize,
        padding.name().toLowerCase(), input.get(1), input.get(2));
    return Shape.of(input.get(0), height, width, input.get(3));
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    return pool(context, input, List.of(1L, (long) poolSize.height(), (long) poolSize.width(), 1L),
        List.of(1L, (long) strides.height(), (long) strides.width(), 1L));
  }
}
