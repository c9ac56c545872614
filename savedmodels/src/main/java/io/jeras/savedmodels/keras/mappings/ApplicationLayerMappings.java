package io.jeras.savedmodels.keras.mappings;

import io.jeras.applications.convnext.LayerScale;
import io.jeras.applications.convnext.StochasticDepth;
import io.jeras.applications.inceptionresnetv2.CustomScaleLayer;
import java.util.List;

/**
 * Layers that {@code keras.applications} defines in its own modules: ConvNeXt's
 * {@code LayerScale} and {@code StochasticDepth}, InceptionResNetV2's {@code CustomScaleLayer}.
 */
final class ApplicationLayerMappings {
  private static final String CONVNEXT = "keras.src.applications.convnext";
  private static final String INCEPTION_RESNET_V2 = "keras.src.applications.inception_resnet_v2";

  private ApplicationLayerMappings() {}

  static List<LayerMapping> all() {
    return List.of(
        new Mapping<>("LayerScale", LayerScale.class, CONVNEXT,
            c -> LayerScale.of(c.number("init_values", 1e-6), c.integer("projection_dim")),
            (layer, c) -> {
              c.put("init_values", layer.initValues());
              c.put("projection_dim", layer.projectionDim());
            }),
        new Mapping<>("StochasticDepth", StochasticDepth.class, CONVNEXT, c -> {
          StochasticDepth layer = StochasticDepth.of(c.number("drop_path_rate", 0));
          return c.has("seed") ? layer.seed(c.node("seed").asLong()) : layer;
        }, (layer, c) -> c.put("drop_path_rate", layer.dropPathRate())),
        new Mapping<>("CustomScaleLayer", CustomScaleLayer.class, INCEPTION_RESNET_V2,
            c -> CustomScaleLayer.of(c.number("scale", 1)),
            (layer, c) -> c.put("scale", layer.scale())));
  }
}
