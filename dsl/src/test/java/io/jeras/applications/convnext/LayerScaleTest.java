package io.jeras.applications.convnext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jeras.layers.IncompatibleShapeException;
import io.jeras.layers.LayerHarness;
import io.jeras.layers.WeightSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

class LayerScaleTest {

  @Test
  void oneTrainableWeightNamedVariable_startingAtInitValues() {
    LayerScale layer = LayerScale.of(1e-6, 4);
    List<WeightSpec> weights = layer.weights(Shape.of(-1, 7, 7, 4));
    assertThat(weights).extracting(WeightSpec::name).containsExactly("variable");
    assertThat(weights.get(0).shape()).isEqualTo(Shape.of(4));
    assertThat(weights.get(0).trainable()).isTrue();
    assertThat(weights.get(0).initializer().generate(Shape.of(4), 0)).containsOnly(1e-6f);
    assertThat(layer.autoNamePrefix()).isEqualTo("layer_scale");
  }

  @Test
  void multipliesEachChannelByItsScale() {
    float[] out = LayerHarness.values(LayerHarness.run(LayerScale.of(1, 2),
        new float[] {1, 2, 3, 4}, new long[] {1, 2, 2}, new float[] {10, -1}));
    assertThat(out).containsExactly(10, -2, 30, -4);
  }

  @Test
  void channelsMustMatchProjectionDim() {
    assertThatThrownBy(() -> LayerScale.of(1e-6, 4).outputShape(Shape.of(-1, 3, 5)))
        .isInstanceOf(IncompatibleShapeException.class)
        .hasMessageEndingWith("the input's 5 channels do not match projection_dim=4");
  }
}
