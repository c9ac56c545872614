package io.jeras.callbacks;

import io.jeras.utils.Progbar;
import java.io.PrintStream;
import java.util.Map;

/**
 * Keras' {@code ProgbarLogger}: prints {@code Epoch 3/20} (when there is more than one epoch)
 * and a progress bar per epoch in {@code fit}, and a bar for {@code evaluate} and
 * {@code predict} when they are called on their own. Added by {@code fit} when verbose is 1
 * or 2.
 */
public final class ProgbarLogger extends Callback {
  private final PrintStream out;
  private Progbar progbar;
  private boolean inFit;

  public ProgbarLogger(PrintStream out) {
    this.out = out;
  }

  @Override
  public void onTrainBegin(Map<String, Double> logs) {
    inFit = true;
  }

  @Override
  public void onTrainEnd(Map<String, Double> logs) {
    inFit = false;
  }

  @Override
  public void onEpochBegin(int epoch, Map<String, Double> logs) {
    progbar = Progbar.of(params().steps(), params().verbose(), out);
    if (params().verbose() > 0 && params().epochs() > 1) {
      out.println("Epoch " + (epoch + 1) + "/" + params().epochs());
    }
  }

  @Override
  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    progbar.update(batch + 1, logs, false);
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    progbar.update(params().steps(), logs, true);
  }

  @Override
  public void onTestBegin(Map<String, Double> logs) {
    if (!inFit) {
      progbar = Progbar.of(params().steps(), params().verbose(), out);
    }
  }

  @Override
  public void onTestBatchEnd(int batch, Map<String, Double> logs) {
    if (!inFit) {
      progbar.update(batch + 1, logs, false);
    }
  }

  @Override
  public void onTestEnd(Map<String, Double> logs) {
    if (!inFit) {
      progbar.update(params().steps(), logs, true);
    }
  }

  @Override
  public void onPredictBegin(Map<String, Double> logs) {
    progbar = Progbar.of(params().steps(), params().verbose(), out);
  }

  @Override
  public void onPredictBatchEnd(int batch, Map<String, Double> logs) {
    progbar.update(batch + 1, logs, false);
  }

  @Override
  public void onPredictEnd(Map<String, Double> logs) {
    progbar.update(params().steps(), logs, true);
  }
}
