package io.jeras.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class GradientsTest {

  @Test
  void gradientOfSumOfSquares_isTwiceTheValue() {
    try (GraphRuntime runtime = new GraphRuntime(SessionOptions.defaults())) {
      Ops tf = runtime.tf();
      VariableStore store = new VariableStore(new NameScopes(tf));
      store.create("w", Shape.of(3), TFloat32.class);
      Output<TFloat32> w = store.read("w", TFloat32.class);
      Operand<TFloat32> loss = tf.reduceSum(tf.math.square(w), tf.constant(0));
      List<Output<TFloat32>> grads =
          Gradients.of(runtime.graph(), "gradients", loss, List.of(w), List.of("w"));
      store.write(runtime.session(), Map.of("w", HostValue.of(Shape.of(3), new float[] {1, -2, 3})));
      try (Result result = runtime.session().runner().fetch(grads.get(0)).run()) {
        assertThat(Tensors.toFloats(result.get(0))).containsExactly(2, -4, 6);
      }
    }
  }

  @Test
  void variableThatDoesNotReachTheLoss_isNamed() {
    try (GraphRuntime runtime = new GraphRuntime(SessionOptions.defaults())) {
      Ops tf = runtime.tf();
      VariableStore store = new VariableStore(new NameScopes(tf));
      store.create("used", Shape.of(1), TFloat32.class);
      store.create("unused", Shape.of(1), TFloat32.class);
      Operand<TFloat32> loss = tf.reduceSum(store.read("used", TFloat32.class), tf.constant(0));
      assertThatThrownBy(() -> Gradients.of(runtime.graph(), "gradients", loss,
              List.of(store.read("used", TFloat32.class), store.read("unused", TFloat32.class)),
              List.of("used", "unused")))
          .hasMessageStartingWith("trainable variable unused does not influence the loss");
    }
  }

  @Test
  void opWithoutGradient_isAnExceptionNotACrash() {
    try (GraphRuntime runtime = new GraphRuntime(SessionOptions.defaults())) {
      Ops tf = runtime.tf();
      VariableStore store = new VariableStore(new NameScopes(tf));
      store.create("w", Shape.of(2), TFloat32.class);
      Operand<TFloat32> loss = tf.reduceSum(
          tf.math.mod(store.read("w", TFloat32.class), tf.constant(2f)), tf.constant(0));
      assertThatThrownBy(() -> Gradients.of(runtime.graph(), "gradients", loss,
              List.of(store.read("w", TFloat32.class)), List.of("w")))
          .isInstanceOf(RuntimeException.class)
          .hasMessageContaining("No gradient defined for op: Mod");
    }
  }
}
