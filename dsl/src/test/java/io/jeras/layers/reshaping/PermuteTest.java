package io.jeras.layers.reshaping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jeras.layers.IncompatibleShapeException;
import io.jeras.layers.LayerHarness;
import io.jeras.layers.core.Identity;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

class PermuteTest {

  @Test
  void swapsTheSampleAxes() {
    assertThat(Permute.of(2, 1).outputShape(Shape.of(-1, 10, 64)).asArray())
        .containsExactly(-1, 64, 10);
    FloatNdArray out = LayerHarness.run(Permute.of(2, 1), new float[] {1, 2, 3, 4, 5, 6},
        new long[] {1, 2, 3});
    assertThat(out.shape()).isEqualTo(Shape.of(1, 3, 2));
    assertThat(LayerHarness.values(out)).containsExactly(1, 4, 2, 5, 3, 6);
    assertThat(Permute.of(3, 1, 2).dims()).containsExactly(3, 1, 2);
  }

  @Test
  void dimsMustBeAPermutationFromOne_withKerasMessage() {
    assertThatThrownBy(() -> Permute.of(0, 1)).hasMessage("Invalid permutation argument `dims`"
        + " for Permute Layer. The set of indices in `dims` must be consecutive and start from 1."
        + " Received dims=(0, 1)");
    assertThatThrownBy(() -> Permute.of(1, 1)).hasMessageEndingWith("Received dims=(1, 1)");
  }

  @Test
  void inputRankMustBeDimsPlusOne() {
    assertThatThrownBy(() -> Permute.of(2, 1).outputShape(Shape.of(-1, 4)))
        .isInstanceOf(IncompatibleShapeException.class)
        .hasMessage("Layer \"permute\" (Permute) cannot take input of shape (None, 4): expected"
            + " ndim=3, found ndim=2. Full shape received: (None, 4)");
  }

  @Test
  void identity_returnsItsInput() {
    assertThat(Identity.of().outputShape(Shape.of(-1, 3, 2)).asArray()).containsExactly(-1, 3, 2);
    assertThat(LayerHarness.values(LayerHarness.run(Identity.of(), new float[] {1, -2},
        new long[] {1, 2}))).containsExactly(1, -2);
    assertThat(Identity.of().className()).isEqualTo("Identity");
  }
}
