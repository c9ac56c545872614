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
 * Keras' {@code GaussianDropout}: in training, every value multiplied by Gaussian noise of mean
 * 1 and standard deviation {@code sqrt(rate / (1 - rate))} (multiplicative noise with the
 * variance of Dropout at that rate, and no zeros); in inference the input passes through.
 *
 * <pre>{@code
 * GaussianDropout.of(0.2)
 * }</pre>
 */
public final class GaussianDropout extends Layer<GaussianDropout> {
  private final double rate;
  private final Long seed;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private GaussianDropout(LayerOptions options, double rate, Long seed) {
    super(options);
    this.rate = rate;
    this.seed = seed;
  }

  /** Noise of Dropout's variance at {@code rate}, which must lie in [0, 1). */
  public static GaussianDropout of(double rate) {
    checkArgument(rate >= 0 && rate < 1, "Invalid value received for argument `rate`. Expected"
        + " a float value in [0, 1) (at 1 the noise's deviation is infinite). Received: rate=%s",
        rate);
    return new GaussianDropout(null, rate, null);
  }

  /** Fixes this layer's noise (otherwise it follows the model's seed). */
  public GaussianDropout seed(long seed) {
    return toBuilder().seed(seed).build();
  }

  public double rate() {
    return rate;
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
  protected GaussianDropout withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    return input;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    if (!context.training() || rate == 0) {
      return input;
    }
    var tf = context.tf();
    long opSeed = seed != null ? seed : context.seed();
    // (a constant to the gradients: TensorFlow has no gradient for the random op)
    Operand<TFloat32> noise = tf.stopGradient(tf.random.randomStandardNormal(tf.shape(input),
        TFloat32.class, RandomStandardNormal.seed(opSeed),
        RandomStandardNormal.seed2(opSeed >>> 1)));
    float stddev = (float) Math.sqrt(rate / (1 - rate));
    return tf.math.mul(input, tf.math.add(tf.constant(1f),
        tf.math.mul(noise, tf.constant(stddev))));
  }
}
