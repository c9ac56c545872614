package io.jeras.layers.reshaping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jeras.layers.IncompatibleShapeException;
import io.jeras.layers.LayerHarness;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

class ReshapingLayersTest {
  /** A 2x3 one-channel image 1..6. */
  private static final float[] IMAGE = {1, 2, 3, 4, 5, 6};
  private static final long[] IMAGE_SHAPE = {1, 2, 3, 1};

  @Test
  void zeroPadding_surroundsWithZeros() {
    FloatNdArray out = LayerHarness.run(ZeroPadding2D.of(Margins.of(1, 0, 0, 2)), IMAGE,
        IMAGE_SHAPE);
    assertThat(out.shape()).isEqualTo(Shape.of(1, 3, 5, 1));
    assertThat(LayerHarness.values(out)).containsExactly(
        0, 0, 0, 0, 0,
        1, 2, 3, 0, 0,
        4, 5, 6, 0, 0);
    assertThat(ZeroPadding2D.of().outputShape(Shape.of(-1, 28, 28, 3)).asArray())
        .containsExactly(-1, 30, 30, 3);
  }

  @Test
  void cropping_removesTheSides() {
    FloatNdArray out = LayerHarness.run(Cropping2D.of(Margins.of(1, 0, 1, 1)), IMAGE,
        IMAGE_SHAPE);
    assertThat(LayerHarness.values(out)).containsExactly(5);
    assertThatThrownBy(() -> Cropping2D.of(1).outputShape(Shape.of(-1, 2, 8, 1)))
        .isInstanceOf(IncompatibleShapeException.class)
        .hasMessageContaining("must be smaller than the input size");
    assertThatThrownBy(() -> Margins.of(-1)).hasMessageContaining("must not be negative");
  }

  @Test
  void upSamplingNearest_repeatsEachPixel() {
    FloatNdArray out = LayerHarness.run(UpSampling2D.of(2, 1), IMAGE, IMAGE_SHAPE);
    assertThat(LayerHarness.values(out)).containsExactly(1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6);
    assertThatThrownBy(() -> UpSampling2D.of().interpolation("bicubic"))
        .hasMessageContaining("\"nearest\" or \"bilinear\"");
  }

  @Test
  void reshape_infersTheMinusOneDimension() {
    FloatNdArray out = LayerHarness.run(Reshape.of(-1, 2), IMAGE, IMAGE_SHAPE);
    assertThat(out.shape()).isEqualTo(Shape.of(1, 3, 2));
    assertThat(LayerHarness.values(out)).containsExactly(IMAGE);
    assertThatThrownBy(() -> Reshape.of(4, 2).outputShape(Shape.of(-1, 2, 3, 1)))
        .isInstanceOf(IncompatibleShapeException.class)
        .hasMessageContaining("total size of new array must be unchanged");
    assertThatThrownBy(() -> Reshape.of(-1, -1)).hasMessageContaining("at most one -1");
  }
}
