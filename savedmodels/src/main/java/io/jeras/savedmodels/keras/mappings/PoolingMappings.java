package io.jeras.savedmodels.keras.mappings;

import io.jeras.layers.Padding;
import io.jeras.layers.pooling.AveragePooling1D;
import io.jeras.layers.pooling.AveragePooling2D;
import io.jeras.layers.pooling.GlobalAveragePooling1D;
import io.jeras.layers.pooling.GlobalAveragePooling2D;
import io.jeras.layers.pooling.GlobalMaxPooling1D;
import io.jeras.layers.pooling.GlobalMaxPooling2D;
import io.jeras.layers.pooling.GlobalPooling1D;
import io.jeras.layers.pooling.GlobalPooling2D;
import io.jeras.layers.pooling.MaxPooling1D;
import io.jeras.layers.pooling.MaxPooling2D;
import io.jeras.layers.pooling.Pooling1D;
import io.jeras.layers.pooling.Pooling2D;
import io.jeras.savedmodels.keras.LayerConfig;
import java.util.List;

/** Keras' 1-D and 2-D pooling layers, windowed and global. */
final class PoolingMappings {
  private PoolingMappings() {}

  static List<LayerMapping> all() {
    return List.of(
        Mapping.of(MaxPooling2D.class, c -> {
          int[] pool = c.ints("pool_size", 2, 2);
          return window(MaxPooling2D.of(pool[0], pool[1]), pool, c);
        }, PoolingMappings::window),
        Mapping.of(AveragePooling2D.class, c -> {
          int[] pool = c.ints("pool_size", 2, 2);
          return window(AveragePooling2D.of(pool[0], pool[1]), pool, c);
        }, PoolingMappings::window),
        Mapping.of(MaxPooling1D.class, c -> window(MaxPooling1D.of(
            c.ints("pool_size", 1, 2)[0]), c), PoolingMappings::window),
        Mapping.of(AveragePooling1D.class, c -> window(AveragePooling1D.of(
            c.ints("pool_size", 1, 2)[0]), c), PoolingMappings::window),
        Mapping.of(GlobalMaxPooling1D.class, c -> global(GlobalMaxPooling1D.of(), c),
            PoolingMappings::global),
        Mapping.of(GlobalAveragePooling1D.class, c -> global(GlobalAveragePooling1D.of(), c),
            PoolingMappings::global),
        Mapping.of(GlobalAveragePooling2D.class, c -> global(GlobalAveragePooling2D.of(), c),
            PoolingMappings::global),
        Mapping.of(GlobalMaxPooling2D.class, c -> global(GlobalMaxPooling2D.of(), c),
            PoolingMappings::global));
  }

  private static <L extends Pooling2D<L>> L window(L layer, int[] pool, LayerConfig c) {
    c.expect("data_format", "channels_last", null);
    // Keras: strides default to the pool size
    int[] strides = c.ints("strides", 2, 0);
    if (!c.has("strides")) {
      strides = pool;
    }
    return layer.strides(strides[0], strides[1]).padding(Padding.of(c.string("padding",
        "valid")));
  }

  private static void window(Pooling2D<?> layer, com.fasterxml.jackson.databind.node.ObjectNode c) {
    c.set("pool_size", Json.size(layer.poolSize()));
    c.put("padding", Json.padding(layer.padding()));
    c.set("strides", Json.size(layer.strides()));
    c.put("data_format", "channels_last");
  }

  private static <L extends Pooling1D<L>> L window(L layer, LayerConfig c) {
    c.expect("data_format", "channels_last", null);
    // Keras: strides default to the pool size
    return (c.has("strides") && !c.node("strides").isNull()
        ? layer.strides(c.ints("strides", 1, 0)[0]) : layer)
        .padding(Padding.of(c.string("padding", "valid")));
  }

  private static void window(Pooling1D<?> layer,
      com.fasterxml.jackson.databind.node.ObjectNode c) {
    c.set("pool_size", Json.ints(layer.poolSize()));
    c.put("padding", Json.padding(layer.padding()));
    c.set("strides", Json.ints(layer.strides()));
    c.put("data_format", "channels_last");
  }

  private static <L extends GlobalPooling1D<L>> L global(L layer, LayerConfig c) {
    c.expect("data_format", "channels_last", null);
    return layer.keepdims(c.bool("keepdims", false));
  }

  private static void global(GlobalPooling1D<?> layer,
      com.fasterxml.jackson.databind.node.ObjectNode c) {
    c.put("data_format", "channels_last");
    c.put("keepdims", layer.keepdims());
  }

  private static <L extends GlobalPooling2D<L>> L global(L layer, LayerConfig c) {
    c.expect("data_format", "channels_last", null);
    return layer.keepdims(c.bool("keepdims", false));
  }

  private static void global(GlobalPooling2D<?> layer,
      com.fasterxml.jackson.databind.node.ObjectNode c) {
    c.put("data_format", "channels_last");
    c.put("keepdims", layer.keepdims());
  }
}
