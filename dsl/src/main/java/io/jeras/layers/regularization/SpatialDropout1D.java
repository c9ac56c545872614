package io.jeras.layers.regularization;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code SpatialDropout1D}: Dropout with each channel of a sequence kept or dropped for all steps at once (neighbouring steps are correlated, so dropping single values regularizes little); kept channels are scaled by {@code 1 /
 * (1 - rate)}. Input {@code (batch, steps, channels)}; in inference it passes the input through.
 *
 * <pre>{@code
 * SpatialDropout1D.of(0.2)
 * }</pre>
 */
public final class SpatialDropout1D extends Layer<SpatialDropout1D> {
  private final double rate;
  private final Long seed;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private SpatialDropout1D(LayerOptions options, double rate, Long seed) {
    super(options);
    this.rate = rate;
    this.seed = seed;
  }

  /** Drops channels with probability {@code rate}, which must lie in [0, 1]. */
  public static SpatialDropout1D of(double rate) {
    Dropout.of(rate); // Keras' check of the rate
    return new SpatialDropout1D(null, rate, null);
  }

  /** Fixes this layer's random masks (otherwise they follow the model's seed). */
  public SpatialDropout1D seed(long seed) {
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
  protected SpatialDropout1D withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() == 3, "SpatialDropout1D expects 3-D input (batch, steps, channels),"
        + " got rank %s", input.numDimensions());
    return input;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    Dropout dropout = Dropout.of(rate).noiseShape(null, 1, null);
    return (seed == null ? dropout : dropout.seed(seed)).call(context, input);
  }
}
