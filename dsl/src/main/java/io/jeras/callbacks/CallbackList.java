package io.jeras.callbacks;

import io.jeras.models.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The callbacks of one {@code fit}/{@code evaluate}/{@code predict} call, in Keras' order: the
 * progress bar first (when verbose), then the user's, then the {@link History}.
 */
public final class CallbackList extends Callback {
  private final List<Callback> callbacks;

  public CallbackList(List<? extends Callback> callbacks) {
    this.callbacks = new ArrayList<>(callbacks);
  }

  /** The callbacks, in call order. */
  public List<Callback> callbacks() {
    return List.copyOf(callbacks);
  }

  @Override
  public void setModel(Model model) {
    super.setModel(model);
    callbacks.forEach(c -> c.setModel(model));
  }

  @Override
  public void setRun(FitRun run) {
    super.setRun(run);
    callbacks.forEach(c -> c.setRun(run));
  }

  @Override
  public void setParams(TrainingParams params) {
    super.setParams(params);
    callbacks.forEach(c -> c.setParams(params));
  }

  @Override
  public void onTrainBegin(Map<String, Double> logs) {
    callbacks.forEach(c -> c.onTrainBegin(logs));
  }

  @Override
  public void onTrainEnd(Map<String, Double> logs) {
    callbacks.forEach(c -> c.onTrainEnd(logs));
  }

  @Override
  public void onEpochBegin(int epoch, Map<String, Double> logs) {
    callbacks.forEach(c -> c.onEpochBegin(epoch, logs));
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    callbacks.forEach(c -> c.onEpochEnd(epoch, logs));
  }

  @Override
  public void onTrainBatchBegin(int batch, Map<String, Double> logs) {
    callbacks.forEach(c -> c.onTrainBatchBegin(batch, logs));
  }

  @Override
  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    callbacks.forEach(c -> c.onTrainBatchEnd(batch, logs));
  }

  @Override
  public void onTestBegin(Map<String, Double> logs) {
    callbacks.forEach(c -> c.onTestBegin(logs));
  }

  @Override
  public void onTestEnd(Map<String, Double> logs) {
    callbacks.forEach(c -> c.onTestEnd(logs));
  }

  @Override
  public void onTestBatchBegin(int batch, Map<String, Double> logs) {
    callbacks.forEach(c -> c.onTestBatchBegin(batch, logs));
  }

  @Override
  public void onTestBatchEnd(int batch, Map<String, Double> logs) {
    callbacks.forEach(c -> c.onTestBatchEnd(batch, logs));
  }

  @Override
  public void onPredictBegin(Map<String, Double> logs) {
    callbacks.forEach(c -> c.onPredictBegin(logs));
  }

  @Override
  public void onPredictEnd(Map<String, Double> logs) {
    callbacks.forEach(c -> c.onPredictEnd(logs));
  }

  @Override
  public void onPredictBatchBegin(int batch, Map<String, Double> logs) {
    callbacks.forEach(c -> c.onPredictBatchBegin(batch, logs));
  }

  @Override
  public void onPredictBatchEnd(int batch, Map<String, Double> logs) {
    callbacks.forEach(c -> c.onPredictBatchEnd(batch, logs));
  }
}
