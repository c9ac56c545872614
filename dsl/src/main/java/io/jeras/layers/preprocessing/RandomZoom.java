package io.jeras.layers.preprocessing;

import io.jeras.layers.CallContext;
import io.jeras.layers.LayerOptions;
import java.util.List;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code RandomZoom}: each training image zoomed about its centre by {@code 1 + f},
 * {@code f} drawn from the height factor (positive zooms out, negative in; one number f means
 * [-f, f]); the width follows the same draw unless it has a factor of its own. Fill mode
 * {@code reflect}.
 *
 * <pre>{@code
 * RandomZoom.of(0.2)
 * }</pre>
 */
public final class RandomZoom extends AffineImageLayer<RandomZoom> {
  private final double[] height;
  private final double[] width;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private RandomZoom(LayerOptions options, Long seed, double[] height, double[] width,
      String fillMode, String interpolation, double fillValue) {
    super(options, seed, fillMode, interpolation, fillValue);
    this.height = height;
    this.width = width;
  }

  /** Zoom drawn from {@code heightFactor} for both axes. */
  public static RandomZoom of(double... heightFactor) {
    return new RandomZoom(null, null, range(heightFactor), null, "reflect", "bilinear", 0);
  }

  /** A factor of its own for the width. */
  public RandomZoom widthFactor(double... factor) {
    return toBuilder().width(range(factor)).build();
  }

  public RandomZoom fillMode(String mode) {
    return toBuilder().fillMode(mode).build();
  }

  /** How pixels are sampled: bilinear (Keras' default) or nearest. */
  public RandomZoom interpolation(String method) {
    return toBuilder().interpolation(method).build();
  }

  public RandomZoom fillValue(double value) {
    return toBuilder().fillValue(value).build();
  }

  public RandomZoom seed(long seed) {
    return toBuilder().seed(seed).build();
  }


  /** The range of vertical zoom, {@code [lower, upper]}. */
  public double[] heightFactor() {
    return height.clone();
  }

  /** The range of horizontal zoom, or null to keep the aspect ratio. */
  public double[] widthFactor() {
    return width == null ? null : width.clone();
  }
  @Override
  protected RandomZoom withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Operand<TFloat32> matrices(CallContext context, Operand<TFloat32> images,
      float imageHeight, float imageWidth) {
    Ops tf = context.tf();
    Operand<TFloat32> zy = uniform(context, images, 1 + height[0], 1 + height[1], 1, true);
    Operand<TFloat32> zx = width == null ? zy
        : uniform(context, images, 1 + width[0], 1 + width[1], 2, true);
    Operand<TFloat32> one = tf.onesLike(zx);
    Operand<TFloat32> xOffset = tf.math.mul(tf.constant((imageWidth - 1f) / 2f),
        tf.math.sub(one, zx));
    Operand<TFloat32> yOffset = tf.math.mul(tf.constant((imageHeight - 1f) / 2f),
        tf.math.sub(one, zy));
    Operand<TFloat32> zero = tf.zerosLike(zx);
    return rows(tf, List.of(zx, zero, xOffset, zero, zy, yOffset, zero, zero));
  }
}
