package io.jeras.applications.convnext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jeras.Jeras;
import io.jeras.layers.LayerHarness;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StochasticDepthTest {
  private static final int SAMPLES = 2000;
  private static final int SIZE = 6;

  private static float[] input() {
    float[] x = new float[SAMPLES * SIZE];
    for (int i = 0; i < x.length; i++) {
      x[i] = i % SIZE + 1;
    }
    return x;
  }

  @Test
  void inference_isTheIdentity() {
    float[] x = input();
    assertThat(LayerHarness.values(LayerHarness.run(StochasticDepth.of(0.9), x,
        new long[] {SAMPLES, 2, 3}, false, null))).containsExactly(x);
  }

  @Test
  void training_dropsWholeSamplesAndScalesTheKeptOnes() {
    Jeras.setRandomSeed(9);
    float[] x = input();
    float[] out = LayerHarness.values(LayerHarness.run(StochasticDepth.of(0.3), x,
        new long[] {SAMPLES, 2, 3}, true, null));
    int dropped = 0;
    for (int n = 0; n < SAMPLES; n++) {
      boolean drop = out[n * SIZE] == 0;
      for (int i = 0; i < SIZE; i++) {
        float expected = drop ? 0 : x[n * SIZE + i] / 0.7f;
        assertThat(out[n * SIZE + i]).as("sample %s value %s", n, i)
            .isCloseTo(expected, within(1e-5f));
      }
      dropped += drop ? 1 : 0;
    }
    // binomial(2000, 0.3): sd 20.5
    assertThat(dropped).isBetween(600 - 120, 600 + 120);
  }

  @Test
  void sameSeed_sameSamplesDropped() {
    float[] a = LayerHarness.values(LayerHarness.run(StochasticDepth.of(0.5).seed(4), input(),
        new long[] {SAMPLES, SIZE}, true, List.of()));
    float[] b = LayerHarness.values(LayerHarness.run(StochasticDepth.of(0.5).seed(4), input(),
        new long[] {SAMPLES, SIZE}, true, List.of()));
    assertThat(a).containsExactly(b);
    float[] all = LayerHarness.values(LayerHarness.run(StochasticDepth.of(1), input(),
        new long[] {SAMPLES, SIZE}, true, null));
    assertThat(Arrays.equals(all, new float[all.length])).isTrue();
  }

  @Test
  void rateOutsideZeroOne_isRejected() {
    assertThatThrownBy(() -> StochasticDepth.of(-0.1)).hasMessage("Invalid value received for"
        + " argument `drop_path_rate`. Expected a float value between 0 and 1. Received:"
        + " drop_path_rate=-0.1");
  }
}
