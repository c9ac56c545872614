package io.jeras.savedmodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jeras.Jeras;
import io.jeras.callbacks.ModelCheckpoint;
import io.jeras.data.Data;
import io.jeras.layers.core.Dense;
import io.jeras.models.Sequential;
import io.jeras.trainers.Fit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCheckpointTest {
  @TempDir
  Path dir;
  private Sequential model;

  @BeforeEach
  void setUp() {
    Jeras.setRandomSeed(5);
    model = Sequential.of(Dense.of(1).inputShape(2));
    model.compile("sgd", "mse");
  }

  @AfterEach
  void tearDown() {
    model.close();
  }

  private List<String> files() throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted()
          .toList();
    }
  }

  /** Drives the callback with scripted val_loss values, as fit would. */
  private void run(ModelCheckpoint checkpoint, double... valLoss) {
    checkpoint.setModel(model);
    checkpoint.onTrainBegin(Map.of());
    for (int epoch = 0; epoch < valLoss.length; epoch++) {
      checkpoint.onEpochBegin(epoch, Map.of());
      Map<String, Double> logs = new HashMap<>(Map.of("loss", 1.0, "val_loss", valLoss[epoch]));
      checkpoint.onEpochEnd(epoch, logs);
    }
  }

  @Test
  void filePathTemplate_usesTheEpochAndAnyLogKey() throws IOException {
    run(ModelCheckpoint.to(dir + "/ckpt/epoch-{epoch:02d}-{val_loss:.2f}.ckpt"), 0.456, 0.4123);
    assertThat(files()).containsExactly("ckpt/epoch-01-0.46.ckpt", "ckpt/epoch-02-0.41.ckpt");
  }

  @Test
  void saveBestOnly_savesOnlyStrictImprovements_andLogsLikeKeras() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    run(ModelCheckpoint.to(dir + "/best-{epoch}.ckpt").saveBestOnly().verbose(1)
        .out(new PrintStream(bytes, true, StandardCharsets.UTF_8)), 0.5, 0.5, 0.4, 0.6);
    assertThat(files()).containsExactly("best-1.ckpt", "best-3.ckpt");
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
        "\nEpoch 1: val_loss improved from None to 0.50000, saving model to " + dir
            + "/best-1.ckpt\n\nEpoch 1: finished saving model to " + dir + "/best-1.ckpt\n"
            + "\nEpoch 2: val_loss did not improve from 0.50000\n"
            + "\nEpoch 3: val_loss improved from 0.50000 to 0.40000, saving model to " + dir
            + "/best-3.ckpt\n\nEpoch 3: finished saving model to " + dir + "/best-3.ckpt\n"
            + "\nEpoch 4: val_loss did not improve from 0.40000\n");
  }

  @Test
  void initialValueThreshold_mustBeBeatenFirst() throws IOException {
    run(ModelCheckpoint.to(dir + "/t-{epoch}.ckpt").saveBestOnly().initialValueThreshold(0.45),
        0.5, 0.44);
    assertThat(files()).containsExactly("t-2.ckpt");
  }

  @Test
  void missingMonitor_savesAnyway() throws IOException {
    run(ModelCheckpoint.to(dir + "/m-{epoch}.ckpt").monitor("val_accuracy").saveBestOnly(), 0.5);
    assertThat(files()).containsExactly("m-1.ckpt");
  }

  @Test
  void unknownTemplateKey_isNamed() {
    assertThatThrownBy(() -> run(ModelCheckpoint.to(dir + "/{val_acc:.2f}.ckpt"), 0.5))
        .hasMessageContaining("no value named 'val_acc'");
  }

  @Test
  void kerasFileExtensions_areRefusedRatherThanMislabelled() {
    assertThatThrownBy(() -> ModelCheckpoint.to("best.keras"))
        .hasMessageStartingWith("Jeras writes its own checkpoint format, not Keras' .keras/.h5");
  }

  @Test
  void saveFreqInBatches_andWhatItWritesLoadsBack() throws IOException {
    float[] x = new float[40];
    float[] y = new float[20];
    for (int i = 0; i < 20; i++) {
      x[2 * i] = i / 20f;
      x[2 * i + 1] = 1 - i / 20f;
      y[i] = x[2 * i] - x[2 * i + 1];
    }
    model.fit(Data.floats(x, 20, 2), Data.floats(y, 20, 1), Fit.epochs(2).batchSize(4)
        .verbose(0).callbacks(ModelCheckpoint.to(dir + "/e{epoch}-b{batch}.ckpt").saveFreq(3)));
    // 5 batches per epoch, a save every 3: after global batches 3, 6, 9
    assertThat(files()).containsExactly("e1-b3.ckpt", "e2-b1.ckpt", "e2-b4.ckpt");
    try (Sequential other = Sequential.of(Dense.of(1).inputShape(2))) {
      other.compile("sgd", "mse");
      assertThat(other.loadCheckpoint(dir.resolve("e2-b4.ckpt"))).isEqualTo(1);
      model.saveWeights(dir.resolve("now.w"));
      other.loadWeights(dir.resolve("e2-b4.ckpt"));
    }
  }
}
