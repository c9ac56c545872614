package io.jeras.savedmodels.keras.mappings;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jeras.layers.Layer;
import io.jeras.savedmodels.keras.LayerConfig;

/**
 * A {@link Mapping} with more of {@link LayerMapping}'s hooks answered: the config is read and
 * written by the wrapped mapping, a subclass overrides where the weights sit, how the layer is
 * called or built.
 */
abstract class MappingWrapper implements LayerMapping {
  private final LayerMapping mapping;

  MappingWrapper(LayerMapping mapping) {
    this.mapping = mapping;
  }

  @Override
  public String kerasClass() {
    return mapping.kerasClass();
  }

  @Override
  public Class<?> layerClass() {
    return mapping.layerClass();
  }

  @Override
  public String kerasModule() {
    return mapping.kerasModule();
  }

  @Override
  public Layer<?> read(LayerConfig config) {
    return mapping.read(config);
  }

  @Override
  public void write(Layer<?> layer, ObjectNode config) {
    mapping.write(layer, config);
  }
}
