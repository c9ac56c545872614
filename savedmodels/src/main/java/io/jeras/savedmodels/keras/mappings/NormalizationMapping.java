package io.jeras.savedmodels.keras.mappings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jeras.data.Data;
import io.jeras.layers.Layer;
import io.jeras.layers.preprocessing.Normalization;
import io.jeras.savedmodels.keras.LayerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Keras' {@code Normalization}: statistics given in the config ({@code mean}, {@code variance},
 * numbers or nested lists), or weights {@code mean}, {@code variance} and {@code count} (an
 * int64 in Keras) when adapted or left for loading.
 */
final class NormalizationMapping implements LayerMapping {

  @Override
  public String kerasClass() {
    return "Normalization";
  }

  @Override
  public Class<?> layerClass() {
    return Normalization.class;
  }

  @Override
  public String kerasModule() {
    return "keras.layers";
  }

  @Override
  public Set<String> int64Weights() {
    return Set.of("count");
  }

  @Override
  public Layer<?> read(LayerConfig c) {
    FloatNdArray mean = array(c, "mean");
    FloatNdArray variance = array(c, "variance");
    Normalization layer = mean == null && variance == null ? Normalization.of()
        : Normalization.of(mean, variance);
    JsonNode axis = c.node("axis");
    if (axis.isNull()) {
      layer = layer.axisNone();
    } else if (!axis.isMissingNode()) {
      layer = layer.axis(c.ints("axis", axis.isArray() ? axis.size() : 1, -1));
    }
    return layer.invert(c.bool("invert", false));
  }

  @Override
  public void write(Layer<?> layer, ObjectNode c) {
    Normalization normalization = (Normalization) layer;
    int[] axis = normalization.axis();
    if (axis.length == 0) {
      c.putNull("axis");
    } else {
      c.set("axis", Json.ints(axis));
    }
    c.put("invert", normalization.invert());
    c.set("mean", json(normalization.mean()));
    c.set("variance", json(normalization.variance()));
  }

  /** A number or a nested list of numbers as an array of its shape; null if absent. */
  private static FloatNdArray array(LayerConfig c, String key) {
    JsonNode value = c.node(key);
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    List<Long> shape = new ArrayList<>();
    for (JsonNode level = value; level.isArray(); level = level.get(0)) {
      shape.add((long) level.size());
      if (level.size() == 0) {
        break;
      }
    }
    double[] values = c.numbers(key);
    float[] floats = new float[values.length];
    for (int i = 0; i < floats.length; i++) {
      floats[i] = (float) values[i];
    }
    Shape dims = Shape.of(shape.stream().mapToLong(Long::longValue).toArray());
    if (dims.size() != floats.length) {
      throw c.wrong(key, "a number or a rectangular list of numbers", value);
    }
    return NdArrays.wrap(dims, DataBuffers.of(floats, true, false));
  }

  private static JsonNode json(FloatNdArray array) {
    if (array == null) {
      return Json.NODES.nullNode();
    }
    float[] values = Data.toFloatArray(array);
    if (array.shape().numDimensions() == 0) {
      return Json.NODES.numberNode((double) values[0]);
    }
    return nested(values, array.shape().asArray(), 0, 0);
  }

  private static ArrayNode nested(float[] values, long[] dims, int axis, int offset) {
    ArrayNode list = Json.NODES.arrayNode();
    int stride = 1;
    for (int i = axis + 1; i < dims.length; i++) {
      stride *= (int) dims[i];
    }
    for (int i = 0; i < dims[axis]; i++) {
      if (axis == dims.length - 1) {
        list.add((double) values[offset + i]);
      } else {
        list.add(nested(values, dims, axis + 1, offset + i * stride));
      }
    }
    return list;
  }
}
