package io.jeras.layers.reshaping;

import static org.assertj.core.api.Assertions.assertThat;

import io.jeras.layers.LayerHarness;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

class FlattenTest {
  @Test
  void keepsTheBatchAndUnrollsRowMajorChannelsLast() {
    float[] x = new float[2 * 2 * 2 * 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    FloatNdArray out = LayerHarness.run(Flatten.of(), x, new long[] {2, 2, 2, 3});
    assertThat(out.shape()).isEqualTo(Shape.of(2, 12));
    assertThat(LayerHarness.values(out)).containsExactly(x);
  }

  @Test
  void outputShape() {
    assertThat(Flatten.of().outputShape(Shape.of(-1, 5, 5, 16)).asArray())
        .containsExactly(-1, 400);
    assertThat(Flatten.of().countParams(Shape.of(-1, 5, 5, 16))).isZero();
  }
}
