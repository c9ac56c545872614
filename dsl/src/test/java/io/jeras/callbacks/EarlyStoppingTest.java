package io.jeras.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jeras.data.Data;
import io.jeras.layers.core.Dense;
import io.jeras.models.Sequential;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * EarlyStopping driven epoch by epoch with scripted logs, against Keras'
 * {@code callbacks/early_stopping.py}; the model is real so weights can be saved and restored.
 */
class EarlyStoppingTest {
  private Sequential model;

  @BeforeEach
  void setUp() {
    model = Sequential.of(Dense.of(1).inputShape(1));
    model.compile("sgd", "mse", "mae");
  }

  @AfterEach
  void tearDown() {
    model.close();
  }

  /** Runs the callback over the given val_loss values; returns the epochs it saw. */
  private List<Integer> run(EarlyStopping callback, double... valLoss) {
    callback.setModel(model);
    FitRun run = new FitRun();
    callback.setRun(run);
    callback.onTrainBegin(Map.of());
    List<Integer> epochs = new ArrayList<>();
    for (int epoch = 0; epoch < valLoss.length && !run.stopRequested(); epoch++) {
      setKernel(epoch);
      epochs.add(epoch);
      callback.onEpochEnd(epoch, Map.of("loss", 1.0, "val_loss", valLoss[epoch]));
    }
    callback.onTrainEnd(Map.of());
    return epochs;
  }

  private void setKernel(float value) {
    model.setWeights(List.of(Data.floats(new float[] {value}, 1, 1),
        Data.floats(new float[] {0}, 1)));
  }

  private float kernel() {
    return model.getWeights().get(0).getFloat(0, 0);
  }

  @Test
  void patienceZero_stopsAtTheFirstEpochWithoutImprovement() {
    assertThat(run(EarlyStopping.defaults(), 1.0, 0.9, 0.95, 0.5)).containsExactly(0, 1, 2);
  }

  @Test
  void patience_waitsThatManyEpochs() {
    EarlyStopping stop = EarlyStopping.on("val_loss").patience(2);
    assertThat(run(stop, 1.0, 0.9, 0.95, 0.97, 0.1)).containsExactly(0, 1, 2, 3);
    assertThat(stop.stoppedEpoch()).isEqualTo(3);
    assertThat(stop.best()).isEqualTo(0.9);
  }

  @Test
  void improvementIsStrictAndMinDeltaIsAbsolute() {
    // 0.95 improves on 1.0 by 0.05, not by more than min_delta 0.05
    assertThat(run(EarlyStopping.on("val_loss").minDelta(-0.05), 1.0, 0.95, 0.5))
        .containsExactly(0, 1);
    assertThat(run(EarlyStopping.on("val_loss"), 1.0, 1.0, 0.5)).containsExactly(0, 1);
  }

  @Test
  void baseline_mustBeBeatenForPatienceToReset() {
    // 0.9 improves but does not beat the baseline 0.5, so wait is not reset: patience 2 runs
    // out one epoch earlier than without a baseline
    assertThat(run(EarlyStopping.on("val_loss").patience(2).baseline(0.5), 0.9, 0.95, 0.97, 0.96))
        .containsExactly(0, 1);
    assertThat(run(EarlyStopping.on("val_loss").patience(2), 0.9, 0.95, 0.97, 0.96))
        .containsExactly(0, 1, 2);
    // an improvement never stops training, baseline or not
    assertThat(run(EarlyStopping.on("val_loss").baseline(0.5), 0.9, 0.8, 0.7))
        .containsExactly(0, 1, 2);
  }

  @Test
  void restoreBestWeights_evenWhenItNeverFired() {
    EarlyStopping stop = EarlyStopping.on("val_loss").patience(10).restoreBestWeights();
    assertThat(run(stop, 1.0, 0.5, 0.7, 0.8)).containsExactly(0, 1, 2, 3);
    assertThat(stop.stoppedEpoch()).isZero();
    assertThat(kernel()).isEqualTo(1f);   // the kernel set at epoch 1, the best
  }

  @Test
  void startFromEpoch_ignoresTheWarmUp() {
    assertThat(run(EarlyStopping.on("val_loss").startFromEpoch(2), 1.0, 2.0, 3.0, 4.0, 5.0))
        .containsExactly(0, 1, 2, 3);
  }

  @Test
  void modeMax_forAccuracyLikeKeys_andAutoFollowsTheMetric() {
    EarlyStopping stop = EarlyStopping.on("val_mae");
    stop.setModel(model);
    assertThat(stop.higherIsBetter()).isFalse();
    EarlyStopping max = EarlyStopping.on("val_loss").mode(MonitorCallback.Mode.MAX);
    assertThat(run(max, 1.0, 0.5)).containsExactly(0, 1);
  }

  @Test
  void unknownDirection_asksForAMode() {
    EarlyStopping stop = EarlyStopping.on("val_f1");
    stop.setModel(model);
    assertThatThrownBy(stop::higherIsBetter).hasMessageContaining(
        "isn't able to automatically determine whether that metric should be maximized");
  }

  @Test
  void missingKey_warnsAndNeverStops() {
    EarlyStopping stop = EarlyStopping.on("val_accuracy");
    assertThat(run(stop, 1.0, 2.0, 3.0)).containsExactly(0, 1, 2);
  }

  @Test
  void verbose_printsKerasMessages() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    EarlyStopping stop = EarlyStopping.on("val_loss").restoreBestWeights().verbose(1)
        .out(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    run(stop, 1.0, 0.5, 0.7);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("Epoch 3: early stopping\n"
        + "Restoring model weights from the end of the best epoch: 2.\n");
  }

  @Test
  void stateResetsAtEachFit() {
    EarlyStopping stop = EarlyStopping.on("val_loss");
    run(stop, 0.1, 0.2);
    assertThat(run(stop, 5.0, 4.0, 3.0)).containsExactly(0, 1, 2);
  }
}
