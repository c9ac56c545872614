package io.jeras.layers.regularization;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * What Keras' spatial dropouts share ({@code BaseSpatialDropout}): Dropout whose mask has one
 * decision per sample and channel, shared by all steps or pixels (neighbouring values are
 * correlated, so dropping single ones regularizes little); kept channels are scaled by {@code 1
 * / (1 - rate)}. In inference the input passes through.
 */
public abstract class SpatialDropout<L extends SpatialDropout<L>> extends Layer<L> {
  protected final double rate;
  protected final Long seed;

  protected SpatialDropout(LayerOptions options, double rate, Long seed) {
    super(options);
    Dropout.of(rate); // Keras' check of the rate
    this.rate = rate;
    this.seed = seed;
  }

  /** The input's rank: 3 for sequences, 4 for images. */
  protected abstract int rank();

  /** A copy with another seed. */
  protected abstract L withSeed(long seed);

  /** Fixes this layer's random masks (otherwise they follow the model's seed). */
  public L seed(long seed) {
    return withSeed(seed);
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
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() == rank(), "%s expects %s-D input %s, got rank %s",
        className(), rank(), rank() == 3 ? "(batch, steps, channels)"
            : "(batch, height, width, channels)", input.numDimensions());
    return input;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    // Dropout with noise shape (batch, 1, ..., 1, channels)
    Integer[] noise = new Integer[rank()];
    for (int i = 1; i < rank() - 1; i++) {
      noise[i] = 1;
    }
    Dropout dropout = Dropout.of(rate).noiseShape(noise);
    return (seed == null ? dropout : dropout.seed(seed)).call(context, input);
  }
}
