package io.jeras.layers.reshaping;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import io.jeras.layers.Size2D;
import java.util.Locale;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code UpSampling2D}: NHWC images enlarged by whole factors (default 2x2). With
 * {@code nearest} (the default) each pixel is repeated, as Keras does with {@code repeat};
 * with {@code bilinear} the image is resized the way {@code tf.image.resize} does (half-pixel
 * centres, no antialiasing). No weights.
 *
 * <pre>{@code
 * UpSampling2D.of(2).interpolation("bilinear")
 * }</pre>
 */
public final class UpSampling2D extends Layer<UpSampling2D> {
  /** How new pixels are computed. */
  public enum Interpolation { NEAREST, BILINEAR }

  private final Size2D size;
  private final Interpolation interpolation;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private UpSampling2D(LayerOptions options, Size2D size, Interpolation interpolation) {
    super(options);
    checkArgument(size.height() > 0 && size.width() > 0,
        "UpSampling2D factors must be positive, got %s", size);
    this.size = size;
    this.interpolation = interpolation;
  }

  /** Keras' default: twice as high and twice as wide. */
  public static UpSampling2D of() {
    return of(2);
  }

  public static UpSampling2D of(int factor) {
    return of(factor, factor);
  }

  public static UpSampling2D of(int heightFactor, int widthFactor) {
    return new UpSampling2D(null, Size2D.of(heightFactor, widthFactor), Interpolation.NEAREST);
  }

  public Size2D size() {
    return size;
  }

  public Interpolation interpolation() {
    return interpolation;
  }

  public UpSampling2D interpolation(Interpolation interpolation) {
    return toBuilder().interpolation(interpolation).build();
  }

  /** {@code "nearest"} or {@code "bilinear"}. */
  public UpSampling2D interpolation(String interpolation) {
    return switch (interpolation.toLowerCase(Locale.ROOT)) {
      case "nearest" -> interpolation(Interpolation.NEAREST);
      case "bilinear" -> interpolation(Interpolation.BILINEAR);
      default -> throw new IllegalArgumentException("Invalid value for argument `interpolation`:"
          + " expected \"nearest\" or \"bilinear\". Received: interpolation=" + interpolation);
    };
  }

  @Override
  protected UpSampling2D withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() == 4,
        "UpSampling2D expects 4-D input (batch, height, width, channels), got rank %s",
        input.numDimensions());
    return Shape.of(input.get(0), scale(input.get(1), size.height()),
        scale(input.get(2), size.width()), input.get(3));
  }

  private static long scale(long length, int factor) {
    return length < 0 ? -1 : length * factor;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    var tf = context.tf();
    Shape shape = input.shape();
    checkArgument(shape.get(1) > 0 && shape.get(2) > 0,
        "UpSampling2D needs the image height and width known");
    int height = Math.toIntExact(shape.get(1) * size.height());
    int width = Math.toIntExact(shape.get(2) * size.width());
    if (interpolation == Interpolation.BILINEAR) {
      return tf.image.resizeBilinear(input, tf.constant(new int[] {height, width}),
          ResizeBilinear.halfPixelCenters(true));
    }
    // Repeating each pixel: (b, h, 1, w, 1, c) tiled to (b, h, fh, w, fw, c), then merged.
    Operand<TFloat32> expanded = tf.reshape(input,
        tf.constant(new long[] {-1, shape.get(1), 1, shape.get(2), 1, shape.get(3)}));
    Operand<TFloat32> tiled = tf.tile(expanded,
        tf.constant(new long[] {1, 1, size.height(), 1, size.width(), 1}));
    return tf.reshape(tiled, tf.constant(new long[] {-1, height, width, shape.get(3)}));
  }
}
