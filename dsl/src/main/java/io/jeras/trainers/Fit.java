package io.jeras.trainers;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.callbacks.Callback;
import io.jeras.data.Dataset;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import lombok.AccessLevel;
import lombok.Builder;
import lombok.Getter;
import lombok.experimental.Accessors;
import org.tensorflow.ndarray.NdArray;

/**
 * The arguments of {@code fit}, with Keras' defaults: 1 epoch, batch size 32, verbose 1,
 * shuffled every epoch, no validation.
 *
 * <pre>{@code
 * model.fit(x, y, Fit.epochs(10).batchSize(128).validationSplit(0.1).callbacks(earlyStopping));
 * }</pre>
 */
@Getter
@Accessors(fluent = true)
public final class Fit {
  public static final int DEFAULT_BATCH_SIZE = 32;

  private final int epochs;
  private final int batchSize;
  private final int verbose;
  private final double validationSplit;
  private final Map<String, ? extends NdArray<?>> validationX;
  private final Map<String, ? extends NdArray<?>> validationY;
  private final Integer validationBatchSize;
  private final Dataset validationDataset;
  private final Integer stepsPerEpoch;
  private final Integer validationSteps;
  private final int validationFreq;
  private final boolean shuffle;
  private final Long seed;
  private final int initialEpoch;
  private final List<Callback> callbacks;
  private final PrintStream out;
  private final NdArray<?> sampleWeight;
  private final Map<Integer, Double> classWeight;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Fit(int epochs, int batchSize, int verbose, double validationSplit,
      Map<String, ? extends NdArray<?>> validationX, Map<String, ? extends NdArray<?>> validationY,
      Integer validationBatchSize, Dataset validationDataset, Integer stepsPerEpoch,
      Integer validationSteps, int validationFreq, boolean shuffle, Long seed, int initialEpoch,
      List<Callback> callbacks, PrintStream out, NdArray<?> sampleWeight,
      Map<Integer, Double> classWeight) {
    checkArgument(epochs >= 1, "epochs must be >= 1, got %s", epochs);
    checkArgument(batchSize >= 1, "batch_size must be >= 1, got %s", batchSize);
    checkArgument(verbose >= 0 && verbose <= 2, "verbose must be 0, 1 or 2, got %s", verbose);
    checkArgument(validationSplit >= 0 && validationSplit < 1,
        "validation_split must be in [0, 1), got %s", validationSplit);
    checkArgument(validationX == null && validationDataset == null || validationSplit == 0,
        "give validation data or a validation split, not both");
    checkArgument(stepsPerEpoch == null || stepsPerEpoch >= 1,
        "steps_per_epoch must be >= 1, got %s", stepsPerEpoch);
    checkArgument(validationSteps == null || validationSteps >= 1,
        "validation_steps must be >= 1, got %s", validationSteps);
    checkArgument(validationFreq >= 1, "validation_freq must be >= 1, got %s", validationFreq);
    checkArgument(initialEpoch >= 0 && initialEpoch < epochs,
        "initial_epoch must be in [0, epochs), got %s with epochs=%s", initialEpoch, epochs);
    checkArgument(sampleWeight == null || classWeight == null,
        "You cannot `class_weight` and `sample_weight` at the same time.");
    this.epochs = epochs;
    this.batchSize = batchSize;
    this.verbose = verbose;
    this.validationSplit = validationSplit;
    this.validationX = validationX;
    this.validationY = validationY;
    this.validationBatchSize = validationBatchSize;
    this.validationDataset = validationDataset;
    this.stepsPerEpoch = stepsPerEpoch;
    this.validationSteps = validationSteps;
    this.validationFreq = validationFreq;
    this.shuffle = shuffle;
    this.seed = seed;
    this.initialEpoch = initialEpoch;
    this.callbacks = List.copyOf(callbacks);
    this.out = out;
    this.sampleWeight = sampleWeight;
    this.classWeight = classWeight;
  }

  /** Keras' defaults. */
  public static Fit defaults() {
    return new Fit(1, DEFAULT_BATCH_SIZE, 1, 0, null, null, null, null, null, null, 1, true,
        null, 0, List.of(), System.out, null, null);
  }

  /** Keras' defaults with {@code epochs} epochs. */
  public static Fit epochs(int epochs) {
    return defaults().toBuilder().epochs(epochs).build();
  }

  /** Number of epochs to train to (epochs already done count, see {@link #initialEpoch}). */
  public Fit withEpochs(int epochs) {
    return toBuilder().epochs(epochs).build();
  }

