package io.jeras.layers.preprocessing;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code CenterCrop}: the central {@code height x width} window of each image, in
 * training and inference. An image smaller than the window is first cut to the window's
 * aspect ratio and resized to it (Keras' {@code smart_resize}).
 *
 * <pre>{@code
 * CenterCrop.of(224, 224)
 * }</pre>
 */
public final class CenterCrop extends Layer<CenterCrop> {
  private final int height;
  private final int width;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private CenterCrop(LayerOptions options, int height, int width) {
    super(options);
    checkArgument(height > 0 && width > 0, "CenterCrop needs a positive size, got %sx%s",
        height, width);
    this.height = height;
    this.width = width;
  }

  public static CenterCrop of(int height, int width) {
    return new CenterCrop(null, height, width);
  }


  public int height() {
    return height;
  }

  public int width() {
    return width;
  }
  @Override
  protected CenterCrop withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() == 4 && input.get(1) > 0 && input.get(2) > 0,
        "CenterCrop expects 4-D input (batch, height, width, channels) of known size, got %s",
        input);
    return Shape.of(input.get(0), height, width, input.get(3));
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    Ops tf = context.tf();
    long inHeight = input.shape().get(1);
    long inWidth = input.shape().get(2);
    if (inHeight >= height && inWidth >= width) {
      return crop(tf, input, (inHeight - height) / 2, (inWidth - width) / 2, height, width);
    }
    return Resizing.resize(tf, cropToAspect(tf, input, height, width), height, width,
        "bilinear");
  }

  /** Keras' {@code smart_resize} crop: the largest centred window of the target's aspect. */
  static Operand<TFloat32> cropToAspect(Ops tf, Operand<TFloat32> images, int height,
      int width) {
    long inHeight = images.shape().get(1);
    long inWidth = images.shape().get(2);
    long cropHeight = Math.max(Math.min(inHeight, (long) ((double) inWidth * height / width)), 1);
    long cropWidth = Math.max(Math.min(inWidth, (long) ((double) inHeight * width / height)), 1);
    return crop(tf, images, (long) ((inHeight - cropHeight) / 2.0),
        (long) ((inWidth - cropWidth) / 2.0), cropHeight, cropWidth);
  }

  private static Operand<TFloat32> crop(Ops tf, Operand<TFloat32> images, long top, long left,
      long height, long width) {
    return tf.slice(images, tf.constant(new long[] {0, top, left, 0}),
        tf.constant(new long[] {-1, height, width, -1}));
  }
}
