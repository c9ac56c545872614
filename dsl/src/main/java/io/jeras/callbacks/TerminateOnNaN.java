package io.jeras.callbacks;

import java.io.PrintStream;
import java.util.Map;
import lombok.AccessLevel;
import lombok.Builder;

/**
 * Keras' {@code TerminateOnNaN}: stops training after a batch whose loss is NaN or infinite,
 * printing {@code Batch N: Invalid loss, terminating training}, or throws with
 * {@link #raiseError()}.
 */
public final class TerminateOnNaN extends Callback {
  private final boolean raiseError;
  private final PrintStream out;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private TerminateOnNaN(boolean raiseError, PrintStream out) {
    this.raiseError = raiseError;
    this.out = out;
  }

  public static TerminateOnNaN create() {
    return new TerminateOnNaN(false, System.out);
  }

  /** Throws instead of stopping quietly. */
  public TerminateOnNaN raiseError() {
    return toBuilder().raiseError(true).build();
  }

  public TerminateOnNaN out(PrintStream out) {
    return toBuilder().out(out).build();
  }

  @Override
  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    Double loss = logs.get("loss");
    if (loss != null && (loss.isNaN() || loss.isInfinite())) {
      if (raiseError) {
        throw new IllegalStateException("NaN or Inf loss encountered at batch " + batch
            + ". Loss value: " + loss + ". Terminating training immediately.");
      }
      out.println("Batch " + batch + ": Invalid loss, terminating training");
      run().stopTraining();
    }
  }
}
