package io.jeras.data;

import java.util.Map;
import org.tensorflow.ndarray.NdArray;

/**
 * One batch of a {@link Dataset}: inputs and labels keyed by the model's input and output names
 * (or {@code ""} for a model with one), samples first, and optionally one weight per sample
 * (Keras' {@code sample_weight}, as a {@code tf.data} dataset of {@code (x, y, sample_weight)}
 * gives it). Labels are empty when predicting.
 *
 * @param sampleWeight shape {@code (samples,)} or {@code (samples, 1)}; null: every sample
 *     weighs 1
 */
public record DataBatch(Map<String, ? extends NdArray<?>> x, Map<String, ? extends NdArray<?>> y,
    NdArray<?> sampleWeight) {

  /** A batch without sample weights. */
  public DataBatch(Map<String, ? extends NdArray<?>> x, Map<String, ? extends NdArray<?>> y) {
    this(x, y, null);
  }

  /** A batch for a model with one input and one output. */
  public static DataBatch of(NdArray<?> x, NdArray<?> y) {
    return of(x, y, null);
  }

  /** A batch for a model with one input and one output, with a weight per sample. */
  public static DataBatch of(NdArray<?> x, NdArray<?> y, NdArray<?> sampleWeight) {
    return new DataBatch(Map.of("", x), y == null ? Map.of() : Map.of("", y), sampleWeight);
  }

  /** The number of samples. */
  public int size() {
    return Math.toIntExact(x.values().iterator().next().shape().get(0));
  }
}
