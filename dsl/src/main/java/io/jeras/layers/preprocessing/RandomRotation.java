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
 * Keras' {@code RandomRotation}: each training image rotated about its centre by an angle
 * drawn from {@code factor} x 360 degrees ({@code factor} f means [-f, f] of a full turn);
 * counter-clockwise for positive angles as Keras draws them. Fill mode {@code reflect}.
 *
 * <pre>{@code
 * RandomRotation.of(0.1)       // up to 36 degrees either way
 * }</pre>
 */
public final class RandomRotation extends AffineImageLayer<RandomRotation> {
  private final double lower;
  private final double upper;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private RandomRotation(LayerOptions options, Long seed, double lower, double upper,
      String fillMode, String interpolation, double fillValue) {
    super(options, seed, fillMode, interpolation, fillValue);
    this.lower = lower;
    this.upper = upper;
  }

  /** Angles from {@code factor} (one number f: [-f, f]; two: [lower, upper]) of a full turn. */
  public static RandomRotation of(double... factor) {
    double[] bounds = range(factor);
    return new RandomRotation(null, null, bounds[0], bounds[1], "reflect", "bilinear", 0);
  }

  public RandomRotation fillMode(String mode) {
    return toBuilder().fillMode(mode).build();
  }

  public RandomRotation interpolation(String method) {
    return toBuilder().interpolation(method).build();
  }

  public RandomRotation fillValue(double value) {
    return toBuilder().fillValue(value).build();
  }

  public RandomRotation seed(long seed) {
    return toBuilder().seed(seed).build();
  }


  /** The range of rotations, as fractions of a full turn: {@code [lower, upper]}. */
  public double[] factor() {
    return new double[] {lower, upper};
  }
  @Override
  protected RandomRotation withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Operand<TFloat32> matrices(CallContext context, Operand<TFloat32> images,
      float height, float width) {
    Ops tf = context.tf();
    Operand<TFloat32> degrees = uniform(context, images, lower * 360, upper * 360, 1, true);
    Operand<TFloat32> angle = tf.math.mul(degrees, tf.constant((float) (Math.PI / 180.0)));
    Operand<TFloat32> cos = tf.math.cos(angle);
    Operand<TFloat32> sin = tf.math.sin(angle);
    Operand<TFloat32> cx = tf.constant(0.5f * (width - 1));
    Operand<TFloat32> cy = tf.constant(0.5f * (height - 1));
    Operand<TFloat32> a0 = cos;
    Operand<TFloat32> a1 = tf.math.neg(sin);
    Operand<TFloat32> a2 = tf.math.sub(tf.math.sub(cx, tf.math.mul(cx, a0)), tf.math.mul(cy, a1));
    Operand<TFloat32> b0 = sin;
    Operand<TFloat32> b1 = cos;
    Operand<TFloat32> b2 = tf.math.sub(tf.math.sub(cy, tf.math.mul(cx, b0)), tf.math.mul(cy, b1));
    Operand<TFloat32> zero = tf.zerosLike(cos);
    return rows(tf, List.of(a0, a1, a2, b0, b1, b2, zero, zero));
  }
}
