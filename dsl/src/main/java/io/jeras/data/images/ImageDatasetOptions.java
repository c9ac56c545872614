package io.jeras.data.images;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Locale;
import lombok.AccessLevel;
import lombok.Builder;
import lombok.Getter;
import lombok.experimental.Accessors;

/**
 * The arguments of Keras' {@code image_dataset_from_directory}, with its defaults: integer
 * labels, rgb, 256x256, batches of 32, shuffled, no validation split.
 *
 * <pre>{@code
 * ImageDatasetOptions.defaults().imageSize(150, 150).labelMode("binary").validationSplit(0.2)
 *     .subset("training").seed(1337)
 * }</pre>
 */
@Getter
@Accessors(fluent = true)
public final class ImageDatasetOptions {
  /** How labels are given. */
  public enum LabelMode {
    /** The class index (for sparse_categorical_crossentropy). */
    INT,
    /** One-hot vectors (categorical_crossentropy). */
    CATEGORICAL,
    /** 0 or 1 as float (binary_crossentropy; exactly two classes). */
    BINARY,
    /** No labels (for predict). */
    NONE
  }

  /** Channels of the decoded images. */
  public enum ColorMode {
    GRAYSCALE(1), RGB(3), RGBA(4);

    private final int channels;

    ColorMode(int channels) {
      this.channels = channels;
    }

    public int channels() {
      return channels;
    }
  }

  private final LabelMode labelMode;
  private final ColorMode colorMode;
  private final int batchSize;
  private final int height;
  private final int width;
  private final boolean shuffle;
  private final Long seed;
  private final double validationSplit;
  private final String subset;
  private final boolean skipInvalid;
  private final ImageDataGenerator augmenter;
  private final int threads;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private ImageDatasetOptions(LabelMode labelMode, ColorMode colorMode, int batchSize,
      int height, int width, boolean shuffle, Long seed, double validationSplit, String subset,
      boolean skipInvalid, ImageDataGenerator augmenter, int threads) {
    checkArgument(batchSize >= 1, "batch_size must be >= 1, got %s", batchSize);
    checkArgument(height >= 1 && width >= 1, "image_size must be positive, got (%s, %s)", height,
        width);
    checkArgument(validationSplit >= 0 && validationSplit < 1,
        "validation_split must be between 0 and 1, received: %s", validationSplit);
    checkArgument(subset == null || subset.equals("training") || subset.equals("validation"),
        "`subset` must be either \"training\" or \"validation\", received: %s", subset);
    checkArgument(threads >= 1, "threads must be >= 1, got %s", threads);
    this.labelMode = labelMode;
    this.colorMode = colorMode;
    this.batchSize = batchSize;
    this.height = height;
    this.width = width;
    this.shuffle = shuffle;
    this.seed = seed;
    this.validationSplit = validationSplit;
    this.subset = subset;
    this.skipInvalid = skipInvalid;
    this.augmenter = augmenter;
    this.threads = threads;
  }

  /** Keras' defaults; the pipeline uses one thread per core. */
  public static ImageDatasetOptions defaults() {
    return new ImageDatasetOptions(LabelMode.INT, ColorMode.RGB, 32, 256, 256, true, null, 0,
        null, false, null, Runtime.getRuntime().availableProcessors());
  }

  public ImageDatasetOptions labelMode(LabelMode mode) {
    return toBuilder().labelMode(mode).build();
  }

  /** {@code "int"}, {@code "categorical"}, {@code "binary"} or {@code null}/"none". */
  public ImageDatasetOptions labelMode(String mode) {
    return labelMode(mode == null ? LabelMode.NONE
        : LabelMode.valueOf(mode.toUpperCase(Locale.ROOT)));
  }

  public ImageDatasetOptions colorMode(ColorMode mode) {
    return toBuilder().colorMode(mode).build();
  }

  /** {@code "grayscale"}, {@code "rgb"} or {@code "rgba"}. */
  public ImageDatasetOptions colorMode(String mode) {
    return colorMode(ColorMode.valueOf(mode.toUpperCase(Locale.ROOT)));
  }

  public ImageDatasetOptions batchSize(int batchSize) {
    return toBuilder().batchSize(batchSize).build();
  }

  /** Every image is resized to {@code height x width} (bilinear, as TensorFlow). */
  public ImageDatasetOptions imageSize(int height, int width) {
    return toBuilder().height(height).width(width).build();
  }

  public ImageDatasetOptions shuffle(boolean shuffle) {
    return toBuilder().shuffle(shuffle).build();
  }

  /** Seed of the shuffling, the validation split and the augmentation. */
  public ImageDatasetOptions seed(long seed) {
    return toBuilder().seed(seed).build();
  }

  /** The fraction of files held out for validation (the last ones after shuffling). */
  public ImageDatasetOptions validationSplit(double split) {
    return toBuilder().validationSplit(split).build();
  }

  /** {@code "training"} or {@code "validation"}, with a validation split. */
  public ImageDatasetOptions subset(String subset) {
    return toBuilder().subset(subset).build();
  }

  /**
   * Skips files that cannot be decoded, with a warning naming each, instead of failing (the
   * default, which names the file).
   */
  public ImageDatasetOptions skipInvalid(boolean skip) {
    return toBuilder().skipInvalid(skip).build();
  }

  /** Random augmentation of every image of every pass, on the pipeline's threads. */
  public ImageDatasetOptions augment(ImageDataGenerator augmenter) {
    return toBuilder().augmenter(augmenter).build();
  }

  /**
   * The most threads that decode, resize and augment (default: the cores). A pass starts with
   * one and adds threads while training waits for images, as {@code tf.data}'s AUTOTUNE does;
   * a pipeline faster than training leaves the cores to TensorFlow.
   */
  public ImageDatasetOptions threads(int threads) {
    return toBuilder().threads(threads).build();
  }
}
