package io.jeras.layers.preprocessing;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import java.util.Locale;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.op.image.ResizeNearestNeighbor;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Resizing}: images resized to {@code height x width} in training and inference
 * ({@code bilinear} by default, or {@code nearest}; half-pixel centres as {@code
 * tf.image.resize}). With {@code cropToAspectRatio} the largest centred window of the target's
 * aspect ratio is cut first, so nothing is stretched.
 *
 * <pre>{@code
 * Resizing.of(150, 150)
 * }</pre>
 */
public final class Resizing extends Layer<Resizing> {
  private final int height;
  private final int width;
  private final String interpolation;
  private final boolean cropToAspectRatio;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Resizing(LayerOptions options, int height, int width, String interpolation,
      boolean cropToAspectRatio) {
    super(options);
    checkArgument(height > 0 && width > 0, "Resizing needs a positive size, got %sx%s", height,
        width);
    String method = interpolation.toLowerCase(Locale.ROOT);
    checkArgument(method.equals("bilinear") || method.equals("nearest"),
        "Resizing supports interpolation \"bilinear\" or \"nearest\", got %s", interpolation);
    this.height = height;
    this.width = width;
    this.interpolation = method;
    this.cropToAspectRatio = cropToAspectRatio;
  }

  public static Resizing of(int height, int width) {
    return new Resizing(null, height, width, "bilinear", false);
  }

  public Resizing interpolation(String method) {
    return toBuilder().interpolation(method).build();
  }

  public Resizing cropToAspectRatio(boolean crop) {
    return toBuilder().cropToAspectRatio(crop).build();
  }


  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  /** The interpolation method. */
  public String interpolation() {
    return interpolation;
  }

  /** Whether the image is cropped to the target aspect ratio before resizing. */
  public boolean cropToAspectRatio() {
    return cropToAspectRatio;
  }
  @Override
  protected Resizing withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() == 4 && input.get(1) > 0 && input.get(2) > 0,
        "Resizing expects 4-D input (batch, height, width, channels) of known size, got %s",
        input);
    return Shape.of(input.get(0), height, width, input.get(3));
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    Operand<TFloat32> images = input;
    if (cropToAspectRatio) {
      images = CenterCrop.cropToAspect(context.tf(), images, height, width);
    }
    return resize(context.tf(), images, height, width, interpolation);
  }

  /** {@code tf.image.resize} without antialiasing. */
  static Operand<TFloat32> resize(Ops tf, Operand<TFloat32> images, int height, int width,
      String interpolation) {
    if (images.shape().get(1) == height && images.shape().get(2) == width) {
      return images;
    }
    var size = tf.constant(new int[] {height, width});
    return interpolation.equals("nearest")
        ? tf.image.resizeNearestNeighbor(images, size,
            ResizeNearestNeighbor.halfPixelCenters(true))
        : tf.image.resizeBilinear(images, size, ResizeBilinear.halfPixelCenters(true));
  }
}
