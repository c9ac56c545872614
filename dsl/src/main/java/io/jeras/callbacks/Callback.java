package io.jeras.callbacks;

import io.jeras.models.Model;
import java.util.Map;

/**
 * Keras' {@code Callback}: hooks called by {@code fit}, {@code evaluate} and {@code predict}.
 *
 * <p>{@code logs} map each metric key to its running mean (batch hooks) or its epoch value
 * (epoch hooks, with {@code val_*} keys when there is validation data). Epochs and batches are
 * 0-based, as in Keras. A callback stops training with {@code run().stopTraining()} (Keras'
 * {@code self.model.stop_training = True}).
 *
 * <pre>{@code
 * class PrintLoss extends Callback {
 *   @Override public void onEpochEnd(int epoch, Map<String, Double> logs) {
 *     System.out.println(epoch + ": " + logs.get("loss"));
 *   }
 * }
 * }</pre>
 */
public abstract class Callback {
  private Model model;
  private TrainingParams params;
  private FitRun run;

  /** Called by the training loop before any hook. */
  public void setModel(Model model) {
    this.model = model;
  }

  /** Called by the training loop before any hook. */
  public void setParams(TrainingParams params) {
    this.params = params;
  }

  /** Called by {@code fit} before any hook, with the state of that run. */
  public void setRun(FitRun run) {
    this.run = run;
  }

  /** The {@code fit} run this callback takes part in (null outside {@code fit}). */
  public FitRun run() {
    return run;
  }

  /** The model being trained. */
  public Model model() {
    return model;
  }

  /** Epochs, steps per epoch and verbosity of the current run. */
  public TrainingParams params() {
    return params;
  }

  public void onTrainBegin(Map<String, Double> logs) {}

  public void onTrainEnd(Map<String, Double> logs) {}

  public void onEpochBegin(int epoch, Map<String, Double> logs) {}

  public void onEpochEnd(int epoch, Map<String, Double> logs) {}

  public void onTrainBatchBegin(int batch, Map<String, Double> logs) {}

  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {}

  public void onTestBegin(Map<String, Double> logs) {}

  public void onTestEnd(Map<String, Double> logs) {}

  public void onTestBatchBegin(int batch, Map<String, Double> logs) {}

  public void onTestBatchEnd(int batch, Map<String, Double> logs) {}

  public void onPredictBegin(Map<String, Double> logs) {}

  public void onPredictEnd(Map<String, Double> logs) {}

  public void onPredictBatchBegin(int batch, Map<String, Double> logs) {}

  public void onPredictBatchEnd(int batch, Map<String, Double> logs) {}
}
