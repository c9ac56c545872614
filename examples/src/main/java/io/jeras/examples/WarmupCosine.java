package io.jeras.examples;

import io.jeras.callbacks.Callback;
import java.util.Map;

/**
 * Sets the learning rate before every training step to Keras' {@code
 * CosineDecay(initial_learning_rate=0, warmup_target=peak, warmup_steps=w, decay_steps=d)}:
 * a linear rise from 0 to {@code peak} over the first {@code warmupEpochs}, then half a cosine
 * down to 0 at the end of training. Records {@code learning_rate} in each epoch's logs.
 */
final class WarmupCosine extends Callback {
  private final double peak;
  private final int warmupEpochs;
  private int epoch;

  WarmupCosine(double peak, int warmupEpochs) {
    this.peak = peak;
    this.warmupEpochs = warmupEpochs;
  }

  /** The rate at {@code step} of {@code totalSteps}, with {@code warmupSteps} of warm-up. */
  static double rate(double peak, long step, long warmupSteps, long totalSteps) {
    if (step < warmupSteps) {
      return peak * step / warmupSteps;
    }
    double fraction = Math.min(1.0, (double) (step - warmupSteps) / (totalSteps - warmupSteps));
    return peak * 0.5 * (1 + Math.cos(Math.PI * fraction));
  }

  @Override
  public void onEpochBegin(int epoch, Map<String, Double> logs) {
    this.epoch = epoch;
  }

  @Override
  public void onTrainBatchBegin(int batch, Map<String, Double> logs) {
    long steps = params().steps();
    model().setLearningRate(rate(peak, epoch * steps + batch, warmupEpochs * steps,
        params().epochs() * steps));
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    logs.put("learning_rate", (double) (float) model().learningRate());
  }
}
