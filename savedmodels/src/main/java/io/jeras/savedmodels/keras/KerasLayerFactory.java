package io.jeras.savedmodels.keras;

import io.jeras.layers.Layer;

/**
 * A Java implementation of a Keras layer class Jeras does not know (a {@code Lambda}, a user's
 * own layer): Keras' {@code custom_objects}. It gets the layer's config and returns the Jeras
 * layer; its weights, in Keras' order, are then read from the file.
 *
 * <pre>{@code
 * Model model = KerasModels.loader()
 *     .customLayer("ScaledSum", config -> new ScaledSum(config.number("scale", 1.0)))
 *     .load(Path.of("model.keras"));
 * }</pre>
 */
@FunctionalInterface
public interface KerasLayerFactory {
  /** The layer for {@code config} (name and trainable flag are set by the loader). */
  Layer<?> create(LayerConfig config);
}
