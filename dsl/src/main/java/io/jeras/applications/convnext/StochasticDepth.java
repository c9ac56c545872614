package io.jeras.applications.convnext;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * ConvNeXt's {@code StochasticDepth} ({@code keras.src.applications.convnext.StochasticDepth}):
 * in training, each sample's whole input (a residual branch) is dropped with probability
 * {@code dropPathRate} and kept samples are divided by {@code 1 - dropPathRate}; in evaluation
 * and prediction it is the identity. No weights.
 *
 * <p>Computed as Keras does: {@code x / keep * floor(keep + u)} with {@code u} uniform in [0, 1)
 * drawn once per sample. The random draws follow the model's seed ({@link CallContext#seed()})
 * unless {@link #seed(long)} fixes them; they are not Keras' draws. A rate of 1 gives zeros
 * (Keras divides by 0 there and returns NaN).
 *
 * <pre>{@code
 * StochasticDepth.of(0.1)
 * }</pre>
 */
public final class StochasticDepth extends Layer<StochasticDepth> {
  private final double dropPathRate;
  private final Long seed;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private StochasticDepth(LayerOptions options, double dropPathRate, Long seed) {
    super(options);
    this.dropPathRate = dropPathRate;
    this.seed = seed;
  }

  /** Drops samples with probability {@code dropPathRate}, which must lie in [0, 1]. */
  public static StochasticDepth of(double dropPathRate) {
    checkArgument(dropPathRate >= 0 && dropPathRate <= 1, "Invalid value received for argument"
        + " `drop_path_rate`. Expected a float value between 0 and 1. Received:"
        + " drop_path_rate=%s", dropPathRate);
    return new StochasticDepth(null, dropPathRate, null);
  }

  /** Fixes this layer's random draws (otherwise they follow the model's seed). */
  public StochasticDepth seed(long seed) {
    return toBuilder().seed(seed).build();
  }

  /** The probability of dropping a sample's path. */
  public double dropPathRate() {
    return dropPathRate;
  }

  /** This layer's own seed, or null when it follows the model's seed. */
  public Long seed() {
    return seed;
  }

  @Override
  protected StochasticDepth withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    return input;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    if (!context.training() || dropPathRate == 0) {
      return input;
    }
    Ops tf = context.tf();
    if (dropPathRate == 1) {
      return tf.zerosLike(input);
    }
    int rank = input.shape().numDimensions();
    int[] ones = new int[rank - 1];
    java.util.Arrays.fill(ones, 1);
    // (batch, 1, ..., 1): one draw per sample
    Operand<TInt32> shape = tf.concat(java.util.List.of(tf.slice(tf.shape(input),
        tf.constant(new int[] {0}), tf.constant(new int[] {1})), tf.constant(ones)),
        tf.constant(0));
    long opSeed = seed != null ? seed : context.seed();
    Operand<TFloat32> uniform = tf.random.randomUniform(shape, TFloat32.class,
        RandomUniform.seed(opSeed), RandomUniform.seed2(opSeed >>> 1));
    Operand<TFloat32> keep = tf.constant((float) (1 - dropPathRate));
    Operand<TFloat32> mask = tf.math.floor(tf.math.add(keep, uniform));
    return tf.math.mul(tf.math.div(input, keep), mask);
  }
}
