package io.jeras.layers.normalization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jeras.layers.IncompatibleShapeException;
import io.jeras.layers.LayerHarness;
import io.jeras.layers.WeightSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

class LayerNormalizationTest {

  @Test
  void defaults_matchKeras() {
    LayerNormalization ln = LayerNormalization.of();
    assertThat(ln.axis()).containsExactly(-1);
    assertThat(ln.axisIsList()).isFalse();
    assertThat(ln.epsilon()).isEqualTo(1e-3);
    assertThat(ln.center()).isTrue();
    assertThat(ln.scale()).isTrue();
    assertThat(ln.rmsScaling()).isFalse();
    assertThat(ln.gammaInitializer().kerasName()).isEqualTo("ones");
    assertThat(ln.betaInitializer().kerasName()).isEqualTo("zeros");
    assertThat(ln.autoNamePrefix()).isEqualTo("layer_normalization");
  }

  @Test
  void eachSampleIsNormalizedOverItsFeatures() {
    float[] x = {1, 2, 3, 6, -1, -1, -1, -1};
    float[] out = LayerHarness.values(LayerHarness.run(LayerNormalization.of(), x,
        new long[] {2, 4}));
    // sample 0: mean 3, variance (4 + 1 + 0 + 9) / 4 = 3.5; sample 1 is constant: 0
    for (int i = 0; i < 4; i++) {
      assertThat(out[i]).isCloseTo((float) ((x[i] - 3) / Math.sqrt(3.5 + 1e-3)), within(1e-6f));
      assertThat(out[4 + i]).isEqualTo(0f);
    }
  }

  @Test
  void weights_haveTheSizesOfTheNormalizedAxesInTheGivenOrder() {
    Shape in = Shape.of(-1, 3, 4, 5);
    List<WeightSpec> weights = LayerNormalization.of().axis(List.of(3, 1)).weights(in);
    assertThat(weights).extracting(WeightSpec::name).containsExactly("gamma", "beta");
    assertThat(weights.get(0).shape()).isEqualTo(Shape.of(5, 3));
    assertThat(LayerNormalization.of().center(false).weights(in)).extracting(WeightSpec::name)
        .containsExactly("gamma");
    assertThat(LayerNormalization.of().scale(false).center(false).weights(in)).isEmpty();
    // rms_scaling keeps gamma (even without scale) and drops beta
    assertThat(LayerNormalization.of().rmsScaling(true).scale(false).weights(in))
        .extracting(WeightSpec::name).containsExactly("gamma");
    assertThat(LayerNormalization.of().countParams(in)).isEqualTo(10);
  }

  @Test
  void axisOutOfBounds_isRejectedWithKerasMessage() {
    assertThatThrownBy(() -> LayerNormalization.of().axis(3).outputShape(Shape.of(-1, 4, 5)))
        .isInstanceOf(IncompatibleShapeException.class)
        .hasMessage("Layer \"layer_normalization\" (LayerNormalization) cannot take input of"
            + " shape (None, 4, 5): Axis 3 is out of bounds for input shape (None, 4, 5)."
            + " Received: axis=3");
    assertThatThrownBy(() -> LayerNormalization.of().axis(List.of(1, -4))
        .outputShape(Shape.of(-1, 4, 5))).hasMessageEndingWith("Axis -4 is out of bounds for"
            + " input shape (None, 4, 5). Received: axis=[1, -4]");
  }

  @Test
  void unknownOrRepeatedAxes_areRejected() {
    assertThatThrownBy(() -> LayerNormalization.of().outputShape(Shape.of(-1, 4, -1)))
        .hasMessageEndingWith("the size of axis -1 must be known to normalize over it (input"
            + " shape (None, 4, None))");
    assertThatThrownBy(() -> LayerNormalization.of().axis(List.of(2, -1))
        .outputShape(Shape.of(-1, 4, 5))).hasMessageEndingWith("axis [2, -1] names an axis"
            + " twice");
    assertThatThrownBy(() -> LayerNormalization.of().axis(List.of())).hasMessage("Expected an"
        + " int or a list/tuple of ints for the argument 'axis', but received: []");
  }
}
