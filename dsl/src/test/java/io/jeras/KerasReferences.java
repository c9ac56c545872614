package io.jeras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jeras.data.Data;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.tensorflow.ndarray.FloatNdArray;

/** Reading the reference outputs Python scripts write for the tests ({"shape", "values"}). */
public final class KerasReferences {
  private KerasReferences() {}

  /** The JSON resource {@code name} beside {@code owner}. */
  public static JsonNode read(Class<?> owner, String name) {
    try (InputStream in = owner.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is not beside " + owner.getName());
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

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
