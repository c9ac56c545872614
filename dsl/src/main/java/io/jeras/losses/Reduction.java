package io.jeras.losses;

import java.util.Locale;

/**
 * Keras' loss {@code reduction}: how a batch's per-sample losses (each times its sample weight)
 * become the batch's loss.
 */
public enum Reduction {
  /** Keras' default: the sum divided by the number of values. */
  SUM_OVER_BATCH_SIZE,
  /** The same as {@link #SUM_OVER_BATCH_SIZE}, as Keras defines it. */
  MEAN,
  /** The sum divided by the sum of the sample weights (the number of values without weights). */
  MEAN_WITH_SAMPLE_WEIGHT,
  /** The sum. */
  SUM;

  /** Keras' name ({@code "sum_over_batch_size"}). */
  public String kerasName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The reduction Keras calls {@code name}. */
  public static Reduction of(String name) {
    for (Reduction reduction : values()) {
      if (reduction.kerasName().equals(name)) {
        return reduction;
      }
    }
    throw new IllegalArgumentException("Invalid value for argument `reduction`. Expected one of"
        + " sum_over_batch_size, mean, mean_with_sample_weight, sum (Keras' none leaves the"
        + " losses unreduced, which fit cannot minimize). Received: reduction=" + name);
  }
}
