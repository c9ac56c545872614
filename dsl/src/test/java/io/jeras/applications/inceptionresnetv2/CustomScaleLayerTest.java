package io.jeras.applications.inceptionresnetv2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jeras.layers.IncompatibleShapeException;
import io.jeras.layers.KerasTensor;
import io.jeras.layers.core.Input;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

class CustomScaleLayerTest {

  @Test
  void twoInputs_broadcastLikeNumPy() {
    CustomScaleLayer layer = CustomScaleLayer.of(0.17);
    assertThat(layer.scale()).isEqualTo(0.17);
    assertThat(layer.outputShape(List.of(Shape.of(-1, 5, 5, 8), Shape.of(-1, 5, 5, 8)))
        .asArray()).containsExactly(-1, 5, 5, 8);
    assertThat(layer.outputShape(List.of(Shape.of(-1, 5, 5, 8), Shape.of(-1, 1, 1, 8)))
        .asArray()).containsExactly(-1, 5, 5, 8);
    assertThat(layer.autoNamePrefix()).isEqualTo("custom_scale_layer");
  }

  @Test
  void oneInputOrIncompatibleShapes_areRejected() {
    assertThatThrownBy(() -> CustomScaleLayer.of(0.1).outputShape(Shape.of(-1, 4)))
        .isInstanceOf(IncompatibleShapeException.class)
        .hasMessageEndingWith("CustomScaleLayer takes two inputs [x, residual], got 1");
    KerasTensor a = Input.of(4, 4, 8).tensor();
    KerasTensor b = Input.of(4, 4, 6).tensor();
    assertThatThrownBy(() -> CustomScaleLayer.of(0.1).apply(a, b))
        .isInstanceOf(IncompatibleShapeException.class)
        .hasMessageContaining("Inputs have incompatible shapes. Received shapes (None, 4, 4, 8)"
            + " and (None, 4, 4, 6)");
  }
}