  /**
   * Keras' {@code steps_per_epoch} for datasets: each epoch trains on this many batches of one
   * pass that continues from epoch to epoch (use {@code dataset.repeat()} for more batches than
   * a pass holds; a pass that runs out stops training with Keras' warning).
   */
  public Fit stepsPerEpoch(int steps) {
    return toBuilder().stepsPerEpoch(steps).build();
  }

  /** Validation on a dataset (Keras' {@code validation_data=generator}). */
  public Fit validationData(Dataset validation) {
    return toBuilder().validationDataset(validation).validationX(null).validationY(null).build();
  }

  /** Keras' {@code validation_steps}: batches of the validation dataset per evaluation. */
  public Fit validationSteps(int steps) {
    return toBuilder().validationSteps(steps).build();
  }

  public Fit batchSize(int batchSize) {
    return toBuilder().batchSize(batchSize).build();
  }

  /** 0: silent; 1: a progress bar; 2: one line per epoch. */
  public Fit verbose(int verbose) {
    return toBuilder().verbose(verbose).build();
  }

  /** Holds out the last {@code split} of the samples (before shuffling) for validation. */
  public Fit validationSplit(double split) {
    return toBuilder().validationSplit(split).build();
  }

  /** Validates on {@code x, y} at the end of every epoch. */
  public Fit validationData(NdArray<?> x, NdArray<?> y) {
    checkArgument(x != null && y != null, "validation data needs both x and y");
    Map<String, NdArray<?>> xs = new HashMap<>();
    xs.put("", x);
    Map<String, NdArray<?>> ys = new HashMap<>();
    ys.put("", y);
    return toBuilder().validationX(xs).validationY(ys).build();
  }

  /** Validates on inputs and labels keyed by input and output name. */
  public Fit validationData(Map<String, ? extends NdArray<?>> x,
      Map<String, ? extends NdArray<?>> y) {
    checkArgument(x != null && y != null, "validation data needs both x and y");
    return toBuilder().validationX(Map.copyOf(x)).validationY(Map.copyOf(y)).build();
  }

  public Fit validationBatchSize(int batchSize) {
    checkArgument(batchSize >= 1, "validation_batch_size must be >= 1, got %s", batchSize);
    return toBuilder().validationBatchSize(batchSize).build();
  }

  /** Validates every {@code freq} epochs. */
  public Fit validationFreq(int freq) {
    return toBuilder().validationFreq(freq).build();
  }

  public Fit shuffle(boolean shuffle) {
    return toBuilder().shuffle(shuffle).build();
  }

  /** Fixes the shuffling order (otherwise it follows {@code Jeras.setRandomSeed}). */
  public Fit seed(long seed) {
    return toBuilder().seed(seed).build();
  }

  /** The epoch to start at (0-based), to resume a previous run. */
  public Fit initialEpoch(int epoch) {
    return toBuilder().initialEpoch(epoch).build();
  }

  /** The user's callbacks. */
  public List<Callback> callbacks() {
    return callbacks;
  }

  public Fit callbacks(Callback... callbacks) {
    return toBuilder().callbacks(List.of(callbacks)).build();
  }

  public Fit callbacks(List<? extends Callback> callbacks) {
    return toBuilder().callbacks(List.copyOf(callbacks)).build();
  }

  /**
   * Keras' {@code sample_weight}: one weight per training sample ({@code (n,)} or {@code (n,
   * 1)}); each sample's loss is multiplied by its weight before the batch mean (Keras' {@code
   * sum_over_batch_size}: divided by the batch size, not by the sum of the weights). Compiled
   * metrics stay unweighted, as Keras' {@code metrics} are. A validation split splits the
   * weights with the samples.
   */
  public Fit sampleWeight(NdArray<?> sampleWeight) {
    checkArgument(sampleWeight != null, "sample_weight must not be null");
    return toBuilder().sampleWeight(sampleWeight).build();
  }

  /**
   * Keras' {@code class_weight}: each sample weighs as its class (the label, or the index of
   * the largest value of a one-hot label) maps here, 1 for classes not in the map. Models with
   * one output only, as in Keras; with arrays and with datasets (image folders).
   */
  public Fit classWeight(Map<Integer, ? extends Number> classWeight) {
    checkArgument(classWeight != null, "class_weight must not be null");
    Map<Integer, Double> weights = new HashMap<>();
    classWeight.forEach((k, v) -> weights.put(k, v.doubleValue()));
    return toBuilder().classWeight(Map.copyOf(weights)).build();
  }

  /** Where progress goes (default: standard output). */
  public Fit out(PrintStream out) {
    checkArgument(out != null, "out must not be null");
    return toBuilder().out(out).build();
  }

  /** The batch size for validation. */
  public int effectiveValidationBatchSize() {
    return validationBatchSize != null ? validationBatchSize : batchSize;
  }
}
