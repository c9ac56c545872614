package io.jeras.savedmodels.keras.mappings;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jeras.layers.Layer;
import io.jeras.savedmodels.keras.LayerConfig;

/**
 * How one Jeras layer class and one Keras layer class correspond: reading the layer from its
 * Keras config and writing its Keras config back. The mappings of a layer family sit together
 * ({@link ConvolutionalMappings}, {@link PoolingMappings}, ...); {@link LayerMappings} holds them
 * all.
 */
public interface LayerMapping {
  /** Keras' class name ({@code Conv2D}). */
  String kerasClass();

  /** The Jeras layer class. */
  Class<?> layerClass();

  /** The Keras module the class is exported from, as Keras 3 writes it. */
  String kerasModule();

  /**
   * The Jeras layer for a Keras config: every option it reads is marked used, and options Jeras
   * cannot honour are reported through {@link LayerConfig#problem}. Name and trainable flag are
   * set by the caller.
   */
  Layer<?> read(LayerConfig config);

  /**
   * The layer's own Keras options (everything but name, trainable flag and dtype), as Keras 3
   * writes them, into {@code config}.
   */
  void write(Layer<?> layer, ObjectNode config);

  /**
   * The weights Keras keeps as int64 (Jeras keeps every weight as float32): written back as
   * int64 so Keras can assign them.
   */
  default java.util.Set<String> int64Weights() {
    return java.util.Set.of();
  }

  /**
   * Where a Keras 3 file keeps {@code weight} below the layer's group: {@code ""} (the layer's
   * own {@code vars}) by default; a recurrent layer's cell holds them ({@code /cell}), a
   * Bidirectional layer's two directions ({@code /forward_layer/cell}, {@code
   * /backward_layer/cell}).
   */
  default String weightPlace(Layer<?> layer, io.jeras.layers.WeightSpec weight) {
    return "";
  }

  /**
   * Whether Keras calls the layer with its inputs as one list ({@code Add()([a, b])}, the
   * default) or as separate arguments ({@code MultiHeadAttention()(query, value)}).
   */
  default boolean inputsAsList() {
    return true;
  }

  /** Keras' call arguments the layer's options stand for ({@code use_causal_mask}). */
  default void writeCallArguments(Layer<?> layer, ObjectNode kwargs) {}

  /**
   * The layer's {@code build_config} for its inputs' batch shapes: Keras' {@code input_shape}
   * (one shape, or a list), or what the layer's {@code build} takes instead.
   */
  default void writeBuildConfig(java.util.List<com.fasterxml.jackson.databind.JsonNode> shapes,
      ObjectNode buildConfig) {
    inputShape(shapes, buildConfig);
  }

  /** Keras' usual {@code build_config}: {@code input_shape}, one shape or a list. */
  static void inputShape(java.util.List<com.fasterxml.jackson.databind.JsonNode> shapes,
      ObjectNode buildConfig) {
    if (shapes.size() == 1) {
      buildConfig.set("input_shape", shapes.get(0));
    } else {
      buildConfig.putArray("input_shape").addAll(shapes);
    }
  }
}
