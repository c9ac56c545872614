package io.jeras.savedmodels.keras.mappings;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jeras.layers.Padding;
import io.jeras.layers.Size2D;
import java.util.Locale;

/** Small builders of Keras config values. */
final class Json {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {}

  static ArrayNode ints(int... values) {
    ArrayNode list = NODES.arrayNode();
    for (int v : values) {
      list.add(v);
    }
    return list;
  }

  static ArrayNode longs(long... values) {
    ArrayNode list = NODES.arrayNode();
    for (long v : values) {
      if (v < 0) {
        list.addNull();
      } else {
        list.add(v);
      }
    }
    return list;
  }

  static ArrayNode numbers(double... values) {
    ArrayNode list = NODES.arrayNode();
    for (double v : values) {
      list.add(v);
    }
    return list;
  }

  static ArrayNode size(Size2D size) {
    return ints(size.height(), size.width());
  }

  static String padding(Padding padding) {
    return padding.name().toLowerCase(Locale.ROOT);
  }
}
