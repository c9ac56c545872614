package io.jeras.layers.regularization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jeras.Jeras;
import io.jeras.layers.LayerHarness;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

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
  void noiseShape_sharesOneDecisionAlongAxesOfSizeOne() {
    // EfficientNet's (None, 1, 1, 1): whole samples kept (scaled) or dropped
    int samples = 400;
    float[] x = new float[samples * 2 * 2 * 3];
    java.util.Arrays.fill(x, 1f);
    Jeras.setRandomSeed(5);
    float[] out = LayerHarness.values(LayerHarness.run(Dropout.of(0.25).noiseShape(null, 1, 1, 1),
        x, new long[] {samples, 2, 2, 3}, true, null));
    int dropped = 0;
    for (int n = 0; n < samples; n++) {
      float first = out[n * 12];
      assertThat(first == 0 || Math.abs(first - 1 / 0.75f) < 1e-6).isTrue();
      for (int i = 1; i < 12; i++) {
        assertThat(out[n * 12 + i]).as("sample %s value %s", n, i).isEqualTo(first);
      }
      dropped += first == 0 ? 1 : 0;
    }
    // binomial(400, 0.25): sd 8.7
    assertThat(dropped).isBetween(100 - 45, 100 + 45);
  }

  @Test
  void noiseShape_perChannelMaskSharedOverPositions() {
    float[] x = new float[2 * 3 * 4];
    java.util.Arrays.fill(x, 1f);
    float[] out = LayerHarness.values(LayerHarness.run(Dropout.of(0.5).noiseShape(2, 1, 4)
        .seed(3), x, new long[] {2, 3, 4}, true, null));
    for (int n = 0; n < 2; n++) {
      for (int p = 1; p < 3; p++) {
        for (int c = 0; c < 4; c++) {
          assertThat(out[(n * 3 + p) * 4 + c]).isEqualTo(out[n * 12 + c]);
        }
      }
    }
    assertThat(Dropout.of(0.5).noiseShape(null, 1, 4).noiseShape()).containsExactly(null, 1, 4);
    assertThat(Dropout.of(0.5).noiseShape()).isNull();
  }

  @Test
  void noiseShape_mustMatchTheInputsRankAndBroadcast() {
    assertThatThrownBy(() -> Dropout.of(0.5).noiseShape(null, 1).outputShape(
        Shape.of(-1, 4, 3))).hasMessage("Layer \"dropout\" (Dropout) cannot take input of shape"
            + " (None, 4, 3): noise_shape (None, 1) has 2 entries but the input has rank 3");
    assertThatThrownBy(() -> Dropout.of(0.5).noiseShape(null, 2, 3).outputShape(
        Shape.of(-1, 4, 3))).hasMessageEndingWith("noise_shape (None, 2, 3) does not broadcast"
            + " to the input: axis 1 has size 2, not 1 or 4");
    assertThatThrownBy(() -> Dropout.of(0.5).noiseShape(null, 0)).hasMessage("Invalid value"
        + " received for argument `noise_shape`. Expected all dimensions to be positive integers"
        + " or None. Received negative or zero value at index 1: 0");
  }

  @Test
  void rateOutsideZeroOne_isRejectedNamingTheValue() {
    assertThatThrownBy(() -> Dropout.of(1.5)).hasMessage("Invalid value received for argument"
        + " `rate`. Expected a float value between 0 and 1. Received: rate=1.5");
  }
}
