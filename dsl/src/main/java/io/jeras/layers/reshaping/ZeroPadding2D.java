package io.jeras.layers.reshaping;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code ZeroPadding2D}: rows and columns of zeros around NHWC images (default one on
 * each side). No weights.
 *
 * <pre>{@code
 * ZeroPadding2D.of(3)                   // ResNet's stem before the 7x7 convolution
 * ZeroPadding2D.of(Margins.of(0, 1, 0, 1))
 * }</pre>
 */
public final class ZeroPadding2D extends Layer<ZeroPadding2D> {
  private final Margins padding;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private ZeroPadding2D(LayerOptions options, Margins padding) {
    super(options);
    this.padding = padding;
  }

  /** One row or column of zeros on each side, Keras' default. */
  public static ZeroPadding2D of() {
    return of(Margins.of(1));
  }

  /** {@code all} rows or columns of zeros on each side. */
  public static ZeroPadding2D of(int all) {
    return of(Margins.of(all));
  }

  public static ZeroPadding2D of(Margins padding) {
    return new ZeroPadding2D(null, padding);
  }

  public Margins padding() {
    return padding;
  }

  @Override
  protected ZeroPadding2D withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() == 4,
        "ZeroPadding2D expects 4-D input (batch, height, width, channels), got rank %s",
        input.numDimensions());
    return Shape.of(input.get(0), grow(input.get(1), padding.top() + padding.bottom()),
        grow(input.get(2), padding.left() + padding.right()), input.get(3));
  }

  private static long grow(long size, int by) {
    return size < 0 ? -1 : size + by;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    var tf = context.tf();
    int[][] paddings = {{0, 0}, {padding.top(), padding.bottom()},
        {padding.left(), padding.right()}, {0, 0}};
    return tf.pad(input, tf.constant(paddings), tf.constant(0f));
  }
}
