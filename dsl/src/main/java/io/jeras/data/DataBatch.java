package io.jeras.data;

import java.util.Map;
import org.tensorflow.ndarray.NdArray;

/**
 * One batch of a {@link Dataset}: inputs and labels keyed by the model's input and output names
 * (or {@code ""} for a model with one), samples first. Labels are empty when predicting.
 */
public record DataBatch(Map<String, ? extends NdArray<?>> x, Map<String, ? extends NdArray<?>> y) {

  /** A batch for a model with one input and one output. */
  public static DataBatch of(NdArray<?> x, NdArray<?> y) {
    return new DataBatch(Map.of("", x), y == null ? Map.of() : Map.of("", y));
  }

  /** The number of samples. */
  public int size() {
    return Math.toIntExact(x.values().iterator().next().shape().get(0));
  }
}
