package io.jeras.layers.preprocessing;

import io.jeras.layers.CallContext;
import io.jeras.layers.LayerOptions;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code RandomBrightness}: each training image brightened or darkened by adding a value
 * drawn from {@code factor} x the width of the value range (one number f: [-f, f]), then
 * clipped to the value range [0, 255].
 *
 * <pre>{@code
 * RandomBrightness.of(0.2)
 * }</pre>
 */
public final class RandomBrightness extends RandomImageLayer<RandomBrightness> {
  private final double[] factor;
  private final double[] valueRange;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private RandomBrightness(LayerOptions options, Long seed, double[] factor,
      double[] valueRange) {
    super(options, seed);
    this.factor = factor;
    this.valueRange = valueRange;
  }

  public static RandomBrightness of(double... factor) {
    return new RandomBrightness(null, null, range(factor), new double[] {0, 255});
  }

  /** The range of pixel values (default [0, 255]). */
  public RandomBrightness valueRange(double low, double high) {
    return toBuilder().valueRange(new double[] {low, high}).build();
  }

  public RandomBrightness seed(long seed) {
    return toBuilder().seed(seed).build();
  }


  /** The range of brightness changes. */
  public double[] factor() {
    return factor.clone();
  }

  /** The range of pixel values. */
  public double[] valueRange() {
    return valueRange.clone();
  }
  @Override
  protected RandomBrightness withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Operand<TFloat32> transform(CallContext context, Operand<TFloat32> images) {
    Ops tf = context.tf();
    double width = valueRange[1] - valueRange[0];
    Operand<TFloat32> delta = uniform(context, images, factor[0] * width, factor[1] * width, 1,
        false);
    return tf.clipByValue(tf.math.add(images, delta), tf.constant((float) valueRange[0]),
        tf.constant((float) valueRange[1]));
  }
}
