package io.jeras.layers.regularization;

import io.jeras.layers.LayerOptions;
import lombok.AccessLevel;
import lombok.Builder;

/**
 * Keras' {@code SpatialDropout2D}: Dropout with each feature map (channel) of a {@code (batch, height, width, channels)} image kept or dropped whole (see {@link SpatialDropout}).
 *
 * <pre>{@code
 * SpatialDropout2D.of(0.2)
 * }</pre>
 */
public final class SpatialDropout2D extends SpatialDropout<SpatialDropout2D> {

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private SpatialDropout2D(LayerOptions options, double rate, Long seed) {
    super(options, rate, seed);
  }

  /** Drops channels with probability {@code rate}, which must lie in [0, 1]. */
  public static SpatialDropout2D of(double rate) {
    return new SpatialDropout2D(null, rate, null);
  }

  @Override
  protected int rank() {
    return 4;
  }

  @Override
  protected SpatialDropout2D withSeed(long seed) {
    return toBuilder().seed(seed).build();
  }

  @Override
  protected SpatialDropout2D withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }
}
