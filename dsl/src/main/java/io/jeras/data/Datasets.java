package io.jeras.data;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.index.Indices;

/**
 * Datasets over data already in memory: Keras' {@code Dataset.from_tensor_slices(...).batch}
 * and {@code keras.utils.timeseries_dataset_from_array}.
 */
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

  /**
   * Keras' {@code timeseries_dataset_from_array(data, targets, ...)}: batches of sliding windows
   * over {@code data} (steps first; any numeric NdArray, read as float32), with the target of
   * each window when {@code targets} is not null.
   *
   * <p>Window {@code i} starts at step {@code start + p_i} of {@code data}, where {@code start}
   * is {@code startIndex} (default 0) and {@code p_i = i * sequenceStride}, and holds the steps
   * {@code start + p_i + k * samplingRate} for {@code k < sequenceLength}; its target is step
   * {@code start + p_i} of {@code targets} (Keras' alignment: {@code targets[i]} is the target
   * of the window that starts at step {@code i}). There are as many windows as fit before
   * {@code endIndex} (default: the end of the data), and no more than {@code targets} has
   * steps. A batch's {@code x} is shaped {@code (windows, sequenceLength, ...data.shape[1:])},
   * its {@code y} {@code (windows, ...targets.shape[1:])}, or empty without targets.
   *
   * <pre>{@code
   * // the past 10 steps predict the next one
   * Dataset windows = Datasets.timeseriesFromArray(series.slice(range(0, n - 10)),
   *     series.slice(range(10, n)), TimeseriesOptions.sequenceLength(10).batchSize(32));
   * }</pre>
   *
   * <p>With {@code shuffle}, the window starts are shuffled as Keras shuffles them before
   * {@code tf.data} does ({@code np.random.RandomState(seed).shuffle}; seed: NumPy's range, a
   * random one in {@code [0, 1e6)} when not given): the first pass yields the windows in that
   * order, each later pass in a further permutation of it drawn from the seed and the pass.
   * Keras then also shuffles within a buffer of {@code 8 * batch_size} windows with TensorFlow's
   * generator, which Jeras does not reproduce: the same windows come, in another order.
   *
   * @throws IllegalArgumentException with Keras' messages when the options do not fit the data
   *     (a start or end index, sampling rate or stride not below the data's length), and when no
   *     window fits or {@code targets} lacks the target of a window
   */
  public static Dataset timeseriesFromArray(NdArray<?> data, NdArray<?> targets,
      TimeseriesOptions options) {
    checkArgument(data != null, "data must not be null");
    ArrayData steps = ArrayData.of(data);
    ArrayData targetSteps = targets == null ? null : ArrayData.of(targets);
    long length = steps.size();
    Integer startIndex = options.startIndex();
    Integer endIndex = options.endIndex();
    checkArgument(startIndex == null || startIndex == 0 || startIndex < length,
        "`start_index` must be lower than the length of the data. Received: start_index=%s, for"
            + " data of length %s", startIndex, length);
    checkArgument(endIndex == null || endIndex < length, "`end_index` must be lower than the"
        + " length of the data. Received: end_index=%s, for data of length %s", endIndex, length);
    checkArgument(options.samplingRate() < length, "`sampling_rate` must be lower than the"
        + " length of the data. Received: sampling_rate=%s, for data of length %s",
        options.samplingRate(), length);
    checkArgument(options.sequenceStride() < length, "`sequence_stride` must be lower than the"
        + " length of the data. Received: sequence_stride=%s, for data of length %s",
        options.sequenceStride(), length);
    int start = startIndex == null ? 0 : startIndex;
    int end = endIndex == null ? (int) length : endIndex;
    long span = (long) (options.sequenceLength() - 1) * options.samplingRate();
    long windowStarts = end - start - span;
    if (targetSteps != null) {
      windowStarts = Math.min(windowStarts, targetSteps.size());
    }
    checkArgument(windowStarts > 0, "no window fits: a window of sequence_length=%s and"
        + " sampling_rate=%s spans %s steps, but steps [%s, %s) of the data hold %s%s",
        options.sequenceLength(), options.samplingRate(), span + 1, start, end, end - start,
        targetSteps == null ? "" : " (and targets hold " + targetSteps.size() + ")");
    int windows = Math.toIntExact((windowStarts + options.sequenceStride() - 1)
        / options.sequenceStride());
    long lastStart = start + (long) (windows - 1) * options.sequenceStride();
    checkArgument(targetSteps == null || lastStart < targetSteps.size(), "targets hold %s"
        + " steps, but the window that starts at step %s needs target %s (start_index=%s)",
        targetSteps == null ? 0 : targetSteps.size(), lastStart, lastStart, start);
    long seed = options.seed() != null ? options.seed() : new Random().nextInt(1_000_000);
    int[] shuffled = options.shuffle() ? Shuffling.numpyPermutation(windows, seed) : null;
    int batchSize = options.batchSize();
    long batches = (windows + batchSize - 1) / batchSize;
    return new Dataset() {
      @Override
      public long cardinality() {
        return batches;
      }

      @Override
      public Pass pass(int pass) {
        int[] order = shuffled == null || pass == 0 ? shuffled
            : reorder(shuffled, Shuffling.permutation(windows,
                new Random(Shuffling.passSeed(seed, pass))));
        return new Pass() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < windows;
          }

          @Override
          public DataBatch next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            int from = next;
            int to = Math.min(from + batchSize, windows);
            next = to;
            int[] starts = new int[to - from];
            for (int i = from; i < to; i++) {
              int window = order == null ? i : order[i];
              starts[i - from] = start + window * options.sequenceStride();
            }
            int length = options.sequenceLength();
            FloatNdArray x = windows(steps, starts, length, options.samplingRate(),
                Shape.of(starts.length, length).append(steps.sampleShape()));
            return targetSteps == null ? new DataBatch(Map.of("", x), Map.of())
                : DataBatch.of(x, windows(targetSteps, starts, 1, 1,
                    Shape.of(starts.length).append(targetSteps.sampleShape())));
          }

          @Override
          public void close() {}
        };
      }
    };
  }

  /** {@code order} permuted by {@code permutation}. */
  private static int[] reorder(int[] order, int[] permutation) {
    int[] result = new int[order.length];
    for (int i = 0; i < order.length; i++) {
      result[i] = order[permutation[i]];
    }
    return result;
  }

  /**
   * The windows of {@code length} steps, {@code rate} apart, starting at each of {@code
   * starts}, one after the other, as an array of {@code shape}.
   */
  private static FloatNdArray windows(ArrayData steps, int[] starts, int length, int rate,
      Shape shape) {
    int sampleSize = steps.sampleSize();
    float[] values = new float[Math.multiplyExact(Math.multiplyExact(starts.length, length),
        sampleSize)];
    int offset = 0;
    for (int first : starts) {
      for (int k = 0; k < length; k++) {
        steps.copySample(first + k * rate, values, offset);
        offset += sampleSize;
      }
    }
    return NdArrays.wrap(shape, DataBuffers.of(values, false, false));
  }
}
