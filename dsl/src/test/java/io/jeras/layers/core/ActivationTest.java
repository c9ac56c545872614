package io.jeras.layers.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jeras.activations.Activations;
import io.jeras.layers.LayerHarness;
import org.junit.jupiter.api.Test;

class ActivationTest {
  private static final float[] X = {-2, -0.5f, 0, 0.5f, 3};

  private static float[] apply(Activations activation) {
    return LayerHarness.values(LayerHarness.run(Activation.of(activation), X,
        new long[] {1, X.length}));
  }

  private static void assertElementwise(Activations activation,
      java.util.function.DoubleUnaryOperator f) {
    float[] out = apply(activation);
    for (int i = 0; i < X.length; i++) {
      assertThat(out[i]).as("%s(%s)", activation, X[i])
          .isCloseTo((float) f.applyAsDouble(X[i]), within(1e-6f));
    }
  }

  @Test
  void eachActivation_matchesItsFormula() {
    assertElementwise(Activations.LINEAR, x -> x);
    assertElementwise(Activations.RELU, x -> Math.max(0, x));
    assertElementwise(Activations.SIGMOID, x -> 1 / (1 + Math.exp(-x)));
    assertElementwise(Activations.TANH, Math::tanh);
    assertElementwise(Activations.SOFTPLUS, x -> Math.log(Math.exp(x) + 1));
    assertElementwise(Activations.ELU, x -> x > 0 ? x : Math.exp(x) - 1);
    assertElementwise(Activations.SELU, x -> 1.0507009873554805
        * (x > 0 ? x : 1.6732632423543772 * (Math.exp(x) - 1)));
    assertElementwise(Activations.LEAKY_RELU, x -> x > 0 ? x : 0.2 * x);
  }

  @Test
  void softmax_normalizesOverTheLastAxis() {
    float[] out = apply(Activations.SOFTMAX);
    double sum = 0;
    for (float x : X) {
      sum += Math.exp(x);
    }
    for (int i = 0; i < X.length; i++) {
      assertThat(out[i]).isCloseTo((float) (Math.exp(X[i]) / sum), within(1e-6f));
    }
  }

  @Test
  void byKerasName() {
    for (Activations a : Activations.values()) {
      assertThat(Activations.of(a.kerasName())).isSameAs(a);
    }
    assertThat(Activations.of(null)).isSameAs(Activations.LINEAR);
    assertThat(Activation.of("ReLU").activation()).isSameAs(Activations.RELU);
    assertThatThrownBy(() -> Activations.of("swishy")).hasMessage("Unknown activation"
        + " \"swishy\"; expected one of linear, relu, sigmoid, tanh, softmax, softplus, elu,"
        + " selu, leaky_relu");
  }
}
