package io.jeras.applications;

import io.jeras.layers.Layer;
import java.util.HashMap;
import java.util.Map;

/**
 * Keras' automatic names as a fresh Python session gives them while an application is built:
 * a layer created without a name is called after its class ({@code conv2d}), then {@code
 * conv2d_1}, ..., counted per prefix in the order the layers are created (Keras'
 * {@code auto_name}); named layers do not count. Operations on tensors ({@code x + 3.0}) are
 * counted the same way under their operation's name ({@code add}, {@code multiply}).
 *
 * <p>Jeras' own automatic names follow the model's layer order instead, which differs from the
 * creation order in branching networks (Inception), so the applications name every layer here.
 */
final class KerasNames {
  private final Map<String, Integer> uids = new HashMap<>();

  /** The next automatic name for {@code prefix}. */
  String auto(String prefix) {
    int n = uids.merge(prefix, 1, Integer::sum) - 1;
    return n == 0 ? prefix : prefix + "_" + n;
  }

  /** {@code layer} named {@code name}, or automatically after its class when name is null. */
  <L extends Layer<L>> L name(L layer, String name) {
    return layer.name(name != null ? name : auto(layer.autoNamePrefix()));
  }

  /** {@code layer} named automatically after its class. */
  <L extends Layer<L>> L auto(L layer) {
    return name(layer, null);
  }
}
