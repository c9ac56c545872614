package io.jeras.layers.preprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jeras.layers.IncompatibleShapeException;
import io.jeras.layers.LayerHarness;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

class RescalingTest {

  @Test
  void scalar_scaleAndOffset() {
    Rescaling layer = Rescaling.of(0.5, -1);
    assertThat(layer.scale()).isEqualTo(0.5);
    assertThat(layer.offset()).isEqualTo(-1);
    assertThat(layer.scales()).isNull();
    assertThat(LayerHarness.values(LayerHarness.run(layer, new float[] {2, 4}, new long[] {1, 2})))
        .containsExactly(0, 1);
  }

  @Test
  void perChannel_broadcastsOnTheLastAxis() {
    Rescaling layer = Rescaling.of(new double[] {1, 2, -1}, new double[] {0, 10, 0.5});
    assertThat(layer.scales()).containsExactly(1, 2, -1);
    assertThat(layer.offsets()).containsExactly(0, 10, 0.5);
    float[] out = LayerHarness.values(LayerHarness.run(layer, new float[] {1, 1, 1, 2, 3, 4},
        new long[] {1, 2, 3}));
    assertThat(out).containsExactly(1, 12, -0.5f, 2, 16, -3.5f);
    assertThatThrownBy(layer::scale).isInstanceOf(IllegalStateException.class)
        .hasMessage("the scale is per channel: [1.0, 2.0, -1.0]");
  }

  @Test
  void perChannel_mustMatchTheChannels() {
    assertThatThrownBy(() -> Rescaling.of(new double[] {1, 2}).outputShape(Shape.of(-1, 4, 3)))
        .isInstanceOf(IncompatibleShapeException.class)
        .hasMessage("Layer \"rescaling\" (Rescaling) cannot take input of shape (None, 4, 3): 2"
            + " per-channel values [1.0, 2.0] do not match the 3 channels of the last axis");
    assertThatThrownBy(() -> Rescaling.of(new double[0])).hasMessage("scale needs at least one"
        + " value");
  }
}
