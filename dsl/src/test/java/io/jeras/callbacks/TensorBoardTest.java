package io.jeras.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jeras.Jeras;
import io.jeras.bridge.EventFileReader;
import io.jeras.data.Data;
import io.jeras.layers.core.Dense;
import io.jeras.models.Sequential;
import io.jeras.trainers.Fit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

class TensorBoardTest {
  @TempDir
  Path dir;

  /** tag -> values by step, from every event file in {@code run}. */
  static Map<String, Map<Long, Float>> scalars(Path run) {
    Map<String, Map<Long, Float>> scalars = new LinkedHashMap<>();
    for (Path file : EventFileReader.eventFiles(run)) {
      for (Event event : EventFileReader.read(file)) {
        for (Summary.Value value : event.getSummary().getValueList()) {
          if (value.hasSimpleValue() || value.getValueCase() == Summary.Value.ValueCase.SIMPLE_VALUE) {
            scalars.computeIfAbsent(value.getTag(), t -> new LinkedHashMap<>())
                .put(event.getStep(), value.getSimpleValue());
          }
        }
      }
    }
    return scalars;
  }

  @Test
  void epochScalars_equalTheHistory_withKerasTagsAndSteps() {
    Jeras.setRandomSeed(1);
    Random r = new Random(1);
    float[] x = new float[100 * 3];
    float[] y = new float[100];
    for (int i = 0; i < 100; i++) {
      for (int j = 0; j < 3; j++) {
        x[i * 3 + j] = (float) r.nextGaussian();
      }
      y[i] = x[i * 3] - 2 * x[i * 3 + 1];
    }
    Path logDir = dir.resolve("run");
    try (Sequential model = Sequential.of(Dense.of(1).inputShape(3))) {
      model.compile("sgd", "mse", "mae");
      History history = model.fit(Data.floats(x, 100, 3), Data.floats(y, 100, 1),
          Fit.epochs(3).batchSize(10).validationSplit(0.2).verbose(0)
              .callbacks(TensorBoard.logDir(logDir).histogramFreq(1).updateFreq(4)));

      Map<String, Map<Long, Float>> train = scalars(logDir.resolve("train"));
      Map<String, Map<Long, Float>> validation = scalars(logDir.resolve("validation"));
      assertThat(train.keySet()).contains("epoch_loss", "epoch_mae", "epoch_learning_rate",
          "batch_loss", "batch_mae");
      for (long epoch = 0; epoch < 3; epoch++) {
        assertThat((double) train.get("epoch_loss").get(epoch))
            .isCloseTo(history.get("loss").get((int) epoch), within(1e-6));
        assertThat((double) validation.get("epoch_loss").get(epoch))
            .isCloseTo(history.get("val_loss").get((int) epoch), within(1e-6));
        assertThat((double) validation.get("epoch_mae").get(epoch))
            .isCloseTo(history.get("val_mae").get((int) epoch), within(1e-6));
        assertThat(train.get("epoch_learning_rate").get(epoch)).isEqualTo(0.01f);
      }
      // 8 batches per epoch, every 4th: global steps 4, 8, ..., 24
      assertThat(train.get("batch_loss").keySet()).containsExactly(4L, 8L, 12L, 16L, 20L, 24L);
      // validation against the optimizer's step count: 8, 16, 24
      assertThat(validation.get("evaluation_loss_vs_iterations").keySet())
          .containsExactly(8L, 16L, 24L);

      List<String> histograms = new ArrayList<>();
      boolean graph = false;
      for (Path file : EventFileReader.eventFiles(logDir.resolve("train"))) {
        for (Event event : EventFileReader.read(file)) {
          graph |= !event.getGraphDef().isEmpty();
          for (Summary.Value value : event.getSummary().getValueList()) {
            if (value.hasHisto()) {
              histograms.add(value.getTag() + "@" + event.getStep());
            }
          }
        }
      }
      assertThat(graph).isTrue();
      assertThat(histograms).contains("dense/kernel/histogram@0", "dense/bias/histogram@2");
    }
  }
}
