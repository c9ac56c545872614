package io.jeras.layers.regularization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jeras.Jeras;
import io.jeras.callbacks.History;
import io.jeras.data.Data;
import io.jeras.layers.LayerHarness;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Input;
import io.jeras.layers.reshaping.Flatten;
import io.jeras.losses.Loss;
import io.jeras.models.Sequential;
import io.jeras.optimizers.SGD;
import io.jeras.trainers.Fit;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The training-mode behaviour of Keras' spatial dropouts and Gaussian noise layers (their
 * inference, the identity, is checked against Keras in KerasReferenceTest): what is dropped
 * together, the scale, and the noise's mean and deviation against Keras' formulas.
 */
class NoiseLayersTest {

  private static float[] filled(int n, float value) {
    float[] x = new float[n];
    Arrays.fill(x, value);
    return x;
  }

  /** (samples, steps, channels) of ones: each (sample, channel) is kept at 2 or dropped whole. */
  @Test
  void spatialDropout1D_dropsWholeChannelsOfASequence() {
    Jeras.setRandomSeed(5);
    int samples = 20;
    int steps = 7;
    int channels = 30;
    float[] out = LayerHarness.values(LayerHarness.run(SpatialDropout1D.of(0.5),
        filled(samples * steps * channels, 1), new long[] {samples, steps, channels}, true,
        null));
    int dropped = 0;
    for (int s = 0; s < samples; s++) {
      for (int c = 0; c < channels; c++) {
        float first = out[(s * steps) * channels + c];
        assertThat(first).isIn(0f, 2f);
        for (int t = 1; t < steps; t++) {
          assertThat(out[(s * steps + t) * channels + c]).as("sample %s channel %s", s, c)
              .isEqualTo(first);
        }
        dropped += first == 0 ? 1 : 0;
      }
    }
    // binomial(600, 0.5): sd 12, 5 sd of slack
    assertThat(dropped).isBetween(300 - 60, 300 + 60);
  }

  @Test
  void spatialDropout2D_dropsWholeFeatureMaps() {
    Jeras.setRandomSeed(6);
    int samples = 10;
    int pixels = 9;
    int channels = 40;
    float[] out = LayerHarness.values(LayerHarness.run(SpatialDropout2D.of(0.25),
        filled(samples * pixels * channels, 1), new long[] {samples, 3, 3, channels}, true,
        null));
    int dropped = 0;
    for (int s = 0; s < samples; s++) {
      for (int c = 0; c < channels; c++) {
        float first = out[(s * pixels) * channels + c];
        assertThat(first).isIn(0f, 1 / 0.75f);
        for (int p = 1; p < pixels; p++) {
          assertThat(out[(s * pixels + p) * channels + c]).isEqualTo(first);
        }
        dropped += first == 0 ? 1 : 0;
      }
    }
    // binomial(400, 0.25): sd 8.7
    assertThat(dropped).isBetween(100 - 45, 100 + 45);
  }

  @Test
  void spatialDropout_takesOnlyItsRank() {
    assertThatThrownBy(() -> LayerHarness.run(SpatialDropout1D.of(0.5), filled(8, 1),
        new long[] {2, 2, 2, 1}, true, null)).hasMessageContaining(
        "SpatialDropout1D expects 3-D input (batch, steps, channels), got rank 4");
  }

  private static double mean(float[] values) {
    double sum = 0;
    for (float v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  private static double deviation(float[] values) {
    double m = mean(values);
    double sum = 0;
    for (float v : values) {
      sum += (v - m) * (v - m);
    }
    return Math.sqrt(sum / values.length);
  }

  @Test
  void gaussianNoise_addsNoiseOfItsDeviation_inTrainingOnly() {
    Jeras.setRandomSeed(7);
    int n = 100_000;
    float[] out = LayerHarness.values(LayerHarness.run(GaussianNoise.of(0.3), filled(n, 2),
        new long[] {1, n}, true, null));
    // the mean of 1e5 draws of sd 0.3 has sd 0.00095
    assertThat(mean(out)).isCloseTo(2, within(0.005));
    assertThat(deviation(out)).isCloseTo(0.3, within(0.005));
    float[] inference = LayerHarness.values(LayerHarness.run(GaussianNoise.of(0.3),
        filled(n, 2), new long[] {1, n}, false, null));
    assertThat(inference).containsOnly(2f);
  }

  /** Keras: multiplied by N(1, sqrt(rate / (1 - rate))). */
  @Test
  void gaussianDropout_multipliesByNoiseOfDropoutsVariance() {
    Jeras.setRandomSeed(8);
    int n = 100_000;
    float[] out = LayerHarness.values(LayerHarness.run(GaussianDropout.of(0.3), filled(n, 1),
        new long[] {1, n}, true, null));
    assertThat(mean(out)).isCloseTo(1, within(0.01));
    assertThat(deviation(out)).isCloseTo(Math.sqrt(0.3 / 0.7), within(0.01));
    assertThatThrownBy(() -> GaussianDropout.of(1)).hasMessageContaining("[0, 1)");
  }

  @Test
  void sameSeed_sameNoise() {
    for (var make : List.<java.util.function.Supplier<io.jeras.layers.Layer<?>>>of(
        () -> GaussianNoise.of(1).seed(4), () -> GaussianDropout.of(0.5).seed(4),
        () -> SpatialDropout1D.of(0.5).seed(4))) {
      float[] a = LayerHarness.values(LayerHarness.run(make.get(), filled(60, 1),
          new long[] {2, 5, 6}, true, List.of()));
      float[] b = LayerHarness.values(LayerHarness.run(make.get(), filled(60, 1),
          new long[] {2, 5, 6}, true, List.of()));
      assertThat(a).containsExactly(b);
    }
  }

  /** The noise is a constant to the gradients: a model with every noise layer trains. */
  @Test
  void modelsWithNoiseLayers_train() {
    Jeras.setRandomSeed(9);
    try (Sequential model = Sequential.of(Input.of(6, 2), GaussianNoise.of(0.1),
        SpatialDropout1D.of(0.2), Dense.of(4), GaussianDropout.of(0.2), Flatten.of(),
        Dense.of(1))) {
      model.compile(SGD.defaults().learningRate(0.01), Loss.MEAN_SQUARED_ERROR);
      float[] x = new float[8 * 12];
      for (int i = 0; i < x.length; i++) {
        x[i] = (i % 7) / 7f;
      }
      History history = model.fit(Data.floats(x, 8, 6, 2), Data.floats(filled(8, 1), 8, 1),
          Fit.epochs(3).batchSize(4).verbose(0));
      assertThat(history.get("loss")).hasSize(3).allSatisfy(loss -> assertThat(loss).isFinite());
      assertThat(history.get("loss").get(2)).isLessThan(history.get("loss").get(0));
    }
  }
}
