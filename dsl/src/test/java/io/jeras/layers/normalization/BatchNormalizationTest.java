package io.jeras.layers.normalization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jeras.data.Data;
import io.jeras.layers.LayerHarness;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.core.Input;
import io.jeras.losses.Loss;
import io.jeras.models.ModelSummary;
import io.jeras.models.Sequential;
import io.jeras.optimizers.SGD;
import io.jeras.trainers.Fit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

class BatchNormalizationTest {
  private static final float[] X = {1, 2, 3, 4};
  private static final long[] SHAPE = {4, 1};

  @Test
  void training_normalizesWithTheBatchStatistics() {
    // mean 2.5, variance (divided by n) 1.25
    FloatNdArray out = LayerHarness.run(BatchNormalization.of(), X, SHAPE, true, null);
    for (int i = 0; i < 4; i++) {
      assertThat(out.getFloat(i, 0)).isCloseTo((float) ((X[i] - 2.5) / Math.sqrt(1.25 + 1e-3)),
          within(1e-6f));
    }
  }

  @Test
  void inference_usesTheMovingStatistics() {
    // gamma 2, beta 1, moving mean 1, moving variance 4
    FloatNdArray out = LayerHarness.run(BatchNormalization.of(), X, SHAPE, false,
        java.util.List.of(new float[] {2}, new float[] {1}, new float[] {1}, new float[] {4}));
    assertThat(out.getFloat(3, 0)).isCloseTo((float) (2 * (4 - 1) / Math.sqrt(4.001) + 1),
        within(1e-6f));
  }

  @Test
  void eachTrainingStep_movesTheMovingStatisticsByOneMinusMomentum() {
    try (Sequential model = Sequential.of(Input.of(1), BatchNormalization.of())) {
      model.compile(SGD.defaults().learningRate(0), Loss.MEAN_SQUARED_ERROR);
      model.fit(Data.floats(X, SHAPE), Data.floats(new float[4], SHAPE),
          Fit.epochs(1).batchSize(4).verbose(0));
      Map<String, FloatNdArray> w = model.weights();
      assertThat(w.get("batch_normalization/moving_mean").getFloat(0))
          .isCloseTo(0.99f * 0 + 0.01f * 2.5f, within(1e-7f));
      assertThat(w.get("batch_normalization/moving_variance").getFloat(0))
          .isCloseTo(0.99f * 1 + 0.01f * 1.25f, within(1e-7f));
      // a batch of one sample has variance 0, not NaN
      model.fit(Data.floats(new float[] {5}, 1, 1), Data.floats(new float[1], 1, 1),
          Fit.epochs(1).batchSize(1).verbose(0));
      assertThat(model.weights().get("batch_normalization/moving_variance").getFloat(0))
          .isCloseTo(0.99f * (0.99f + 0.0125f), within(1e-6f));
    }
  }

  @Test
  void frozen_runsInInferenceModeAndKeepsItsStatistics() {
    try (Sequential model = Sequential.of(Input.of(1), BatchNormalization.of().name("bn"))) {
      model.setTrainable("bn", false);
      FloatNdArray x = Data.floats(X, SHAPE);
      assertThat(model.call(x, true)).isEqualTo(model.call(x, false));
      model.compile(SGD.defaults().learningRate(0.5), Loss.MEAN_SQUARED_ERROR);
      Map<String, FloatNdArray> before = model.weights();
      model.fit(x, Data.floats(new float[] {9, 9, 9, 9}, SHAPE), Fit.epochs(2).batchSize(2)
          .verbose(0));
      assertThat(model.weights()).isEqualTo(before);
    }
  }

  @Test
  void parameters_fourPerFeatureHalfOfThemNonTrainable() {
    assertThat(BatchNormalization.of().countParams(Shape.of(-1, 26, 26, 32))).isEqualTo(128);
    try (Sequential model = Sequential.of(Input.of(28, 28, 1), Conv2D.of(32, 3),
        BatchNormalization.of())) {
      assertThat(model.weights().keySet()).containsSubsequence("batch_normalization/gamma",
          "batch_normalization/beta", "batch_normalization/moving_mean",
          "batch_normalization/moving_variance");
      // conv 3*3*32 + 32, gamma and beta trainable; the moving statistics not
      assertThat(ModelSummary.of(model, 76)).contains(" Trainable params: 384 (1.50 KB)")
          .contains(" Non-trainable params: 64 (256.00 B)");
    }
  }

  @Test
  void defaults_matchKeras() {
    BatchNormalization bn = BatchNormalization.of();
    assertThat(bn.momentum()).isEqualTo(0.99);
    assertThat(bn.epsilon()).isEqualTo(1e-3);
    assertThat(bn.axis()).isEqualTo(-1);
    assertThat(bn.center()).isTrue();
    assertThat(bn.scale()).isTrue();
  }
}
