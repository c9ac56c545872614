package io.jeras.data.text;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.data.Shuffling;
import java.util.List;
import lombok.AccessLevel;
import lombok.Builder;
import lombok.Getter;
import lombok.experimental.Accessors;

/**
 * The arguments of Keras' {@code text_dataset_from_directory}, with its defaults: labels
 * inferred from the sub-folders as integers, batches of 32, whole files, shuffled, no
 * validation split, symbolic links not followed; and Jeras' bound on what one file may hold.
 *
 * <pre>{@code
 * TextDatasetOptions.defaults().batchSize(32).validationSplit(0.2).seed(1337)
 * }</pre>
 */
@Getter
@Accessors(fluent = true)
public final class TextDatasetOptions {
  /** The default {@code maxFileBytes}: 16 MiB. */
  public static final long DEFAULT_MAX_FILE_BYTES = 16L << 20;

  /** How labels are given. */
  public enum LabelMode {
    /** The class index (for sparse_categorical_crossentropy). */
    INT,
    /** One-hot vectors (categorical_crossentropy). */
    CATEGORICAL,
    /** 0 or 1 as float, shaped (n, 1) (binary_crossentropy; exactly two classes). */
    BINARY,
    /** No labels: the texts alone, from every folder (Keras' {@code labels=None}). */
    NONE
  }

  private final LabelMode labelMode;
  private final List<String> classNames;
  private final int batchSize;
  private final Integer maxLength;
  private final boolean shuffle;
  private final Long seed;
  private final double validationSplit;
  private final String subset;
  private final boolean followLinks;
  private final boolean verbose;
  private final long maxFileBytes;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private TextDatasetOptions(LabelMode labelMode, List<String> classNames, int batchSize,
      Integer maxLength, boolean shuffle, Long seed, double validationSplit, String subset,
      boolean followLinks, boolean verbose, long maxFileBytes) {
    checkArgument(batchSize >= 1, "batch_size must be >= 1, got %s", batchSize);
    checkArgument(maxLength == null || maxLength >= 0, "max_length must be >= 0, got %s",
        maxLength);
    checkArgument(seed == null || seed >= 0 && seed <= Shuffling.MAX_NUMPY_SEED,
        "seed must be between 0 and 2**32 - 1 (NumPy's RandomState), got %s", seed);
    checkArgument(validationSplit == 0 || validationSplit > 0 && validationSplit < 1,
        "`validation_split` must be between 0 and 1, received: %s", validationSplit);
    checkArgument(subset == null || subset.equals("training") || subset.equals("validation"),
        "`subset` must be either \"training\" or \"validation\", received: %s (for both, use"
            + " TextDatasets.textDatasetsFromDirectory)", subset);
    checkArgument(maxFileBytes >= 1, "max_file_bytes must be >= 1, got %s", maxFileBytes);
    this.labelMode = labelMode;
    this.classNames = classNames;
    this.batchSize = batchSize;
    this.maxLength = maxLength;
    this.shuffle = shuffle;
    this.seed = seed;
    this.validationSplit = validationSplit;
    this.subset = subset;
    this.followLinks = followLinks;
    this.verbose = verbose;
    this.maxFileBytes = maxFileBytes;
  }

  /** Keras' defaults, and files of at most {@link #DEFAULT_MAX_FILE_BYTES}. */
  public static TextDatasetOptions defaults() {
    return new TextDatasetOptions(LabelMode.INT, null, 32, null, true, null, 0, null, false,
        true, DEFAULT_MAX_FILE_BYTES);
  }

  public TextDatasetOptions labelMode(LabelMode mode) {
    checkArgument(mode != null, "label mode must not be null; LabelMode.NONE for no labels");
    return toBuilder().labelMode(mode).build();
  }

  /** {@code "int"}, {@code "categorical"}, {@code "binary"} or {@code null}/"none". */
  public TextDatasetOptions labelMode(String mode) {
    if (mode == null) {
      return labelMode(LabelMode.NONE);
    }
    for (LabelMode m : LabelMode.values()) {
      if (m.name().equalsIgnoreCase(mode)) {
        return labelMode(m);
      }
    }
    throw new IllegalArgumentException("`label_mode` argument must be one of \"int\","
        + " \"categorical\", \"binary\", or None. Received: label_mode=" + mode);
  }

  /**
   * The classes, in label order: sub-folders of the directory (all by default, in
   * alphanumeric order; these only, in this order, when given).
   */
  public TextDatasetOptions classNames(List<String> names) {
    return toBuilder().classNames(names == null ? null : List.copyOf(names)).build();
  }

  public TextDatasetOptions batchSize(int batchSize) {
    return toBuilder().batchSize(batchSize).build();
  }

  /**
   * Keras' {@code max_length}: only the first {@code bytes} bytes of each file are read (bytes,
   * as {@code tf.strings.substr}; a character cut in two becomes U+FFFD).
   */
  public TextDatasetOptions maxLength(int bytes) {
    return toBuilder().maxLength(bytes).build();
  }

  /** Whether to shuffle the files (default true); false: alphanumeric order. */
  public TextDatasetOptions shuffle(boolean shuffle) {
    return toBuilder().shuffle(shuffle).build();
  }

  /**
   * The seed of the shuffle and the validation split, in NumPy's range {@code [0, 2**32 - 1]}:
   * the same seed splits the files as Keras does.
   */
  public TextDatasetOptions seed(long seed) {
    return toBuilder().seed(seed).build();
  }

  /** The fraction of files held out for validation (the last ones after shuffling). */
  public TextDatasetOptions validationSplit(double split) {
    return toBuilder().validationSplit(split).build();
  }

  /** {@code "training"} or {@code "validation"}, with a validation split. */
  public TextDatasetOptions subset(String subset) {
    return toBuilder().subset(subset).build();
  }

  /** Whether to list the files of sub-folders that are symbolic links (default false). */
  public TextDatasetOptions followLinks(boolean follow) {
    return toBuilder().followLinks(follow).build();
  }

  /** Whether to print what was found ("Found 10 files belonging to 2 classes."; default true). */
  public TextDatasetOptions verbose(boolean verbose) {
    return toBuilder().verbose(verbose).build();
  }

  /**
   * The most bytes read from one file (default 16 MiB): a file holding more (past {@code
   * maxLength}, when set) is refused with an exception naming it and this limit, before it is
   * read whole.
   */
  public TextDatasetOptions maxFileBytes(long bytes) {
    return toBuilder().maxFileBytes(bytes).build();
  }
}
