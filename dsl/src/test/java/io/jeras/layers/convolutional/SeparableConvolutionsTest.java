package io.jeras.layers.convolutional;

import static org.assertj.core.api.Assertions.assertThat;

import io.jeras.layers.LayerHarness;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

class SeparableConvolutionsTest {

  @Test
  void depthwise_convolvesEachChannelOnItsOwn() {
    // 2x2 image, channels (1, 10) per pixel; kernel 2x2 of ones for channel 0, twos for
    // channel 1; no mixing: outputs (1+2+3+4, 2*(10+20+30+40)) + bias (0.5, -1)
    float[] image = {1, 10, 2, 20, 3, 30, 4, 40};
    FloatNdArray out = LayerHarness.run(DepthwiseConv2D.of(2), image, new long[] {1, 2, 2, 2},
        new float[] {1, 2, 1, 2, 1, 2, 1, 2}, new float[] {0.5f, -1});
    assertThat(LayerHarness.values(out)).containsExactly(10.5f, 199);
  }

  @Test
  void separable_isDepthwiseThenPointwise() {
    // depthwise as above (10, 200), then pointwise [[1, 0, 1], [0, 1, 1]] -> (10, 200, 210)
    float[] image = {1, 10, 2, 20, 3, 30, 4, 40};
    FloatNdArray out = LayerHarness.run(SeparableConv2D.of(3, 2).useBias(false), image,
        new long[] {1, 2, 2, 2}, new float[] {1, 2, 1, 2, 1, 2, 1, 2},
        new float[] {1, 0, 1, 0, 1, 1});
    assertThat(LayerHarness.values(out)).containsExactly(10, 200, 210);
  }

  @Test
  void parameters_asKerasCountsThem() {
    Shape input = Shape.of(-1, 14, 14, 32);
    // 3*3*32*1 + 32
    assertThat(DepthwiseConv2D.of(3).countParams(input)).isEqualTo(320);
    assertThat(DepthwiseConv2D.of(3).depthMultiplier(2).outputShape(input).asArray())
        .containsExactly(-1, 12, 12, 64);
    // 3*3*32 + 32*64 + 64, against 3*3*32*64 + 64 = 18,496 for Conv2D
    assertThat(SeparableConv2D.of(64, 3).countParams(input)).isEqualTo(2400);
    assertThat(Conv2D.of(64, 3).countParams(input)).isEqualTo(18_496);
    assertThat(SeparableConv2D.of(64, 3).weights(input).stream().map(w -> w.name()).toList())
        .isEqualTo(List.of("depthwise_kernel", "pointwise_kernel", "bias"));
  }

  @Test
  void defaults_matchKeras() {
    SeparableConv2D conv = SeparableConv2D.of(8, 3);
    assertThat(conv.depthMultiplier()).isEqualTo(1);
    assertThat(conv.depthwiseInitializer().kerasName()).isEqualTo("glorot_uniform");
    assertThat(conv.pointwiseInitializer().kerasName()).isEqualTo("glorot_uniform");
    assertThat(conv.biasInitializer().kerasName()).isEqualTo("zeros");
    assertThat(DepthwiseConv2D.of(3).padding().name()).isEqualTo("VALID");
    assertThat(DepthwiseConv2D.of(3).strides().height()).isEqualTo(1);
  }
}
