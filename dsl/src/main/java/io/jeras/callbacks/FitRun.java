package io.jeras.callbacks;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The state of one {@code fit} run that callbacks change: whether training should stop (Keras'
 * {@code model.stop_training = True}, here {@code run().stopTraining()}), and the epoch the run
 * begins at when a callback restores a backup in {@code onTrainBegin} (Keras' BackupAndRestore
 * sets the initial epoch). Each {@code fit} makes a new one, so nothing of one run leaks into
 * the next.
 */
public final class FitRun {
  private boolean stopRequested;
  private Integer resumeEpoch;

  /** Asks training to stop after the current batch's callbacks (as Keras' flag does). */
  public void stopTraining() {
    stopRequested = true;
  }

  /** Whether a callback asked training to stop. */
  public boolean stopRequested() {
    return stopRequested;
  }

  /** Asks the run being started to begin at {@code epoch} (from {@code onTrainBegin}). */
  public void resumeAt(int epoch) {
    checkArgument(epoch >= 0, "epoch must be >= 0, got %s", epoch);
    this.resumeEpoch = epoch;
  }

  /** The epoch asked for by {@link #resumeAt}; null if none. */
  public Integer resumeEpoch() {
    return resumeEpoch;
  }
}
