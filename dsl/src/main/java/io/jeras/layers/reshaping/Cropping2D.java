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
 * Keras' {@code Cropping2D}: removes rows and columns at the sides of NHWC images (default
 * none). Cropping away the whole image fails when the shape is known. No weights.
 *
 * <pre>{@code
 * Cropping2D.of(Margins.of(2, 2, 4, 4))   // 2 rows top and bottom, 4 columns left and right
 * }</pre>
 */
public final class Cropping2D extends Layer<Cropping2D> {
  private final Margins cropping;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Cropping2D(LayerOptions options, Margins cropping) {
    super(options);
    this.cropping = cropping;
  }

  /** Keras' default: no cropping. */
  public static Cropping2D of() {
    return of(Margins.of(0));
  }

  /** {@code all} rows or columns off each side. */
  public static Cropping2D of(int all) {
    return of(Margins.of(all));
  }

  public static Cropping2D of(Margins cropping) {
    return new Cropping2D(null, cropping);
  }

  public Margins cropping() {
    return cropping;
  }

  @Override
  protected Cropping2D withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() == 4,
        "Cropping2D expects 4-D input (batch, height, width, channels), got rank %s",
        input.numDimensions());
    long height = shrink(input.get(1), cropping.top() + cropping.bottom());
    long width = shrink(input.get(2), cropping.left() + cropping.right());
    checkArgument(height != 0 && width != 0, "`cropping` parameter of `Cropping2D` layer must be"
        + " smaller than the input size. Received: cropping=%s, input %sx%s", cropping,
        input.get(1), input.get(2));
    return Shape.of(input.get(0), height, width, input.get(3));
  }

  private static long shrink(long size, int by) {
    return size < 0 ? -1 : Math.max(0, size - by);
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    var tf = context.tf();
    Shape shape = input.shape();
    checkArgument(shape.get(1) > 0 && shape.get(2) > 0,
        "Cropping2D needs the image height and width known");
    int height = Math.toIntExact(shape.get(1) - cropping.top() - cropping.bottom());
    int width = Math.toIntExact(shape.get(2) - cropping.left() - cropping.right());
    // int32 begin and size: TensorFlow's C++ gradient of Slice pairs them with an int32 Shape
    return tf.slice(input, tf.constant(new int[] {0, cropping.top(), cropping.left(), 0}),
        tf.constant(new int[] {-1, height, width, -1}));
  }
}
