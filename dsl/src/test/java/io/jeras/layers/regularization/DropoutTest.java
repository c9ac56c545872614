package io.jeras.layers.regularization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jeras.Jeras;
import io.jeras.layers.LayerHarness;
import java.util.List;
import org.junit.jupiter.api.Test;

class DropoutTest {
  private static final int N = 20_000;

  private static float[] ones() {
    float[] x = new float[N];
    java.util.Arrays.fill(x, 1f);
    return x;
  }

  @Test
  void training_dropsAboutRateAndScalesTheRest() {
    Jeras.setRandomSeed(3);
    float[] out = LayerHarness.values(LayerHarness.run(Dropout.of(0.3), ones(),
        new long[] {1, N}, true, null));
    int zeros = 0;
    for (float v : out) {
      if (v == 0) {
        zeros++;
      } else {
        assertThat(v).isCloseTo(1 / 0.7f, within(1e-6f));
      }
    }
    // binomial(20000, 0.3): sd 65, so 6 sd of slack
    assertThat(zeros).isBetween(6000 - 400, 6000 + 400);
  }

  @Test
  void inference_isTheIdentity() {
    float[] out = LayerHarness.values(LayerHarness.run(Dropout.of(0.9), ones(),
        new long[] {1, N}, false, null));
    for (float v : out) {
      assertThat(v).isEqualTo(1f);
    }
  }

  @Test
  void sameSeed_sameMask() {
    float[] a = LayerHarness.values(LayerHarness.run(Dropout.of(0.5).seed(11), ones(),
        new long[] {1, N}, true, List.of()));
    float[] b = LayerHarness.values(LayerHarness.run(Dropout.of(0.5).seed(11), ones(),
        new long[] {1, N}, true, List.of()));
    assertThat(a).containsExactly(b);
  }

  @Test
  void rateOutsideZeroOne_isRejectedNamingTheValue() {
    assertThatThrownBy(() -> Dropout.of(1.5)).hasMessage("Invalid value received for argument"
        + " `rate`. Expected a float value between 0 and 1. Received: rate=1.5");
  }
}
