package io.jeras.savedmodels;

import static io.jeras.activations.Activations.RELU;
import static io.jeras.activations.Activations.SOFTMAX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jeras.Jeras;
import io.jeras.data.Data;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.core.Dense;
import io.jeras.layers.reshaping.Flatten;
import io.jeras.losses.Loss;
import io.jeras.metrics.Metric;
import io.jeras.models.Sequential;
import io.jeras.optimizers.Adam;
import io.jeras.optimizers.AdamW;
import io.jeras.optimizers.Ftrl;
import io.jeras.optimizers.Nadam;
import io.jeras.optimizers.Optimizer;
import io.jeras.optimizers.SGD;
import io.jeras.optimizers.schedules.ExponentialDecay;
import io.jeras.trainers.Fit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;

class CheckpointFileTest {
  private static final int N = 256;

  @TempDir
  Path dir;

  private static FloatNdArray x() {
    Random r = new Random(3);
    float[] v = new float[N * 6 * 6];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return Data.floats(v, N, 6, 6, 1);
  }

  private static IntNdArray y() {
    int[] labels = new int[N];
    for (int i = 0; i < N; i++) {
      labels[i] = i % 3;
    }
    return Data.ints(labels);
  }

  private static Sequential model() {
    return model(Adam.defaults());
  }

  private static Sequential model(Optimizer optimizer) {
    Sequential model = Sequential.of(Conv2D.of(4, 3).activation(RELU).inputShape(6, 6, 1),
        Flatten.of(), Dense.of(3).activation(SOFTMAX));
    model.compile(optimizer, Loss.SPARSE_CATEGORICAL_CROSSENTROPY, Metric.ACCURACY);
    return model;
  }

  private static Fit fit(int epochs) {
    return Fit.epochs(epochs).batchSize(32).seed(8).verbose(0);
  }

  private static void assertSameWeights(Sequential a, Sequential b, float tolerance) {
    List<FloatNdArray> wa = a.getWeights();
    List<FloatNdArray> wb = b.getWeights();
    assertThat(wa).hasSameSizeAs(wb);
    for (int i = 0; i < wa.size(); i++) {
      float[] va = Data.toFloatArray(wa.get(i));
      float[] vb = Data.toFloatArray(wb.get(i));
      for (int j = 0; j < va.length; j++) {
        assertThat(va[j]).isCloseTo(vb[j], within(tolerance));
      }
    }
  }

  @Test
  void fourEpochs_equalTwoThenCheckpointThenTwoInAFreshModel() {
    Path checkpoint = dir.resolve("after-2.ckpt");
    Jeras.setRandomSeed(4);
    try (Sequential straight = model()) {
      List<FloatNdArray> initial = straight.getWeights();
      straight.fit(x(), y(), fit(4));

      try (Sequential firstHalf = model()) {
        firstHalf.setWeights(initial);
        firstHalf.fit(x(), y(), fit(2));
        firstHalf.saveCheckpoint(checkpoint, 2);
      }
      try (Sequential resumed = model()) {
        int epoch = resumed.loadCheckpoint(checkpoint);
        assertThat(epoch).isEqualTo(2);
        resumed.fit(x(), y(), fit(4).initialEpoch(epoch));
        assertSameWeights(straight, resumed, 1e-6f);
      }
    }
  }

