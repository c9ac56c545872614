package io.jeras.layers.preprocessing;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.LayerOptions;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code RandomContrast}: each training image's contrast scaled by a factor drawn from
 * [1 - lower, 1 + upper] ({@code factor} f: [1 - f, 1 + f]): {@code (x - mean) * c + mean}
 * with the mean of each channel over the image, then clipped to the value range [0, 255].
 *
 * <pre>{@code
 * RandomContrast.of(0.2)
 * }</pre>
 */
public final class RandomContrast extends RandomImageLayer<RandomContrast> {
  private final double lower;
  private final double upper;
  private final double[] valueRange;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private RandomContrast(LayerOptions options, Long seed, double lower, double upper,
      double[] valueRange) {
    super(options, seed);
    checkArgument(lower >= 0 && upper >= 0 && lower <= 1,
        "The `factor` argument should be a number (or a list of two numbers) in the range"
            + " [0.0, 1.0]. Received: factor=(%s, %s)", lower, upper);
    this.lower = lower;
    this.upper = upper;
    this.valueRange = valueRange;
  }

  /** One number f: [1 - f, 1 + f]; two: [1 - lower, 1 + upper]. */
  public static RandomContrast of(double... factor) {
    checkArgument(factor.length == 1 || factor.length == 2, "factor takes one or two numbers");
    return new RandomContrast(null, null, factor[0], factor.length == 1 ? factor[0] : factor[1],
        new double[] {0, 255});
  }

  /** The range outputs are clipped to (default [0, 255]). */
  public RandomContrast valueRange(double low, double high) {
    return toBuilder().valueRange(new double[] {low, high}).build();
  }

  public RandomContrast seed(long seed) {
    return toBuilder().seed(seed).build();
  }


  /** The range of contrast changes, {@code [lower, upper]}. */
  public double[] factor() {
    return new double[] {lower, upper};
  }

  /** The range of pixel values. */
  public double[] valueRange() {
    return valueRange.clone();
  }
  @Override
  protected RandomContrast withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Operand<TFloat32> transform(CallContext context, Operand<TFloat32> images) {
    Ops tf = context.tf();
    Operand<TFloat32> factor = uniform(context, images, 1 - lower, 1 + upper, 1, false);
    Operand<TFloat32> mean = tf.math.mean(images, tf.constant(new int[] {1, 2}),
        Mean.keepDims(true));
    Operand<TFloat32> adjusted = tf.math.add(tf.math.mul(tf.math.sub(images, mean), factor),
        mean);
    return tf.clipByValue(adjusted, tf.constant((float) valueRange[0]),
        tf.constant((float) valueRange[1]));
  }
}
