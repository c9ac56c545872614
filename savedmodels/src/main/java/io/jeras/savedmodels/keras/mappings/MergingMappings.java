package io.jeras.savedmodels.keras.mappings;

import io.jeras.layers.merging.Add;
import io.jeras.layers.merging.Average;
import io.jeras.layers.merging.Concatenate;
import io.jeras.layers.merging.Maximum;
import io.jeras.layers.merging.Minimum;
import io.jeras.layers.merging.Multiply;
import io.jeras.layers.merging.Subtract;
import java.util.List;

/** Keras' merge layers. */
final class MergingMappings {
  private MergingMappings() {}

  static List<LayerMapping> all() {
    return List.of(
        Mapping.of(Add.class, c -> Add.of(), (layer, c) -> { }),
        Mapping.of(Subtract.class, c -> Subtract.of(), (layer, c) -> { }),
        Mapping.of(Multiply.class, c -> Multiply.of(), (layer, c) -> { }),
        Mapping.of(Average.class, c -> Average.of(), (layer, c) -> { }),
        Mapping.of(Maximum.class, c -> Maximum.of(), (layer, c) -> { }),
        Mapping.of(Minimum.class, c -> Minimum.of(), (layer, c) -> { }),
        Mapping.of(Concatenate.class, c -> Concatenate.of(c.integer("axis", -1)),
            (layer, c) -> c.put("axis", layer.axis())));
  }
}
