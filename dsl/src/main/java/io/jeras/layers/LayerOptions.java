package io.jeras.layers;

import lombok.With;
import org.tensorflow.ndarray.Shape;

/**
 * What every layer has: its name (null until a model names it), whether its weights train, and
 * the sample shape of its input when it is a model's first layer (null otherwise).
 */
@With
public record LayerOptions(String name, boolean trainable, Shape inputShape) {
  static final LayerOptions DEFAULTS = new LayerOptions(null, true, null);
}
