package io.jeras.layers.regularization;

import io.jeras.layers.LayerOptions;
import lombok.AccessLevel;
import lombok.Builder;

/**
 * Keras' {@code SpatialDropout1D}: Dropout with each channel of a {@code (batch, steps, channels)} sequence kept or dropped for all steps at once (see {@link SpatialDropout}).
 *
 * <pre>{@code
 * SpatialDropout1D.of(0.2)
 * }</pre>
 */
public final class SpatialDropout1D extends SpatialDropout<SpatialDropout1D> {

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private SpatialDropout1D(LayerOptions options, double rate, Long seed) {
    super(options, rate, seed);
  }

  /** Drops channels with probability {@code rate}, which must lie in [0, 1]. */
  public static SpatialDropout1D of(double rate) {
    return new SpatialDropout1D(null, rate, null);
  }

  @Override
  protected int rank() {
    return 3;
  }

  @Override
  protected SpatialDropout1D withSeed(long seed) {
    return toBuilder().seed(seed).build();
  }

  @Override
  protected SpatialDropout1D withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }
}
