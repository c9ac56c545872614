package io.jeras.layers.regularization;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code GaussianNoise}: in training, zero-centred Gaussian noise of standard deviation
 * {@code stddev} added to every value (a regularizer, and a data augmentation for real-valued
 * inputs); in inference the input passes through.
 *
 * <pre>{@code
 * GaussianNoise.of(0.1)
 * }</pre>
 */
public final class GaussianNoise extends Layer<GaussianNoise> {
  private final double stddev;
  private final Long seed;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private GaussianNoise(LayerOptions options, double stddev, Long seed) {
    super(options);
    this.stddev = stddev;
    this.seed = seed;
  }

  /** Noise of standard deviation {@code stddev} (at least 0). */
  public static GaussianNoise of(double stddev) {
    checkArgument(stddev >= 0 && Double.isFinite(stddev), "Invalid value received for argument"
        + " `stddev`. Expected a float value >= 0. Received: stddev=%s", stddev);
    return new GaussianNoise(null, stddev, null);
  }

  /** Fixes this layer's noise (otherwise it follows the model's seed). */
  public GaussianNoise seed(long seed) {
    return toBuilder().seed(seed).build();
  }

  public double stddev() {
    return stddev;
  }

  /** The fixed seed, or null. */
  public Long seed() {
    return seed;
  }

  /** Keras' {@code supports_masking}: the input's mask passes on. */
  @Override
  public boolean propagatesMask() {
    return true;
  }

  @Override
  protected GaussianNoise withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    return input;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    if (!context.training() || stddev == 0) {
      return input;
    }
    var tf = context.tf();
    long opSeed = seed != null ? seed : context.seed();
    // (a constant to the gradients: TensorFlow has no gradient for the random op)
    Operand<TFloat32> noise = tf.stopGradient(tf.random.randomStandardNormal(tf.shape(input),
        TFloat32.class, RandomStandardNormal.seed(opSeed),
        RandomStandardNormal.seed2(opSeed >>> 1)));
    return tf.math.add(input, tf.math.mul(noise, tf.constant((float) stddev)));
  }
}
