package io.jeras.savedmodels.keras.mappings;

import io.jeras.layers.Layer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every Keras layer class Jeras reads and writes, family by family. A layer class missing here
 * cannot be imported or exported; a test ties every Jeras layer class to its entry.
 */
public final class LayerMappings {
  private static final List<LayerMapping> ALL;
  private static final Map<String, LayerMapping> BY_KERAS_CLASS = new LinkedHashMap<>();
  private static final Map<Class<?>, LayerMapping> BY_LAYER_CLASS = new LinkedHashMap<>();

  static {
    List<LayerMapping> all = new ArrayList<>();
    all.addAll(CoreMappings.all());
    all.addAll(ConvolutionalMappings.all());
    all.addAll(PoolingMappings.all());
    all.addAll(NormalizationMappings.all());
    all.addAll(RegularizationMappings.all());
    all.addAll(ReshapingMappings.all());
    all.addAll(MergingMappings.all());
    all.addAll(RecurrentMappings.all());
    all.addAll(AttentionMappings.all());
    all.addAll(ActivationLayerMappings.all());
    all.addAll(PreprocessingMappings.all());
    all.addAll(ApplicationLayerMappings.all());
    for (LayerMapping mapping : all) {
      if (BY_KERAS_CLASS.put(mapping.kerasClass(), mapping) != null
          || BY_LAYER_CLASS.put(mapping.layerClass(), mapping) != null) {
        throw new IllegalStateException("two mappings for " + mapping.kerasClass());
      }
    }
    ALL = Collections.unmodifiableList(all);
  }

  private LayerMappings() {}

  /** Every mapping, family by family. */
  public static List<LayerMapping> all() {
    return ALL;
  }

  /** The mapping of Keras class {@code className}, or null. */
  public static LayerMapping forKerasClass(String className) {
    return BY_KERAS_CLASS.get(className);
  }

  /** The mapping of a Jeras layer's class, or null. */
  public static LayerMapping forLayer(Layer<?> layer) {
    return BY_LAYER_CLASS.get(layer.getClass());
  }
}
