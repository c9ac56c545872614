package io.jeras.savedmodels.keras.mappings;

import io.jeras.layers.regularization.Dropout;
import java.util.List;

/** Keras' regularization layers: {@code Dropout}. */
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
        }));
  }
}
