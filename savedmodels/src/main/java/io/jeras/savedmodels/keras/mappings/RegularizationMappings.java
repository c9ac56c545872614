package io.jeras.savedmodels.keras.mappings;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jeras.layers.regularization.Dropout;
import io.jeras.layers.regularization.GaussianDropout;
import io.jeras.layers.regularization.GaussianNoise;
import io.jeras.layers.regularization.SpatialDropout1D;
import io.jeras.layers.regularization.SpatialDropout2D;
import io.jeras.savedmodels.keras.LayerConfig;
import java.util.List;

/**
 * Keras' regularization layers: {@code Dropout}, {@code SpatialDropout1D}/{@code 2D}, {@code
 * GaussianDropout}, {@code GaussianNoise}.
 */
final class RegularizationMappings {
  private RegularizationMappings() {}

  static List<LayerMapping> all() {
    return List.of(
        Mapping.of(Dropout.class, c -> {
          Dropout dropout = Dropout.of(c.number("rate", 0));
          long[] noiseShape = c.dims("noise_shape");
          if (noiseShape != null) {
            Integer[] dims = new Integer[noiseShape.length];
            for (int i = 0; i < dims.length; i++) {
              dims[i] = noiseShape[i] < 0 ? null : Math.toIntExact(noiseShape[i]);
            }
            dropout = dropout.noiseShape(dims);
          }
          return c.has("seed") ? dropout.seed(c.node("seed").asLong()) : dropout;
        }, (layer, c) -> {
          c.put("rate", layer.rate());
          if (layer.seed() == null) {
            c.putNull("seed");
          } else {
            c.put("seed", layer.seed());
          }
          if (layer.noiseShape() == null) {
            c.putNull("noise_shape");
          } else {
            var dims = c.putArray("noise_shape");
            layer.noiseShape().forEach(d -> {
              if (d == null) {
                dims.addNull();
              } else {
                dims.add(d);
              }
            });
          }
        }),
        Mapping.of(SpatialDropout1D.class, c -> {
          SpatialDropout1D dropout = SpatialDropout1D.of(c.number("rate", 0));
          return seed(c) == null ? dropout : dropout.seed(seed(c));
        }, (layer, c) -> {
          rateAndSeed(layer.rate(), layer.seed(), c);
          c.remove("trainable"); // Keras 3.8's SpatialDropout takes no trainable flag
        }),
        Mapping.of(SpatialDropout2D.class, c -> {
          c.expect("data_format", "channels_last", null);
          SpatialDropout2D dropout = SpatialDropout2D.of(c.number("rate", 0));
          return seed(c) == null ? dropout : dropout.seed(seed(c));
        }, (layer, c) -> {
          rateAndSeed(layer.rate(), layer.seed(), c);
          c.put("data_format", "channels_last");
          c.remove("trainable");
        }),
        Mapping.of(GaussianDropout.class, c -> {
          GaussianDropout dropout = GaussianDropout.of(c.number("rate", 0));
          return seed(c) == null ? dropout : dropout.seed(seed(c));
        }, (layer, c) -> rateAndSeed(layer.rate(), layer.seed(), c)),
        Mapping.of(GaussianNoise.class, c -> {
          GaussianNoise noise = GaussianNoise.of(c.number("stddev", 0));
          return seed(c) == null ? noise : noise.seed(seed(c));
        }, (layer, c) -> {
          c.put("stddev", layer.stddev());
          if (layer.seed() == null) {
            c.putNull("seed");
          } else {
            c.put("seed", layer.seed());
          }
        }));
  }

  /** Keras' {@code seed}: null when absent or None. */
  private static Long seed(LayerConfig c) {
    return c.has("seed") && !c.node("seed").isNull() ? c.node("seed").asLong() : null;
  }

  private static void rateAndSeed(double rate, Long seed, ObjectNode c) {
    c.put("rate", rate);
    if (seed == null) {
      c.putNull("seed");
    } else {
      c.put("seed", seed);
    }
  }
}
