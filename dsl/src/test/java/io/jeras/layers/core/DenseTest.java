package io.jeras.layers.core;

import static io.jeras.activations.Activations.RELU;
import static io.jeras.activations.Activations.SOFTMAX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jeras.layers.IncompatibleShapeException;
import io.jeras.layers.LayerHarness;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.models.Sequential;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

class DenseTest {

  @Test
  void computesActivationOfInputTimesKernelPlusBias() {
    // x = (1, -2), kernel [[1, 2, 3], [4, 5, 6]], bias (0.5, 0, -20)
    FloatNdArray out = LayerHarness.run(Dense.of(3).activation(RELU), new float[] {1, -2},
        new long[] {1, 2}, new float[] {1, 2, 3, 4, 5, 6}, new float[] {0.5f, 0, -20});
    assertThat(LayerHarness.values(out)).containsExactly(0, 0, 0);
    FloatNdArray linear = LayerHarness.run(Dense.of(3), new float[] {1, -2}, new long[] {1, 2},
        new float[] {1, 2, 3, 4, 5, 6}, new float[] {0.5f, 0, -20});
    assertThat(LayerHarness.values(linear)).containsExactly(-6.5f, -8, -29);
  }

  @Test
  void softmax_rowsSumToOne() {
    FloatNdArray out = LayerHarness.run(Dense.of(2).activation(SOFTMAX).useBias(false),
        new float[] {1, 0, 0, 1}, new long[] {2, 2}, new float[] {0, 0, 1, 3});
    assertThat(out.getFloat(0, 0)).isCloseTo(0.5f, within(1e-6f));
    assertThat(out.getFloat(1, 1)).isCloseTo((float) (Math.exp(3) / (Math.exp(1) + Math.exp(3))),
        within(1e-6f));
  }

  @Test
  void parameters_areInTimesUnitsPlusUnits() {
    assertThat(Dense.of(120).countParams(Shape.of(-1, 400))).isEqualTo(48120);
    assertThat(Dense.of(120).useBias(false).countParams(Shape.of(-1, 400))).isEqualTo(48000);
    assertThat(Dense.of(10).outputShape(Shape.of(-1, 84)).asArray()).containsExactly(-1, 10);
  }

  @Test
  void defaults_matchKeras() {
    Dense dense = Dense.of(4);
    assertThat(dense.activation().kerasName()).isEqualTo("linear");
    assertThat(dense.useBias()).isTrue();
    assertThat(dense.kernelInitializer().kerasName()).isEqualTo("glorot_uniform");
    assertThat(dense.biasInitializer().kerasName()).isEqualTo("zeros");
    assertThat(dense.kernelRegularizer()).isNull();
  }

  @Test
  void fourDimensionalInput_isMultipliedAlongTheLastAxisAsKeras3Does() {
    try (Sequential model = Sequential.of(Conv2D.of(8, 3).inputShape(28, 28, 1))) {
      model.add(Dense.of(10));
      assertThat(model.outputShape().asArray()).containsExactly(-1, 26, 26, 10);
    }
    assertThat(Dense.of(10).countParams(Shape.of(-1, 26, 26, 8))).isEqualTo(8 * 10 + 10);
    assertThat(Dense.of(3).outputShape(Shape.of(-1, -1, 5)).asArray())
        .containsExactly(-1, -1, 3);
  }

  @Test
  void sequenceInput_eachPositionGetsTheSameKernel() {
    // x (1, 2, 2): positions (1, -2) and (3, 0.5); kernel [[1, 2, 3], [4, 5, 6]], bias 0.5, 0, -20
    FloatNdArray out = LayerHarness.run(Dense.of(3), new float[] {1, -2, 3, 0.5f},
        new long[] {1, 2, 2}, new float[] {1, 2, 3, 4, 5, 6}, new float[] {0.5f, 0, -20});
    assertThat(out.shape()).isEqualTo(Shape.of(1, 2, 3));
    assertThat(LayerHarness.values(out)).containsExactly(-6.5f, -8, -29, 5.5f, 8.5f, -8);
  }

  @Test
  void vectorWithoutFeatureAxis_orUnknownFeatures_isRejected() {
    assertThatThrownBy(() -> Dense.of(3).outputShape(Shape.of(-1)))
        .isInstanceOf(IncompatibleShapeException.class)
        .hasMessage("Layer \"dense\" (Dense) cannot take input of shape (None,): Dense expects"
            + " input of rank 2 or more (batch, ..., features), got rank 1");
    assertThatThrownBy(() -> Dense.of(3).outputShape(Shape.of(-1, 4, -1)))
        .hasMessageEndingWith("the number of input features must be known");
  }

  @Test
  void unitsMustBePositive() {
    assertThatThrownBy(() -> Dense.of(0)).hasMessage("Received an invalid value for `units`,"
        + " expected a positive integer. Received: units=0");
  }
}
