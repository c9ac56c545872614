package io.jeras.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jeras.Jeras;
import io.jeras.data.Data;
import io.jeras.layers.core.Dense;
import io.jeras.models.Sequential;
import io.jeras.optimizers.SGD;
import io.jeras.losses.Loss;
import io.jeras.metrics.Metric;
import io.jeras.trainers.Fit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

class CallbacksTest {
  @TempDir
  Path dir;
  private Sequential model;

  private static FloatNdArray x() {
    float[] v = new float[40];
    for (int i = 0; i < 40; i++) {
      v[i] = (i % 7) / 7f - 0.4f;
    }
    return Data.floats(v, 20, 2);
  }

  private static FloatNdArray y() {
    float[] v = new float[20];
    for (int i = 0; i < 20; i++) {
      v[i] = 3 * ((i * 2) % 7 / 7f - 0.4f) - ((i * 2 + 1) % 7 / 7f - 0.4f);
    }
    return Data.floats(v, 20, 1);
  }

  @BeforeEach
  void setUp() {
    Jeras.setRandomSeed(2);
    model = Sequential.of(Dense.of(1).inputShape(2));
    model.compile(SGD.defaults().learningRate(0.1), Loss.MEAN_SQUARED_ERROR,
        Metric.MEAN_ABSOLUTE_ERROR);
  }

  @AfterEach
  void tearDown() {
    model.close();
  }

  @Test
  void csvLogger_writesKerasColumnsAndPythonNumbers() throws Exception {
    Path csv = dir.resolve("log.csv");
    History history = model.fit(x(), y(), Fit.epochs(2).batchSize(10).validationSplit(0.5)
        .verbose(0).callbacks(CSVLogger.to(csv)));
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).isEqualTo("epoch,loss,mean_absolute_error,val_loss,"
        + "val_mean_absolute_error");
    String[] row = lines.get(2).split(",");
    assertThat(row[0]).isEqualTo("1");
    assertThat(Double.parseDouble(row[1])).isEqualTo(history.get("loss").get(1));
    assertThat(Double.parseDouble(row[4]))
        .isEqualTo(history.get("val_mean_absolute_error").get(1));
    assertThat(Files.readString(csv)).contains("\r\n");
  }

  @Test
  void csvLogger_withoutValidation_hasEmptyValColumnsAsNa_andAppendSkipsTheHeader()
      throws Exception {
    Path csv = dir.resolve("log.csv");
    model.fit(x(), y(), Fit.epochs(1).verbose(0).callbacks(CSVLogger.to(csv)));
    model.fit(x(), y(), Fit.epochs(1).verbose(0).callbacks(CSVLogger.to(csv).append(true)));
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).endsWith(",NA,NA");
    assertThat(lines.get(2)).startsWith("0,");
  }

  @Test
  void learningRateScheduler_setsTheGraphsRateEachEpochAndLogsIt() {
    History history = model.fit(x(), y(), Fit.epochs(3).verbose(0)
        .callbacks(LearningRateScheduler.of((epoch, lr) -> epoch == 0 ? lr : lr / 2)));
    List<Double> rates = history.get("learning_rate");
    assertThat(rates).hasSize(3);
    assertThat(rates.get(0)).isCloseTo(0.1, within(1e-7));
    assertThat(rates.get(1)).isCloseTo(0.05, within(1e-7));
    assertThat(rates.get(2)).isCloseTo(0.025, within(1e-7));
    assertThat(model.learningRate()).isCloseTo(0.025, within(1e-8));
  }

  @Test
  void learningRateScheduler_changesTheStepsActuallyTaken() {
    List<FloatNdArray> start = model.getWeights();
    model.fit(x(), y(), Fit.epochs(1).batchSize(20).shuffle(false).verbose(0)
        .callbacks(LearningRateScheduler.of((epoch, lr) -> 0.0)));
    assertThat(Data.toFloatArray(model.getWeights().get(0)))
        .containsExactly(Data.toFloatArray(start.get(0)));
  }

  @Test
  void reduceLrOnPlateau_multipliesAfterPatienceThenCoolsDown() {
    ReduceLROnPlateau reduce = ReduceLROnPlateau.on("val_loss").factor(0.5).patience(2)
        .cooldown(1).minLr(0.02);
    reduce.setModel(model);
    reduce.onTrainBegin(Map.of());
    double[] valLoss = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
    List<Double> rates = new ArrayList<>();
    for (int epoch = 0; epoch < valLoss.length; epoch++) {
      Map<String, Double> logs = new HashMap<>(Map.of("val_loss", valLoss[epoch]));
      reduce.onEpochEnd(epoch, logs);
      rates.add((double) Math.round(model.learningRate() * 1e6) / 1e6);
      assertThat(logs).containsKey("learning_rate");
    }
    // Keras' order: epoch 0 improves (first value); 1, 2 wait -> 0.05 at epoch 2 with cooldown 1;
    // at 3 the cooldown counts down to 0 and the same epoch already waits (1); 4 -> 0.025;
    // 5 waits; 6 -> max(0.0125, min_lr 0.02); 7 waits
    assertThat(rates).containsExactly(0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02);
  }

  @Test
  void reduceLrOnPlateau_factorAtLeastOne_isRejected() {
    assertThatThrownBy(() -> ReduceLROnPlateau.defaults().factor(1.5))
        .hasMessage("ReduceLROnPlateau does not support a factor >= 1.0. Received factor=1.5");
  }

  @Test
  void terminateOnNaN_stopsAfterTheBatch() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    model.compile(SGD.defaults().learningRate(1e30), Loss.MEAN_SQUARED_ERROR);
    History history = model.fit(x(), y(), Fit.epochs(5).batchSize(2).verbose(0)
        .callbacks(TerminateOnNaN.create().out(new PrintStream(bytes, true,
            StandardCharsets.UTF_8))));
    assertThat(history.epochs()).containsExactly(0);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).matches("Batch \\d: Invalid loss,"
        + " terminating training\n");
    assertThatThrownBy(() -> model.fit(x(), y(), Fit.epochs(1).batchSize(2).verbose(0)
        .callbacks(TerminateOnNaN.create().raiseError())))
        .hasMessageStartingWith("NaN or Inf loss encountered at batch 0.");
  }

  @Test
  void lambdaCallback() {
    List<String> seen = new ArrayList<>();
    model.fit(x(), y(), Fit.epochs(2).batchSize(20).verbose(0).callbacks(LambdaCallback.create()
        .onTrainBegin(logs -> seen.add("begin"))
        .onEpochEnd((epoch, logs) -> seen.add("epoch " + epoch))
        .onTrainBatchEnd((batch, logs) -> seen.add("batch " + batch))
        .onTrainEnd(logs -> seen.add("end"))));
    assertThat(seen).containsExactly("begin", "batch 0", "epoch 0", "batch 0", "epoch 1", "end");
  }
}
