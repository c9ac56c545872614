package io.jeras.layers.normalization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jeras.layers.IncompatibleShapeException;
import io.jeras.layers.LayerHarness;
import io.jeras.layers.WeightSpec;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

class GroupNormalizationTest {

  @Test
  void defaults_matchKeras() {
    GroupNormalization gn = GroupNormalization.of();
    assertThat(gn.groups()).isEqualTo(32);
    assertThat(gn.axis()).isEqualTo(-1);
    assertThat(gn.epsilon()).isEqualTo(1e-3);
    assertThat(gn.center()).isTrue();
    assertThat(gn.scale()).isTrue();
    assertThat(gn.autoNamePrefix()).isEqualTo("group_normalization");
  }

  @Test
  void eachGroupOfChannelsIsNormalizedOverPositionsAndItsChannels() {
    // one sample, 2 positions, 4 channels in 2 groups: group 0 = channels 0-1, group 1 = 2-3
    float[] x = {1, 3, 10, 10, 5, 7, 10, 30};
    float[] out = LayerHarness.values(LayerHarness.run(GroupNormalization.of().groups(2)
        .epsilon(0), x, new long[] {1, 2, 4}));
    // group 0: 1, 3, 5, 7 (mean 4, variance 5); group 1: 10, 10, 10, 30 (mean 15, variance 75)
    int[] group = {0, 0, 1, 1, 0, 0, 1, 1};
    for (int i = 0; i < x.length; i++) {
      double expected = group[i] == 0 ? (x[i] - 4) / Math.sqrt(5) : (x[i] - 15) / Math.sqrt(75);
      assertThat(out[i]).as("value %s", i).isCloseTo((float) expected, within(1e-6f));
    }
  }

  @Test
  void weights_areOnePerChannel() {
    Shape in = Shape.of(-1, 5, 5, 8);
    assertThat(GroupNormalization.of().groups(4).weights(in)).extracting(WeightSpec::name)
        .containsExactly("gamma", "beta");
    assertThat(GroupNormalization.of().groups(4).weights(in).get(0).shape())
        .isEqualTo(Shape.of(8));
    assertThat(GroupNormalization.of().groups(-1).scale(false).weights(in))
        .extracting(WeightSpec::name).containsExactly("beta");
  }

  @Test
  void groupsMustDivideAKnownChannelCount_withKerasMessages() {
    assertThatThrownBy(() -> GroupNormalization.of().outputShape(Shape.of(-1, 5, 5, 8)))
        .isInstanceOf(IncompatibleShapeException.class)
        .hasMessage("Layer \"group_normalization\" (GroupNormalization) cannot take input of"
            + " shape (None, 5, 5, 8): Number of groups (32) cannot be more than the number of"
            + " channels (8).");
    assertThatThrownBy(() -> GroupNormalization.of().groups(3).outputShape(Shape.of(-1, 8)))
        .hasMessageEndingWith("Number of groups (3) must be a multiple of the number of"
            + " channels (8).");
    assertThatThrownBy(() -> GroupNormalization.of().groups(2).outputShape(Shape.of(-1, 4, -1)))
        .hasMessageEndingWith("Axis -1 of input tensor should have a defined dimension but the"
            + " layer received an input with shape (None, 4, None).");
    assertThatThrownBy(() -> GroupNormalization.of().groups(2).axis(2)
        .outputShape(Shape.of(-1, 4))).hasMessageEndingWith("Axis 2 is out of bounds for input"
            + " shape (None, 4). Received: axis=2");
  }

  @Test
  void groupsMustBePositiveOrMinusOne() {
    assertThatThrownBy(() -> GroupNormalization.of().groups(0)).hasMessage("Received an invalid"
        + " value for argument `groups`, expected a positive integer (or `-1` for instance"
        + " normalization). Received: groups=0");
  }
}
