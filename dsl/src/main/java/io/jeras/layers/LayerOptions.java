package io.jeras.layers;

import io.jeras.mixedprecision.DTypePolicy;
import lombok.With;
import org.tensorflow.ndarray.Shape;

/**
 * What every layer has: its name (null until a model names it), whether its weights train, the
 * sample shape of its input when it is a model's first layer (null otherwise), and whether it
 * always runs in inference mode (Keras' call argument {@code training=False}), and its dtype
 * policy (null in the defaults: a layer takes the global policy when it is built).
 */
@With
public record LayerOptions(String name, boolean trainable, Shape inputShape,
    boolean inferenceMode, DTypePolicy dtypePolicy) {
  static final LayerOptions DEFAULTS = new LayerOptions(null, true, null, false, null);

  /** The options of an unnamed input layer of {@code inputShape}. */
  public static LayerOptions input(Shape inputShape) {
    return DEFAULTS.withInputShape(inputShape);
  }
}
