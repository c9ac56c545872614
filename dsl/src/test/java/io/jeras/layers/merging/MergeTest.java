package io.jeras.layers.merging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jeras.data.Data;
import io.jeras.layers.IncompatibleShapeException;
import io.jeras.layers.KerasTensor;
import io.jeras.layers.Layer;
import io.jeras.layers.core.Input;
import io.jeras.models.Functional;
import io.jeras.models.Model;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;

class MergeTest {
  private static final float[] A = {1, 2, 3};
  private static final float[] B = {4, -5, 6};
  private static final float[] C = {-1, 0, 9};

  /** {@code layer} applied to inputs of one sample each; returns the output values. */
  private static float[] merge(Layer<?> layer, float[]... values) {
    List<KerasTensor> inputs = new ArrayList<>();
    Map<String, NdArray<?>> feed = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      inputs.add(Input.of(values[i].length).name("in" + i).tensor());
      feed.put("in" + i, Data.floats(values[i], 1, values[i].length));
    }
    try (Functional model = Model.of(inputs, List.of(layer.apply(inputs)))) {
      FloatNdArray out = model.predict(feed, 1, 0).values().iterator().next();
      return Data.toFloatArray(out);
    }
  }

  @Test
  void elementwiseMerges_computeEachElement() {
    assertThat(merge(Add.of(), A, B, C)).containsExactly(4, -3, 18);
    assertThat(merge(Subtract.of(), A, B)).containsExactly(-3, 7, -3);
    assertThat(merge(Multiply.of(), A, B, C)).containsExactly(-4, -0f, 162);
    assertThat(merge(Average.of(), A, B, C)).containsExactly(4 / 3f, -1, 6);
    assertThat(merge(Maximum.of(), A, B, C)).containsExactly(4, 2, 9);
    assertThat(merge(Minimum.of(), A, B, C)).containsExactly(-1, -5, 3);
  }

  @Test
  void concatenate_joinsAlongTheLastAxis() {
    assertThat(merge(Concatenate.of(), A, new float[] {7, 8})).containsExactly(1, 2, 3, 7, 8);
    assertThat(Concatenate.of(1).outputShape(List.of(Shape.of(-1, 2, 5, 3),
        Shape.of(-1, 4, 5, 3))).asArray()).containsExactly(-1, 6, 5, 3);
  }

  @Test
  void aDimensionOf1_broadcastsAsInKeras() {
    assertThat(Add.of().outputShape(List.of(Shape.of(-1, 4, 1), Shape.of(-1, 4, 3))).asArray())
        .containsExactly(-1, 4, 3);
    assertThat(merge(Add.of(), new float[] {10}, A)).containsExactly(11, 12, 13);
  }

  @Test
  void wrongInputs_failNamingTheLayerAndShapes() {
    List<Shape> mismatched = List.of(Shape.of(-1, 4), Shape.of(-1, 5));
    assertThatThrownBy(() -> Multiply.of().name("product").outputShape(mismatched))
        .isInstanceOf(IncompatibleShapeException.class).hasMessageContaining("product")
        .hasMessageContaining("Inputs have incompatible shapes");
    assertThatThrownBy(() -> Add.of().outputShape(List.of(Shape.of(-1, 4))))
        .hasMessageContaining("at least 2 inputs");
    assertThatThrownBy(() -> Subtract.of().outputShape(List.of(Shape.of(-1, 2),
        Shape.of(-1, 2), Shape.of(-1, 2)))).hasMessageContaining("exactly 2 inputs");
    assertThatThrownBy(() -> Concatenate.of().outputShape(List.of(Shape.of(-1, 2, 3),
        Shape.of(-1, 4, 3)))).hasMessageContaining("matching shapes except for the"
            + " concatenation axis");
    assertThatThrownBy(() -> Concatenate.of(0).outputShape(List.of(Shape.of(-1, 2),
        Shape.of(-1, 2)))).hasMessageContaining("batch axis");
    assertThatThrownBy(() -> Add.of().outputShape(List.of(Shape.of(-1, 2), Shape.of(-1, 2, 1))))
        .hasMessageContaining("same rank");
  }
}
