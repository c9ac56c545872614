package io.jeras.data;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.index.Indices;

/** Datasets over data already in memory (Keras' {@code Dataset.from_tensor_slices(...).batch}). */
public final class Datasets {
  private Datasets() {}

  /** Batches of {@code batchSize} consecutive samples of {@code x} and {@code y}, in order. */
  public static Dataset fromArrays(NdArray<?> x, NdArray<?> y, int batchSize) {
    return fromArrays(Map.of("", x), y == null ? Map.of() : Map.of("", y), batchSize);
  }

  /**
   * Batches of {@code x}, {@code y} and one weight per sample (Keras' {@code
   * Dataset.from_tensor_slices((x, y, sample_weight))}).
   */
  public static Dataset fromArrays(NdArray<?> x, NdArray<?> y, NdArray<?> sampleWeight,
      int batchSize) {
    checkArgument(sampleWeight != null, "sample_weight must not be null here");
    return fromArrays(Map.of("", x), y == null ? Map.of() : Map.of("", y), sampleWeight,
        batchSize);
  }

  /** The same for several inputs or outputs, keyed by name. */
  public static Dataset fromArrays(Map<String, ? extends NdArray<?>> x,
      Map<String, ? extends NdArray<?>> y, int batchSize) {
    return fromArrays(x, y, null, batchSize);
  }

  /**
   * Several inputs or outputs keyed by name, and one weight per sample ({@code sampleWeight};
   * null: none).
   */
  public static Dataset fromArrays(Map<String, ? extends NdArray<?>> x,
      Map<String, ? extends NdArray<?>> y, NdArray<?> sampleWeight, int batchSize) {
    checkArgument(batchSize >= 1, "batch_size must be >= 1, got %s", batchSize);
    checkArgument(!x.isEmpty(), "x must hold at least one array");
    long samples = x.values().iterator().next().shape().get(0);
    Map<String, NdArray<?>> all = concat(x, y);
    if (sampleWeight != null) {
      all.put("sample_weight", sampleWeight);
    }
    for (NdArray<?> array : List.copyOf(all.values())) {
      checkArgument(array.shape().numDimensions() >= 1 && array.shape().get(0) == samples,
          "every array must hold %s samples, got shape %s", samples, array.shape());
    }
    long batches = (samples + batchSize - 1) / batchSize;
    return new Dataset() {
      @Override
      public long cardinality() {
        return batches;
      }

      @Override
      public Pass pass(int pass) {
        return new Pass() {
          private long batch;

          @Override
          public boolean hasNext() {
            return batch < batches;
          }

          @Override
          public DataBatch next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            long from = batch++ * batchSize;
            long to = Math.min(from + batchSize, samples);
            return new DataBatch(slice(x, from, to), slice(y, from, to),
                sampleWeight == null ? null : sampleWeight.slice(Indices.range(from, to)));
          }

          @Override
          public void close() {}
        };
      }
    };
  }

  private static Map<String, NdArray<?>> slice(Map<String, ? extends NdArray<?>> arrays,
      long from, long to) {
    Map<String, NdArray<?>> sliced = new LinkedHashMap<>();
    arrays.forEach((key, array) -> sliced.put(key, array.slice(Indices.range(from, to))));
    return sliced;
  }

  private static Map<String, NdArray<?>> concat(Map<String, ? extends NdArray<?>> a,
      Map<String, ? extends NdArray<?>> b) {
    Map<String, NdArray<?>> all = new LinkedHashMap<>(a);
    b.forEach((key, value) -> all.put("y:" + key, value));
    return all;
  }
}
