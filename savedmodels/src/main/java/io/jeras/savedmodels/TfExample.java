package io.jeras.savedmodels;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.BytesList;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.Features;
import org.tensorflow.proto.FloatList;
import org.tensorflow.proto.Int64List;

/**
 * {@code tf.train.Example} protos for the models that take them: TFX and Estimator exports whose
 * serving signature takes serialized examples ({@code tf.io.parse_example} inside). Each feature
 * is a list of floats, of int64s or of byte strings, as in Python:
 *
 * <pre>{@code
 * byte[] example = TfExample.builder().floats("age", 31.5f).int64s("clicks", 1, 2, 3)
 *     .strings("city", "paris").toByteArray();
 * model.call("serving_default", Map.of("examples", new byte[][] {example}));
 * // or from a map: numbers with a fraction are floats, whole numbers int64s, text bytes
 * byte[] same = TfExample.of(Map.of("age", 31.5, "clicks", List.of(1, 2, 3), "city", "paris"));
 * }</pre>
 */
public final class TfExample {
  private TfExample() {}

  /** An empty example to add features to. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The serialized example of {@code features}: each value a number, a {@code String}, a
   * {@code byte[]}, a primitive array or a collection of one kind. {@code Float} and {@code
   * Double} (and {@code float[]}, {@code double[]}) make a float list; {@code Integer}, {@code
   * Long}, {@code Short}, {@code Byte} (and {@code int[]}, {@code long[]}) an int64 list;
   * {@code String} (UTF-8) and {@code byte[]} a bytes list. An empty collection is refused: its
   * type cannot be told; use the builder.
   */
  public static byte[] of(Map<String, ?> features) {
    Builder builder = builder();
    features.forEach(builder::feature);
    return builder.toByteArray();
  }

  /** Adds features one by one; a name given twice is refused. */
  public static final class Builder {
    private final Map<String, Feature> features = new LinkedHashMap<>();

    private Builder() {}

    /** A float list. */
    public Builder floats(String name, float... values) {
      FloatList.Builder list = FloatList.newBuilder();
      for (float v : values) {
        list.addValue(v);
      }
      return put(name, Feature.newBuilder().setFloatList(list).build());
    }

    /** An int64 list. */
    public Builder int64s(String name, long... values) {
      Int64List.Builder list = Int64List.newBuilder();
      for (long v : values) {
        list.addValue(v);
      }
      return put(name, Feature.newBuilder().setInt64List(list).build());
    }

    /** A bytes list of raw byte strings. */
    public Builder bytes(String name, byte[]... values) {
      BytesList.Builder list = BytesList.newBuilder();
      for (byte[] v : values) {
        list.addValue(com.google.protobuf.ByteString.copyFrom(v));
      }
      return put(name, Feature.newBuilder().setBytesList(list).build());
    }

    /** A bytes list of text, encoded as UTF-8. */
    public Builder strings(String name, String... values) {
      byte[][] bytes = new byte[values.length][];
      for (int i = 0; i < values.length; i++) {
        bytes[i] = values[i].getBytes(StandardCharsets.UTF_8);
      }
      return bytes(name, bytes);
    }

    /** A feature from a Java value, typed as {@link TfExample#of(Map)} says. */
    public Builder feature(String name, Object value) {
      List<Object> items = new ArrayList<>();
      if (value instanceof Collection<?> collection) {
        items.addAll(collection);
      } else if (value != null && value.getClass().isArray() && !(value instanceof byte[])) {
        for (int i = 0; i < java.lang.reflect.Array.getLength(value); i++) {
          items.add(java.lang.reflect.Array.get(value, i));
        }
      } else {
        items.add(value);
      }
      if (items.isEmpty()) {
        throw new IllegalArgumentException("Feature \"" + name + "\" is empty, so its type"
            + " (float, int64 or bytes) cannot be told; use floats(), int64s() or bytes()");
      }
      Object first = items.get(0);
      if (items.stream().allMatch(v -> v instanceof Float || v instanceof Double)) {
        float[] floats = new float[items.size()];
        for (int i = 0; i < floats.length; i++) {
          floats[i] = ((Number) items.get(i)).floatValue();
        }
        return floats(name, floats);
      }
      if (items.stream().allMatch(v -> v instanceof Long || v instanceof Integer
          || v instanceof Short || v instanceof Byte)) {
        long[] longs = new long[items.size()];
        for (int i = 0; i < longs.length; i++) {
          longs[i] = ((Number) items.get(i)).longValue();
        }
        return int64s(name, longs);
      }
      if (items.stream().allMatch(v -> v instanceof String || v instanceof byte[])) {
        byte[][] bytes = new byte[items.size()][];
        for (int i = 0; i < bytes.length; i++) {
          Object v = items.get(i);
          bytes[i] = v instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) v;
        }
        return bytes(name, bytes);
      }
      throw new IllegalArgumentException("Feature \"" + name + "\" must hold floats, whole"
          + " numbers or strings/bytes of one kind, got " + items.stream()
          .map(v -> v == null ? "null" : v.getClass().getSimpleName()).distinct().toList()
          + " (first: " + first + ")");
    }

    private Builder put(String name, Feature feature) {
      if (features.putIfAbsent(name, feature) != null) {
        throw new IllegalArgumentException("Feature \"" + name + "\" is given twice");
      }
      return this;
    }

    /** The example proto. */
    public Example build() {
      return Example.newBuilder().setFeatures(Features.newBuilder().putAllFeature(features))
          .build();
    }

    /** The serialized example, what a string input of a parsing signature takes. */
    public byte[] toByteArray() {
      return build().toByteArray();
    }
  }
}
