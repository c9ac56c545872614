package io.jeras.savedmodels.keras.mappings;

import io.jeras.layers.activations.ELU;
import io.jeras.layers.activations.LeakyReLU;
import io.jeras.layers.activations.ReLU;
import io.jeras.layers.activations.Softmax;
import java.util.List;

/** Keras' activation layers with options: {@code ReLU}, {@code LeakyReLU}, {@code ELU}, ... */
final class ActivationLayerMappings {
  private ActivationLayerMappings() {}

  static List<LayerMapping> all() {
    return List.of(
        Mapping.of(ReLU.class, c -> {
          ReLU relu = ReLU.of().negativeSlope(c.number("negative_slope", 0))
              .threshold(c.number("threshold", 0));
          return c.has("max_value") ? relu.maxValue(c.number("max_value", 0)) : relu;
        }, (layer, c) -> {
          if (layer.maxValue() == null) {
            c.putNull("max_value");
          } else {
            c.put("max_value", layer.maxValue());
          }
          c.put("negative_slope", layer.negativeSlope());
          c.put("threshold", layer.threshold());
        }),
        // Keras 2 named the slope "alpha"
        Mapping.of(LeakyReLU.class, c -> LeakyReLU.of(c.number("negative_slope",
                c.number("alpha", LeakyReLU.DEFAULT_NEGATIVE_SLOPE))),
            (layer, c) -> c.put("negative_slope", layer.negativeSlope())),
        Mapping.of(ELU.class, c -> ELU.of(c.number("alpha", 1.0)),
            (layer, c) -> c.put("alpha", layer.alpha())),
        Mapping.of(Softmax.class, c -> Softmax.of(c.integer("axis", -1)),
            (layer, c) -> c.put("axis", layer.axis())));
  }
}