  /**
   * The new optimizers' state resumes too: Nadam's once-per-step {@code u_product}, AdamW's
   * decay with AMSGrad's running maximum, Ftrl's accumulators (which start at 0.1, not 0).
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"nadam", "adamw", "ftrl"})
  void twoEpochsThenCheckpointThenOne_equalThreeStraight(String name) {
    java.util.function.Supplier<Optimizer> optimizer = () -> switch (name) {
      case "nadam" -> Nadam.defaults().learningRate(0.01);
      case "adamw" -> AdamW.defaults().learningRate(0.01).amsgrad(true).weightDecay(0.05);
      default -> Ftrl.defaults().learningRate(0.1).l1RegularizationStrength(0.001);
    };
    Path checkpoint = dir.resolve(name + ".ckpt");
    Jeras.setRandomSeed(4);
    try (Sequential straight = model(optimizer.get())) {
      List<FloatNdArray> initial = straight.getWeights();
      straight.fit(x(), y(), fit(3));
      try (Sequential firstPart = model(optimizer.get())) {
        firstPart.setWeights(initial);
        firstPart.fit(x(), y(), fit(2));
        firstPart.saveCheckpoint(checkpoint, 2);
      }
      try (Sequential resumed = model(optimizer.get())) {
        int epoch = resumed.loadCheckpoint(checkpoint);
        resumed.fit(x(), y(), fit(3).initialEpoch(epoch));
        assertSameWeights(straight, resumed, 1e-6f);
        if (name.equals("nadam")) {
          String uProduct = "nadam/u_product";
          assertThat(resumed.graph().read(List.of(uProduct)).get(uProduct).floats()[0])
              .isEqualTo(straight.graph().read(List.of(uProduct)).get(uProduct).floats()[0]);
        }
      }
      try (Sequential fresh = model(optimizer.get())) {
        // the control: without the optimizer's state, one epoch from the same weights differs
        fresh.loadWeights(checkpoint);
        fresh.fit(x(), y(), fit(3).initialEpoch(2));
        assertThat(Data.toFloatArray(fresh.getWeights().get(0)))
            .isNotEqualTo(Data.toFloatArray(straight.getWeights().get(0)));
      }
    }
  }

  @Test
  void aScheduledRate_resumesWhereTheCheckpointLeftIt() {
    // the schedule is a function of the restored iteration count, so the resumed run takes the
    // same rates, and reaches the same weights, as one that was never interrupted
    Path checkpoint = dir.resolve("scheduled.ckpt");
    Optimizer optimizer = SGD.defaults().momentum(0.9)
        .learningRate(ExponentialDecay.of(0.2, 2, 0.5));
    Jeras.setRandomSeed(4);
    try (Sequential straight = model(optimizer)) {
      List<FloatNdArray> initial = straight.getWeights();
      straight.fit(x(), y(), fit(4));
      try (Sequential firstHalf = model(optimizer)) {
        firstHalf.setWeights(initial);
        firstHalf.fit(x(), y(), fit(2));
        firstHalf.saveCheckpoint(checkpoint, 2);
      }
      try (Sequential resumed = model(optimizer)) {
        assertThat(resumed.learningRate()).isCloseTo(0.2, within(1e-7));
        resumed.loadCheckpoint(checkpoint);
        assertThat(resumed.learningRate()).isCloseTo(0.2 * Math.pow(0.5,
            resumed.iterations() / 2.0), within(1e-7));
        resumed.fit(x(), y(), fit(4).initialEpoch(2));
        assertThat(resumed.iterations()).isEqualTo(straight.iterations());
        assertThat(resumed.learningRate()).isEqualTo(straight.learningRate());
        assertSameWeights(straight, resumed, 1e-6f);
      }
    }
  }

  @Test
  void withoutTheOptimizerState_resumingDiffers() {
    // the control for the test above: Adam's moments and step count matter
    Path weightsOnly = dir.resolve("weights-only.ckpt");
    Jeras.setRandomSeed(4);
    try (Sequential straight = model(); Sequential half = model()) {
      half.setWeights(straight.getWeights());
      straight.fit(x(), y(), fit(4));
      half.fit(x(), y(), fit(2));
      half.saveWeights(weightsOnly);
      try (Sequential resumed = model()) {
        resumed.loadWeights(weightsOnly);
        resumed.fit(x(), y(), fit(4).initialEpoch(2));
        float[] a = Data.toFloatArray(straight.getWeights().get(0));
        float[] b = Data.toFloatArray(resumed.getWeights().get(0));
        assertThat(Arrays.equals(a, b)).isFalse();
      }
    }
  }

  @Test
  void saveWeightsThenLoadWeights_roundTripsExactly() {
    Path file = dir.resolve("w.ckpt");
    try (Sequential a = model(); Sequential b = model()) {
      a.fit(x(), y(), fit(1));
      a.saveWeights(file);
      b.loadWeights(file);
      assertSameWeights(a, b, 0f);
    }
  }

  @Test
  void missingFile_isNamed() {
    Path missing = dir.resolve("nothing.ckpt");
    try (Sequential m = model()) {
      assertThatThrownBy(() -> m.loadWeights(missing))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Checkpoint " + missing + " does not exist");
    }
  }

  @Test
  void truncatedFile_isRejectedAndChangesNothing() throws IOException {
    Path file = dir.resolve("full.ckpt");
    Path cut = dir.resolve("cut.ckpt");
    try (Sequential a = model(); Sequential b = model()) {
      a.fit(x(), y(), fit(1));
      a.saveCheckpoint(file, 1);
      byte[] bytes = Files.readAllBytes(file);
      Files.write(cut, Arrays.copyOf(bytes, bytes.length * 2 / 3));
      byte[] cutBytes = Files.readAllBytes(cut);
      List<FloatNdArray> before = b.getWeights();
      assertThatThrownBy(() -> b.loadCheckpoint(cut))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(cut + ": truncated or corrupt");
      assertThat(Files.readAllBytes(cut)).isEqualTo(cutBytes);
      try (Sequential unchanged = model()) {
        unchanged.setWeights(before);
        assertSameWeights(b, unchanged, 0f);
      }
    }
  }

  @Test
  void notACheckpoint_isRejected() throws IOException {
    Path png = Files.write(dir.resolve("picture.ckpt"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    try (Sequential m = model()) {
      assertThatThrownBy(() -> m.loadWeights(png)).hasMessage(png
          + ": not a Jeras checkpoint: it has no checkpoint.json (and is not a zip file)");
    }
  }

  @Test
  void otherArchitecture_namesEveryMismatchAndChangesNothing() {
    Path file = dir.resolve("other.ckpt");
    try (Sequential other = Sequential.of(Conv2D.of(8, 3).activation(RELU).inputShape(6, 6, 1),
        Flatten.of(), Dense.of(3).activation(SOFTMAX), Dense.of(3))) {
      other.saveWeights(file);
    }
    try (Sequential m = model()) {
      List<FloatNdArray> before = m.getWeights();
      assertThatThrownBy(() -> m.loadWeights(file)).hasMessage("Checkpoint " + file
          + " does not fit the model: weight conv2d/kernel is float32[3, 3, 1, 8] in the file but"
          + " float32[3, 3, 1, 4] in the model; weight conv2d/bias is float32[8] in the file but"
          + " float32[4] in the model; weight dense/kernel is float32[128, 3] in the file but"
          + " float32[64, 3] in the model; weight dense_1/kernel in the file is not in the model;"
          + " weight dense_1/bias in the file is not in the model");
      try (Sequential unchanged = model()) {
        unchanged.setWeights(before);
        assertSameWeights(m, unchanged, 0f);
      }
    }
  }

  @Test
  void optimizerMismatch_andWeightsOnlyFiles_areExplained() {
    Path full = dir.resolve("adam.ckpt");
    Path weights = dir.resolve("weights.ckpt");
    try (Sequential m = model()) {
      m.saveCheckpoint(full, 0);
      m.saveWeights(weights);
      assertThatThrownBy(() -> m.loadCheckpoint(weights)).hasMessageStartingWith("Checkpoint "
          + weights + " holds weights only (written by saveWeights)");
      m.compile(SGD.defaults().momentum(0.9), Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
      assertThatThrownBy(() -> m.loadCheckpoint(full)).hasMessage("Checkpoint " + full
          + " was trained with optimizer adam, but the model is compiled with sgd");
    }
  }

  @Test
  void aConstantRateCheckpoint_inAScheduledModel_isExplained() throws IOException {
    // a scheduled optimizer has no learning_rate variable (as in Keras); the file has one
    Path constant = dir.resolve("constant-rate.ckpt");
    try (Sequential m = model(SGD.defaults().momentum(0.9))) {
      m.fit(x(), y(), fit(1));
      m.saveCheckpoint(constant, 1);
      m.compile(SGD.defaults().momentum(0.9).learningRate(ExponentialDecay.of(0.1, 5, 0.5)),
          Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
      byte[] before = Files.readAllBytes(constant);
      assertThatThrownBy(() -> m.loadCheckpoint(constant))
          .hasMessageContaining(constant.toString())
          .hasMessageContaining("sgd/learning_rate in the file is not in the model");
      assertThat(Files.readAllBytes(constant)).isEqualTo(before);
    }
  }
}
