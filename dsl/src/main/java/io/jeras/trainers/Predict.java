package io.jeras.trainers;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.PrintStream;
import lombok.AccessLevel;
import lombok.Builder;
import lombok.Getter;
import lombok.experimental.Accessors;

/**
 * The arguments of {@code predict} on arrays: batch size 32 (Keras' default), silent (a
 * serving call should not print; Keras' default verbosity is a progress bar).
 *
 * <pre>{@code
 * FloatNdArray probabilities = model.predict(x, Predict.defaults().batchSize(256));
 * }</pre>
 */
@Getter
@Accessors(fluent = true)
public final class Predict {
  private final int batchSize;
  private final int verbose;
  private final PrintStream out;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Predict(int batchSize, int verbose, PrintStream out) {
    checkArgument(batchSize >= 1, "batch_size must be >= 1, got %s", batchSize);
    checkArgument(verbose >= 0 && verbose <= 2, "verbose must be 0, 1 or 2, got %s", verbose);
    checkArgument(out != null, "out must not be null");
    this.batchSize = batchSize;
    this.verbose = verbose;
    this.out = out;
  }

  /** Batches of 32, silent, progress (if asked for) to standard output. */
  public static Predict defaults() {
    return new Predict(Fit.DEFAULT_BATCH_SIZE, 0, System.out);
  }

  public Predict batchSize(int batchSize) {
    return toBuilder().batchSize(batchSize).build();
  }

  /** 0: silent; 1: a progress bar. */
  public Predict verbose(int verbose) {
    return toBuilder().verbose(verbose).build();
  }

  /** Where progress goes. */
  public Predict out(PrintStream out) {
    return toBuilder().out(out).build();
  }
}
