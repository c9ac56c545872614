package io.jeras.layers.activations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jeras.layers.LayerHarness;
import io.jeras.layers.preprocessing.Rescaling;
import org.junit.jupiter.api.Test;

class ActivationLayersTest {
  private static final float[] X = {-2, -0.5f, 0, 1, 7};
  private static final long[] SHAPE = {1, 5};

  private static float[] run(io.jeras.layers.Layer<?> layer) {
    return LayerHarness.values(LayerHarness.run(layer, X, SHAPE));
  }

  @Test
  void reLU_defaultsToMaxOfXAndZero() {
    assertThat(run(ReLU.of())).containsExactly(0, 0, 0, 1, 7);
    assertThat(run(ReLU.of().maxValue(6))).containsExactly(0, 0, 0, 1, 6);
  }

  @Test
  void leakyReLU_layerDefaultSlopeIs0Point3() {
    assertThat(LeakyReLU.of().negativeSlope()).isEqualTo(0.3);
    float[] out = run(LeakyReLU.of());
    assertThat(out[0]).isCloseTo(-0.6f, within(1e-6f));
    assertThat(out[4]).isEqualTo(7);
  }

  @Test
  void elu_isAlphaTimesExpMinusOneBelowZero() {
    float[] out = run(ELU.of());
    assertThat(out[0]).isCloseTo((float) (Math.exp(-2) - 1), within(1e-6f));
    assertThat(run(ELU.of(2))[1]).isCloseTo((float) (2 * (Math.exp(-0.5) - 1)), within(1e-6f));
    assertThat(out[3]).isEqualTo(1);
  }

  @Test
  void softmax_sumsToOneOverTheLastAxis() {
    float[] out = run(Softmax.of());
    double sum = 0;
    for (float v : out) {
      sum += v;
    }
    assertThat(sum).isCloseTo(1, within(1e-6));
    double denominator = 0;
    for (float v : X) {
      denominator += Math.exp(v);
    }
    assertThat(out[4]).isCloseTo((float) (Math.exp(7) / denominator), within(1e-6f));
  }

  @Test
  void rescaling_multipliesThenAdds() {
    assertThat(run(Rescaling.of(1 / 127.5, -1))).containsExactly(
        (float) (-2 / 127.5) - 1, (float) (-0.5 / 127.5) - 1, -1, (float) (1 / 127.5) - 1,
        (float) (7 / 127.5) - 1);
  }
}
