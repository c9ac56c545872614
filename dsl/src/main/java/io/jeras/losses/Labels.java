package io.jeras.losses;

/** The form of the labels a loss expects. */
public enum Labels {
  /** One class index per sample ({@code (batch,)} or {@code (batch, 1)}). */
  SPARSE,
  /** The same shape as the model output (one-hot classes, regression targets, 0/1 labels). */
  DENSE
}
