package io.jeras.savedmodels.keras.mappings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.jeras.layers.reshaping.Cropping1D;
import io.jeras.layers.reshaping.Cropping2D;
import io.jeras.layers.reshaping.Flatten;
import io.jeras.layers.reshaping.Margins;
import io.jeras.layers.reshaping.Permute;
import io.jeras.layers.reshaping.RepeatVector;
import io.jeras.layers.reshaping.Reshape;
import io.jeras.layers.reshaping.UpSampling1D;
import io.jeras.layers.reshaping.UpSampling2D;
import io.jeras.layers.reshaping.ZeroPadding1D;
import io.jeras.layers.reshaping.ZeroPadding2D;
import io.jeras.savedmodels.keras.LayerConfig;
import java.util.List;
import java.util.Locale;

/** Keras' reshaping layers. */
final class ReshapingMappings {
  private ReshapingMappings() {}

  static List<LayerMapping> all() {
    return List.of(
        Mapping.of(Flatten.class, c -> {
          c.expect("data_format", "channels_last", null);
          return Flatten.of();
        }, (layer, c) -> c.put("data_format", "channels_last")),
        Mapping.of(Reshape.class, c -> Reshape.of(c.dims("target_shape")),
            (layer, c) -> {
              var target = c.putArray("target_shape"); // -1 stays -1: "infer this dimension"
              for (long d : layer.targetShape()) {
                target.add(d);
              }
            }),
        Mapping.of(Permute.class, c -> Permute.of(c.ints("dims", c.node("dims").size(), 0)),
            (layer, c) -> c.set("dims", Json.ints(layer.dims()))),
        Mapping.of(ZeroPadding2D.class, c -> {
          c.expect("data_format", "channels_last", null);
          return ZeroPadding2D.of(margins(c, "padding", 1));
        }, (layer, c) -> {
          c.set("padding", margins(layer.padding()));
          c.put("data_format", "channels_last");
        }),
        Mapping.of(Cropping2D.class, c -> {
          c.expect("data_format", "channels_last", null);
          return Cropping2D.of(margins(c, "cropping", 0));
        }, (layer, c) -> {
          c.set("cropping", margins(layer.cropping()));
          c.put("data_format", "channels_last");
        }),
        Mapping.of(UpSampling1D.class, c -> UpSampling1D.of(c.integer("size", 2)),
            (layer, c) -> c.put("size", layer.size())),
        Mapping.of(ZeroPadding1D.class, c -> {
          c.expect("data_format", "channels_last", null);
          int[] padding = c.ints("padding", 2, 1);
          return ZeroPadding1D.of(padding[0], padding[1]);
        }, (layer, c) -> {
          c.set("padding", Json.ints(layer.left(), layer.right()));
          c.put("data_format", "channels_last");
        }),
        Mapping.of(Cropping1D.class, c -> {
          int[] cropping = c.ints("cropping", 2, 1);
          return Cropping1D.of(cropping[0], cropping[1]);
        }, (layer, c) -> c.set("cropping", Json.ints(layer.start(), layer.end()))),
        Mapping.of(RepeatVector.class, c -> RepeatVector.of(c.integer("n")),
            (layer, c) -> c.put("n", layer.n())),
        Mapping.of(UpSampling2D.class, c -> {
          c.expect("data_format", "channels_last", null);
          int[] size = c.ints("size", 2, 2);
          return UpSampling2D.of(size[0], size[1])
              .interpolation(c.string("interpolation", "nearest"));
        }, (layer, c) -> {
          c.set("size", Json.size(layer.size()));
          c.put("data_format", "channels_last");
          c.put("interpolation", layer.interpolation().name().toLowerCase(Locale.ROOT));
        }));
  }

  /** Keras' {@code ((top, bottom), (left, right))}, a symmetric pair, or one int. */
  private static Margins margins(LayerConfig c, String key, int fallback) {
    JsonNode value = c.node(key);
    if (value.isMissingNode() || value.isNull()) {
      return Margins.of(fallback);
    }
    if (value.isIntegralNumber()) {
      return Margins.of(value.asInt());
    }
    if (isIntegerPair(value)) {
      return Margins.of(value.get(0).asInt(), value.get(1).asInt());
    }
    if (value.isArray() && value.size() == 2 && isIntegerPair(value.get(0))
        && isIntegerPair(value.get(1))) {
      return Margins.of(value.get(0).get(0).asInt(), value.get(0).get(1).asInt(),
          value.get(1).get(0).asInt(), value.get(1).get(1).asInt());
    }
    throw c.wrong(key, "an int, (height, width) or ((top, bottom), (left, right))", value);
  }

  private static boolean isIntegerPair(JsonNode value) {
    return value.isArray() && value.size() == 2 && value.get(0).isIntegralNumber()
        && value.get(1).isIntegralNumber();
  }

  private static ArrayNode margins(Margins m) {
    ArrayNode list = Json.NODES.arrayNode();
    list.add(Json.ints(m.top(), m.bottom()));
    list.add(Json.ints(m.left(), m.right()));
    return list;
  }
}
