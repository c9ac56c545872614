package io.jeras.layers.preprocessing;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.LayerOptions;
import java.util.Arrays;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Keras' {@code RandomErasing} (Zhong et al., "Random Erasing Data Augmentation"): in training,
 * a random rectangle of some images is overwritten. As Keras 3 does it, per image:
 * <ul>
 *   <li>the probability of erasing is drawn from [factor lower, factor upper] (one number f
 *       means [0, f], so the default 1.0 erases half of the images on average), and the image
 *       is erased when a uniform draw falls below it;</li>
 *   <li>the rectangle's width and height are {@code sqrt(u)} of the image's, each {@code u}
 *       drawn from {@code scale} (default [0.02, 0.33]), its corner uniform over the positions
 *       where it fits;</li>
 *   <li>erased pixels take {@code fillValue}, or without one (the default) a normal draw times
 *       the value range's upper end; either way clipped to the value range (default [0,
 *       255]).</li>
 * </ul>
 *
 * <pre>{@code
 * RandomErasing.of(1.0).valueRange(0, 1)
 * }</pre>
 */
public final class RandomErasing extends RandomImageLayer<RandomErasing> {
  private final double[] factor;
  private final double[] scale;
  private final Double fillValue;
  private final double[] valueRange;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private RandomErasing(LayerOptions options, Long seed, double[] factor, double[] scale,
      Double fillValue, double[] valueRange) {
    super(options, seed);
    this.factor = bounded("factor", factor);
    this.scale = bounded("scale", scale);
    checkArgument(valueRange[0] < valueRange[1],
        "value_range must be [low, high] with low < high, got [%s, %s]", valueRange[0],
        valueRange[1]);
    this.fillValue = fillValue;
    this.valueRange = valueRange;
  }

  /** Keras' defaults: factor 1.0, scale [0.02, 0.33], a random fill, value range [0, 255]. */
  public static RandomErasing of() {
    return of(1.0);
  }

  /** One number f: an erasing probability drawn from [0, f]; two: from [lower, upper]. */
  public static RandomErasing of(double... factor) {
    return new RandomErasing(null, null, factor, new double[] {0.02, 0.33}, null,
        new double[] {0, 255});
  }

  /** The range of the rectangle's area share per side, squared (Keras' {@code scale}). */
  public RandomErasing scale(double... scale) {
    return toBuilder().scale(scale).build();
  }

  /** A constant for the erased pixels instead of random values. */
  public RandomErasing fillValue(double value) {
    return toBuilder().fillValue(value).build();
  }

  /** The range the images' values lie in (default [0, 255]). */
  public RandomErasing valueRange(double low, double high) {
    return toBuilder().valueRange(new double[] {low, high}).build();
  }

  public RandomErasing seed(long seed) {
    return toBuilder().seed(seed).build();
  }


  /** The range of the probability that an image gets a rectangle erased. */
  public double[] factor() {
    return factor.clone();
  }

  /** The range of the erased area's share of the image. */
  public double[] scale() {
    return scale.clone();
  }

  /** The fill value, or null for random noise. */
  public Double fillValue() {
    return fillValue;
  }

  /** The range of pixel values. */
  public double[] valueRange() {
    return valueRange.clone();
  }
  @Override
  protected RandomErasing withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  /** Keras' reading of a factor in [0, 1]: f means [0, f]; (a, b) is sorted. */
  private static double[] bounded(String name, double... value) {
    boolean ok = (value.length == 1 || value.length == 2) && value[0] >= 0 && value[0] <= 1
        && value[value.length - 1] >= 0 && value[value.length - 1] <= 1;
    checkArgument(ok, "The `%s` argument should be a number (or a list of two numbers) in the"
        + " range [0, 1]. Received: %s=%s", name, name, Arrays.toString(value));
    return value.length == 1 ? new double[] {0, value[0]}
        : new double[] {Math.min(value[0], value[1]), Math.max(value[0], value[1])};
  }

  @Override
  protected Operand<TFloat32> transform(CallContext context, Operand<TFloat32> images) {
    Ops tf = context.tf();
    long[] shape = images.shape().asArray();
    checkArgument(shape[1] > 0 && shape[2] > 0,
        "RandomErasing layer %s needs a known image height and width, got shape %s",
        displayName(), images.shape());
    float height = shape[1];
    float width = shape[2];
    Operand<TBool> inWidth = span(tf, context, images, width, 1, 2, 1);
    Operand<TBool> inHeight = span(tf, context, images, height, 3, 4, 0);
    Operand<TFloat32> erased = tf.dtypes.cast(tf.math.logicalAnd(inWidth, inHeight), // (b,h,w,1)
        TFloat32.class);
    Operand<TFloat32> probability = uniform(context, images, factor[0], factor[1], 5, false);
    Operand<TFloat32> draw = uniform(context, images, 0, 1, 6, false);
    Operand<TFloat32> mask = tf.math.mul(erased,
        tf.dtypes.cast(tf.math.less(draw, probability), TFloat32.class));
    Operand<TFloat32> fill = tf.clipByValue(fill(tf, context, images),
        tf.constant((float) valueRange[0]), tf.constant((float) valueRange[1]));
    return tf.math.add(images, tf.math.mul(mask, tf.math.sub(fill, images)));
  }

  /**
   * Where the rectangle lies along one axis of {@code length} pixels, as a boolean of shape
   * (batch, h, 1, 1) or (batch, 1, w, 1): the pixels whose index is in [start, start + size).
   */
  private Operand<TBool> span(Ops tf, CallContext context,
      Operand<TFloat32> images, float length, int sizeSalt, int startSalt, int axis) {
    Operand<TFloat32> size = tf.math.mul(
        tf.math.sqrt(uniform(context, images, scale[0], scale[1], sizeSalt, false)),
        tf.constant(length));
    Operand<TFloat32> start = tf.math.mul(uniform(context, images, 0, 1, startSalt, false),
        tf.math.sub(tf.constant(length), size));
    long[] gridShape = axis == 0 ? new long[] {1, (long) length, 1, 1}
        : new long[] {1, 1, (long) length, 1};
    Operand<TFloat32> grid = tf.reshape(tf.range(tf.constant(0f), tf.constant(length),
        tf.constant(1f)), tf.constant(gridShape));
    return tf.math.logicalAnd(tf.math.greaterEqual(grid, start),
        tf.math.less(grid, tf.math.add(start, size)));
  }

  private Operand<TFloat32> fill(Ops tf, CallContext context, Operand<TFloat32> images) {
    if (fillValue != null) {
      return tf.constant(fillValue.floatValue());
    }
    long opSeed = opSeed(context, 7);
    Operand<TFloat32> normal = tf.random.randomStandardNormal(tf.shape(images, TInt64.class),
        TFloat32.class, RandomStandardNormal.seed(opSeed),
        RandomStandardNormal.seed2(opSeed >>> 1));
    return tf.math.mul(normal, tf.constant((float) valueRange[1]));
  }
}
