package io.jeras.savedmodels;

import static io.jeras.activations.Activations.RELU;
import static io.jeras.activations.Activations.SOFTMAX;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jeras.Jeras;
import io.jeras.callbacks.History;
import io.jeras.callbacks.TensorBoard;
import io.jeras.data.Data;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.core.Dense;
import io.jeras.layers.pooling.MaxPooling2D;
import io.jeras.layers.reshaping.Flatten;
import io.jeras.models.Sequential;
import io.jeras.trainers.Fit;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real TensorBoard (from PyPI) reads a Jeras run: its EventAccumulator and its HTTP data
 * API must show every History value under Keras' tags and steps.
 */
class TensorBoardInPythonTest {
  @TempDir
  Path dir;

  @Test
  void tensorBoardReadsTheHistory() throws Exception {
    Jeras.setRandomSeed(3);
    Random r = new Random(3);
    int n = 300;
    float[] x = new float[n * 8 * 8];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
      for (int j = 0; j < 64; j++) {
        x[i * 64 + j] = (float) r.nextGaussian() + (j % 3 == y[i] ? 1 : 0);
      }
    }
    Path logDir = dir.resolve("logs");
    History history;
    try (Sequential model = Sequential.of(
        Conv2D.of(4, 3).activation(RELU).inputShape(8, 8, 1), MaxPooling2D.of(2), Flatten.of(),
        Dense.of(3).activation(SOFTMAX))) {
      model.compile("adam", "sparse_categorical_crossentropy", "accuracy");
      history = model.fit(Data.floats(x, n, 8, 8, 1), Data.ints(y), Fit.epochs(4)
          .batchSize(32).validationSplit(0.2).verbose(0)
          .callbacks(TensorBoard.logDir(logDir).histogramFreq(1).updateFreq("batch")));
    }
    Path json = dir.resolve("history.json");
    new ObjectMapper().writeValue(json.toFile(), history.history());

    String output = PythonChecks.run("check_tensorboard.py", logDir.toString(), json.toString());
    assertThat(output).contains("EventAccumulator: train: 2 tags match",
        "EventAccumulator: validation: 2 tags match", "TensorBoard HTTP API: train: 2 tags match",
        "TensorBoard HTTP API: validation: 2 tags match", "graph present", "OK");
    assertThat(output).contains("conv2d/kernel/histogram", "dense/bias/histogram");
  }
}
