package io.jeras.layers.pooling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jeras.layers.LayerHarness;
import io.jeras.layers.Padding;
import io.jeras.layers.Size2D;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

class PoolingTest {
  private static final float[] IMAGE = {
      1, 3, 2, 4, 0,
      5, 6, 1, 2, 9,
      7, 2, 9, 1, 1,
      0, 1, 3, 8, 2,
      4, 4, 4, 4, 4};

  @Test
  void maxPooling_takesTheMaximumOfEachWindow() {
    FloatNdArray out = LayerHarness.run(MaxPooling2D.of(2), IMAGE, new long[] {1, 5, 5, 1});
    assertThat(out.shape()).isEqualTo(Shape.of(1, 2, 2, 1));
    assertThat(LayerHarness.values(out)).containsExactly(6, 4, 7, 9);
  }

  @Test
  void maxPooling_samePaddingKeepsTheLastPartialWindow() {
    FloatNdArray out = LayerHarness.run(MaxPooling2D.of(2).padding(Padding.SAME), IMAGE,
        new long[] {1, 5, 5, 1});
    assertThat(out.shape()).isEqualTo(Shape.of(1, 3, 3, 1));
    assertThat(LayerHarness.values(out)).containsExactly(6, 4, 9, 7, 9, 2, 4, 4, 4);
  }

  @Test
  void averagePooling_averagesEachWindow() {
    FloatNdArray out = LayerHarness.run(AveragePooling2D.of(2), IMAGE, new long[] {1, 5, 5, 1});
    assertThat(LayerHarness.values(out)).containsExactly(15 / 4f, 9 / 4f, 10 / 4f, 21 / 4f);
  }

  @Test
  void averagePooling_samePaddingCountsOnlyPixelsInside() {
    FloatNdArray out = LayerHarness.run(AveragePooling2D.of(2).padding("same"), IMAGE,
        new long[] {1, 5, 5, 1});
    // bottom-right window holds only the pixel 4
    assertThat(out.getFloat(0, 2, 2, 0)).isEqualTo(4f);
    assertThat(out.getFloat(0, 0, 2, 0)).isEqualTo((0 + 9) / 2f);
  }

  @Test
  void stridesDefaultToThePoolSize() {
    assertThat(MaxPooling2D.of(3).strides()).isEqualTo(Size2D.of(3, 3));
    assertThat(MaxPooling2D.of().poolSize()).isEqualTo(Size2D.of(2, 2));
    assertThat(AveragePooling2D.of().padding()).isEqualTo(Padding.VALID);
    assertThat(MaxPooling2D.of(3).strides(1).outputShape(Shape.of(-1, 5, 5, 2)).asArray())
        .containsExactly(-1, 3, 3, 2);
    assertThat(MaxPooling2D.of(2).countParams(Shape.of(-1, 4, 4, 2))).isZero();
  }

  @Test
  void poolLargerThanInput_isRejected() {
    assertThatThrownBy(() -> MaxPooling2D.of(3).name("pool").outputShape(Shape.of(-1, 2, 2, 4)))
        .hasMessage("Layer \"pool\" (MaxPooling2D) cannot take input of shape (None, 2, 2, 4):"
            + " pool size (3, 3) (padding valid) is larger than the 2x2 input");
  }

  @Test
  void globalPooling_reducesEachChannelOverTheImage() {
    FloatNdArray average = LayerHarness.run(GlobalAveragePooling2D.of(), IMAGE,
        new long[] {1, 5, 5, 1});
    assertThat(average.shape()).isEqualTo(Shape.of(1, 1));
    assertThat(average.getFloat(0, 0)).isEqualTo(87 / 25f);
    FloatNdArray max = LayerHarness.run(GlobalMaxPooling2D.of().keepdims(true), IMAGE,
        new long[] {1, 5, 5, 1});
    assertThat(max.shape()).isEqualTo(Shape.of(1, 1, 1, 1));
    assertThat(LayerHarness.values(max)).containsExactly(9);
    assertThat(GlobalAveragePooling2D.of().outputShape(Shape.of(-1, 7, 7, 64)).asArray())
        .containsExactly(-1, 64);
  }
}
