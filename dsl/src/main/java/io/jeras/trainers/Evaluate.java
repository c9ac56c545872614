package io.jeras.trainers;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.PrintStream;
import lombok.AccessLevel;
import lombok.Builder;
import lombok.Getter;
import lombok.experimental.Accessors;
import org.tensorflow.ndarray.NdArray;

/**
 * The arguments of {@code evaluate} on arrays, with Keras' defaults: batch size 32, verbose 1,
 * no sample weights.
 *
 * <pre>{@code
 * model.evaluate(x, y, Evaluate.defaults().batchSize(256).sampleWeight(weights).verbose(0));
 * }</pre>
 */
@Getter
@Accessors(fluent = true)
public final class Evaluate {
  private final int batchSize;
  private final int verbose;
  private final NdArray<?> sampleWeight;
  private final PrintStream out;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Evaluate(int batchSize, int verbose, NdArray<?> sampleWeight, PrintStream out) {
    checkArgument(batchSize >= 1, "batch_size must be >= 1, got %s", batchSize);
    checkArgument(verbose >= 0 && verbose <= 2, "verbose must be 0, 1 or 2, got %s", verbose);
    checkArgument(out != null, "out must not be null");
    this.batchSize = batchSize;
    this.verbose = verbose;
    this.sampleWeight = sampleWeight;
    this.out = out;
  }

  /** Keras' defaults. */
  public static Evaluate defaults() {
    return new Evaluate(Fit.DEFAULT_BATCH_SIZE, 1, null, System.out);
  }

  public Evaluate batchSize(int batchSize) {
    return toBuilder().batchSize(batchSize).build();
  }

  /** 0: silent; 1: a progress bar. */
  public Evaluate verbose(int verbose) {
    return toBuilder().verbose(verbose).build();
  }

  /**
   * Keras' {@code sample_weight}: the loss is the mean of each sample's loss times its weight
   * (compiled metrics stay unweighted, as Keras' {@code metrics} are).
   */
  public Evaluate sampleWeight(NdArray<?> sampleWeight) {
    checkArgument(sampleWeight != null, "sample_weight must not be null");
    return toBuilder().sampleWeight(sampleWeight).build();
  }

  /** Where progress goes (default: standard output). */
  public Evaluate out(PrintStream out) {
    return toBuilder().out(out).build();
  }
}
