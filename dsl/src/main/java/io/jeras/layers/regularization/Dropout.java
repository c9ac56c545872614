package io.jeras.layers.regularization;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Dropout}: in training, each input unit is set to 0 with probability
 * {@code rate} and the kept units are scaled by {@code 1 / (1 - rate)} (inverted dropout); in
 * evaluation and prediction it is the identity. No weights.
 *
 * <pre>{@code
 * Dropout.of(0.5)
 * }</pre>
 */
public final class Dropout extends Layer<Dropout> {
  private final double rate;
  private final Long seed;

  private Dropout(LayerOptions options, double rate, Long seed) {
    super(options);
    this.rate = rate;
    this.seed = seed;
  }

  /** Drops units with probability {@code rate}, which must lie in [0, 1]. */
  public static Dropout of(double rate) {
    checkArgument(rate >= 0 && rate <= 1,
        "Invalid value received for argument `rate`. Expected a float value between 0 and 1."
            + " Received: rate=%s", rate);
    return new Dropout(null, rate, null);
  }

  /** Fixes this layer's random masks (otherwise they follow the model's seed). */
  public Dropout seed(long seed) {
    return new Dropout(options, rate, seed);
  }

  public double rate() {
    return rate;
  }

  @Override
  protected Dropout withOptions(LayerOptions options) {
    return new Dropout(options, rate, seed);
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
    if (rate == 1) {
      return tf.zerosLike(input);
    }
    long opSeed = seed != null ? seed : context.seed();
    Operand<TFloat32> random = tf.random.randomUniform(tf.shape(input), TFloat32.class,
        RandomUniform.seed(opSeed), RandomUniform.seed2(opSeed >>> 1));
    Operand<TFloat32> keep = tf.dtypes.cast(
        tf.math.greaterEqual(random, tf.constant((float) rate)), TFloat32.class);
    return tf.math.mul(input, tf.math.mul(keep, tf.constant((float) (1 / (1 - rate)))));
  }
}
