package io.jeras.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

class VariableStoreTest {

  @Test
  void writeThenRead_roundTripsFloatAndLongValues() {
    try (GraphRuntime runtime = new GraphRuntime(SessionOptions.defaults())) {
      VariableStore store = new VariableStore(new NameScopes(runtime.tf()));
      store.create("dense/kernel", Shape.of(2, 3), TFloat32.class);
      store.create("dense/bias", Shape.of(3), TFloat32.class);
      store.create("adam/iteration", Shape.scalar(), TInt64.class);

      store.write(runtime.session(), Map.of(
          "dense/kernel", HostValue.of(Shape.of(2, 3), new float[] {1, 2, 3, 4, 5, 6}),
          "dense/bias", HostValue.of(Shape.of(3), new float[] {-1, 0, 1}),
          "adam/iteration", HostValue.ofLongs(Shape.scalar(), new long[] {7})));

      Map<String, HostValue> values = store.readAll(runtime.session());
      assertThat(values.keySet()).containsExactly("dense/kernel", "dense/bias", "adam/iteration");
      assertThat(values.get("dense/kernel").floats()).containsExactly(1, 2, 3, 4, 5, 6);
      assertThat(values.get("dense/bias").floats()).containsExactly(-1, 0, 1);
      assertThat(values.get("adam/iteration").longs()).containsExactly(7);
    }
  }

  @Test
  void variablesKeepTheirScopedNames() {
    try (GraphRuntime runtime = new GraphRuntime(SessionOptions.defaults())) {
      VariableStore store = new VariableStore(new NameScopes(runtime.tf()));
      Variable<TFloat32> kernel = store.create("conv2d/kernel", Shape.of(3, 3, 1, 4), TFloat32.class);
      Variable<TFloat32> bias = store.create("conv2d/bias", Shape.of(4), TFloat32.class);
      assertThat(kernel.op().name()).isEqualTo("conv2d/kernel");
      assertThat(bias.op().name()).isEqualTo("conv2d/bias");
      assertThat(kernel.op().type()).isEqualTo("VariableV2");
    }
  }

  @Test
  void write_wrongShape_namesVariableAndBothShapes() {
    try (GraphRuntime runtime = new GraphRuntime(SessionOptions.defaults())) {
      VariableStore store = new VariableStore(new NameScopes(runtime.tf()));
      store.create("dense/kernel", Shape.of(2, 3), TFloat32.class);
      assertThatThrownBy(() -> store.write(runtime.session(),
              Map.of("dense/kernel", HostValue.of(Shape.of(3, 2), new float[6]))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("variable dense/kernel has shape [2, 3], the value has shape [3, 2]");
    }
  }

  @Test
  void read_unknownName_listsWhatExists() {
    try (GraphRuntime runtime = new GraphRuntime(SessionOptions.defaults())) {
      VariableStore store = new VariableStore(new NameScopes(runtime.tf()));
      store.create("dense/kernel", Shape.of(1), TFloat32.class);
      assertThatThrownBy(() -> store.read(runtime.session(), List.of("dense/bias")))
          .hasMessage("no variable named dense/bias; the graph has [dense/kernel]");
    }
  }
}
