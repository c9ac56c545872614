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
 * Keras' {@code RandomTranslation}: each training image shifted by fractions of its height and
 * width drawn from the two factors (one number f means [-f, f]). Fill mode {@code reflect}.
 *
 * <pre>{@code
 * RandomTranslation.of(0.1, 0.1)
 * }</pre>
 */
public final class RandomTranslation extends AffineImageLayer<RandomTranslation> {
  private final double[] height;
  private final double[] width;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private RandomTranslation(LayerOptions options, Long seed, double[] height, double[] width,
      String fillMode, String interpolation, double fillValue) {
    super(options, seed, fillMode, interpolation, fillValue);
    this.height = height;
    this.width = width;
  }

  /** Shifts up to {@code heightFactor} of the height and {@code widthFactor} of the width. */
  public static RandomTranslation of(double heightFactor, double widthFactor) {
    return new RandomTranslation(null, null, range(heightFactor), range(widthFactor), "reflect",
        "bilinear", 0);
  }

  /** Shifts drawn from [lower, upper] fractions of each side. */
  public static RandomTranslation of(double[] heightFactor, double[] widthFactor) {
    return new RandomTranslation(null, null, range(heightFactor), range(widthFactor), "reflect",
        "bilinear", 0);
  }

  public RandomTranslation fillMode(String mode) {
    return toBuilder().fillMode(mode).build();
  }

  /** How pixels are sampled: bilinear (Keras' default) or nearest. */
  public RandomTranslation interpolation(String method) {
    return toBuilder().interpolation(method).build();
  }

  public RandomTranslation fillValue(double value) {
    return toBuilder().fillValue(value).build();
  }

  public RandomTranslation seed(long seed) {
    return toBuilder().seed(seed).build();
  }


  /** The range of vertical shifts, as fractions of the height. */
  public double[] heightFactor() {
    return height.clone();
  }

  /** The range of horizontal shifts, as fractions of the width. */
  public double[] widthFactor() {
    return width.clone();
  }
  @Override
  protected RandomTranslation withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Operand<TFloat32> matrices(CallContext context, Operand<TFloat32> images,
      float imageHeight, float imageWidth) {
    Ops tf = context.tf();
    Operand<TFloat32> dy = tf.math.mul(uniform(context, images, height[0], height[1], 1, true),
        tf.constant(imageHeight));
    Operand<TFloat32> dx = tf.math.mul(uniform(context, images, width[0], width[1], 2, true),
        tf.constant(imageWidth));
    Operand<TFloat32> one = tf.onesLike(dx);
    Operand<TFloat32> zero = tf.zerosLike(dx);
    return rows(tf, List.of(one, zero, tf.math.neg(dx), zero, one, tf.math.neg(dy), zero, zero));
  }
}
