package io.jeras;

import com.fasterxml.jackson.databind.JsonNode;
import io.jeras.data.Data;
import org.tensorflow.ndarray.FloatNdArray;

/** Reading the reference outputs Python scripts write for the tests ({"shape", "values"}). */
public final class KerasReferences {
  private KerasReferences() {}

  /** An array written as {@code {"shape": [...], "values": [...]}} (row-major). */
  public static FloatNdArray array(JsonNode node) {
    long[] shape = new long[node.get("shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = node.get("shape").get(i).asLong();
    }
    JsonNode values = node.get("values");
    float[] v = new float[values.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) values.get(i).asDouble();
    }
    return Data.floats(v, shape);
  }
}
