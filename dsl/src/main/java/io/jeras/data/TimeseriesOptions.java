package io.jeras.data;

import static com.google.common.base.Preconditions.checkArgument;

import lombok.AccessLevel;
import lombok.Builder;
import lombok.Getter;
import lombok.experimental.Accessors;

/**
 * The arguments of Keras' {@code timeseries_dataset_from_array} after {@code data} and {@code
 * targets}, with its defaults: windows of {@code sequenceLength} steps starting at every step
 * ({@code sequence_stride=1}), consecutive steps ({@code sampling_rate=1}), batches of 128, in
 * order, over all the data.
 *
 * <pre>{@code
 * TimeseriesOptions.sequenceLength(10).samplingRate(2).sequenceStride(3).batchSize(32)
 * }</pre>
 *
 * <p>{@code startIndex} and {@code endIndex} are null when not set (Keras' {@code None}: from
 * the first step, to the last). Keras' {@code batch_size=None} (single windows) has no
 * counterpart: a {@link DataBatch} always has a batch dimension.
 */
@Getter
@Accessors(fluent = true)
public final class TimeseriesOptions {
  /** Keras' default {@code batch_size}. */
  public static final int DEFAULT_BATCH_SIZE = 128;

  private final int sequenceLength;
  private final int sequenceStride;
  private final int samplingRate;
  private final int batchSize;
  private final boolean shuffle;
  private final Long seed;
  private final Integer startIndex;
  private final Integer endIndex;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private TimeseriesOptions(int sequenceLength, int sequenceStride, int samplingRate,
      int batchSize, boolean shuffle, Long seed, Integer startIndex, Integer endIndex) {
    checkArgument(sequenceLength >= 1, "`sequence_length` must be 1 or greater. Received:"
        + " sequence_length=%s", sequenceLength);
    checkArgument(sequenceStride >= 1, "`sequence_stride` must be higher than 0. Received:"
        + " sequence_stride=%s", sequenceStride);
    checkArgument(samplingRate >= 1, "`sampling_rate` must be higher than 0. Received:"
        + " sampling_rate=%s", samplingRate);
    checkArgument(batchSize >= 1, "batch_size must be >= 1, got %s", batchSize);
    checkArgument(seed == null || seed >= 0 && seed <= Shuffling.MAX_NUMPY_SEED,
        "seed must be between 0 and 2**32 - 1 (NumPy's RandomState), got %s", seed);
    checkArgument(startIndex == null || startIndex >= 0, "`start_index` must be 0 or greater."
        + " Received: start_index=%s", startIndex);
    checkArgument(endIndex == null || endIndex > 0, "`end_index` must be higher than 0."
        + " Received: end_index=%s", endIndex);
    checkArgument(startIndex == null || endIndex == null || endIndex > startIndex,
        "`end_index` must be higher than `start_index`. Received: start_index=%s, and"
            + " end_index=%s", startIndex, endIndex);
    this.sequenceLength = sequenceLength;
    this.sequenceStride = sequenceStride;
    this.samplingRate = samplingRate;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.startIndex = startIndex;
    this.endIndex = endIndex;
  }

  /** Keras' defaults, with windows of {@code sequenceLength} steps. */
  public static TimeseriesOptions sequenceLength(int sequenceLength) {
    return new TimeseriesOptions(sequenceLength, 1, 1, DEFAULT_BATCH_SIZE, false, null, null,
        null);
  }

  /** Windows of {@code sequenceLength} steps. */
  public TimeseriesOptions withSequenceLength(int sequenceLength) {
    return toBuilder().sequenceLength(sequenceLength).build();
  }

  /** Steps between the starts of successive windows (default 1). */
  public TimeseriesOptions sequenceStride(int stride) {
    return toBuilder().sequenceStride(stride).build();
  }

  /** Steps between successive steps within a window (default 1). */
  public TimeseriesOptions samplingRate(int rate) {
    return toBuilder().samplingRate(rate).build();
  }

  /** Windows per batch (default 128; the last batch may hold fewer). */
  public TimeseriesOptions batchSize(int batchSize) {
    return toBuilder().batchSize(batchSize).build();
  }

  /** Whether to draw the windows in random order instead of in time order (default false). */
  public TimeseriesOptions shuffle(boolean shuffle) {
    return toBuilder().shuffle(shuffle).build();
  }

  /** The seed of the shuffling, in NumPy's range {@code [0, 2**32 - 1]}. */
  public TimeseriesOptions seed(long seed) {
    return toBuilder().seed(seed).build();
  }

  /** Steps before this one (exclusive) are not used (default: from the first). */
  public TimeseriesOptions startIndex(int startIndex) {
    return toBuilder().startIndex(startIndex).build();
  }

  /** Steps from this one on are not used (default: to the last). */
  public TimeseriesOptions endIndex(int endIndex) {
    return toBuilder().endIndex(endIndex).build();
  }
}
