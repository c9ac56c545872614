package io.jeras.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jeras.data.Data;
import io.jeras.models.Sequential;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Kills a training JVM half-way (SIGKILL, no chance to clean up) and runs it again: it must
 * resume from its last backup and end with the weights of a run that was never interrupted.
 */
class ResumableTrainingTest {
  private static final int EPOCHS = 6;

  @TempDir
  Path dir;

  private Process start(Path backup, Path weights) throws IOException {
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath, "io.jeras.examples.ResumableTraining", "--backup", backup.toString(),
        "--weights", weights.toString(), "--epochs", Integer.toString(EPOCHS),
        "--epoch-delay-ms", "400")
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  @Test
  void killedMidRun_resumesFromDiskAndMatchesAnUninterruptedRun() throws Exception {
    Path backup = dir.resolve("backup");
    Path weights = dir.resolve("final.weights");

    Process first = start(backup, weights);
    List<String> firstLines = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        firstLines.add(line);
        if (line.equals("epoch 2 done")) {
          first.destroyForcibly();
          break;
        }
      }
    }
    assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(firstLines).contains("starting at epoch 1", "epoch 2 done");
    assertThat(Files.exists(weights)).as("killed before finishing").isFalse();
    assertThat(Files.exists(backup.resolve("latest.ckpt"))).isTrue();

    Process second = start(backup, weights);
    String secondOut = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(second.exitValue()).isZero();
    assertThat(secondOut).containsPattern("starting at epoch [34]\n");
    assertThat(secondOut).contains("epoch " + EPOCHS + " done");
    assertThat(Files.exists(backup.resolve("latest.ckpt"))).as("backup deleted at the end")
        .isFalse();

    Path reference = dir.resolve("reference.weights");
    ResumableTraining.train(dir.resolve("reference-backup"), reference, EPOCHS, 0);
    try (Sequential resumed = ResumableTraining.model();
        Sequential uninterrupted = ResumableTraining.model()) {
      resumed.loadWeights(weights);
      uninterrupted.loadWeights(reference);
      List<FloatNdArray> a = resumed.getWeights();
      List<FloatNdArray> b = uninterrupted.getWeights();
      for (int i = 0; i < a.size(); i++) {
        float[] x = Data.toFloatArray(a.get(i));
        float[] y = Data.toFloatArray(b.get(i));
        for (int j = 0; j < x.length; j++) {
          assertThat(x[j]).isCloseTo(y[j], within(1e-6f));
        }
      }
    }
  }
}
