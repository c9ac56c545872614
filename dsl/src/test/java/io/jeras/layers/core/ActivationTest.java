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
    assertElementwise(Activations.SILU, x -> x / (1 + Math.exp(-x)));
    assertElementwise(Activations.RELU6, x -> Math.min(Math.max(x, 0), 6));
    assertElementwise(Activations.MISH, x -> x * Math.tanh(Math.log1p(Math.exp(x))));
    assertElementwise(Activations.SOFTSIGN, x -> x / (Math.abs(x) + 1));
    assertElementwise(Activations.EXPONENTIAL, Math::exp);
    assertElementwise(Activations.CELU, x -> x > 0 ? x : Math.expm1(x));
    assertElementwise(Activations.HARD_TANH, x -> Math.max(-1, Math.min(1, x)));
    assertElementwise(Activations.LOG_SIGMOID, x -> -Math.log1p(Math.exp(-x)));
    assertElementwise(Activations.SOFT_SHRINK, x -> x > 0.5 ? x - 0.5 : x < -0.5 ? x + 0.5 : 0);
    assertElementwise(Activations.HARD_SHRINK, x -> Math.abs(x) > 0.5 ? x : 0);
    assertElementwise(Activations.TANH_SHRINK, x -> x - Math.tanh(x));
    assertElementwise(Activations.SPARSE_PLUS, x -> x <= -1 ? 0 : x < 1 ? (x + 1) * (x + 1) / 4
        : x);
    assertElementwise(Activations.SQUAREPLUS, x -> (x + Math.sqrt(x * x + 4)) / 2);
  }

  @Test
  void hardSigmoid_isKeras3sRelu6OfXPlus3Over6_notKeras2sLine() {
    // Keras 3: relu6(x + 3) / 6, so 1/6 at -2 and 0 at -3; Keras 2's 0.2x + 0.5 gave 0.1, 0
    assertElementwise(Activations.HARD_SIGMOID, x -> Math.min(Math.max(x + 3, 0), 6) / 6);
    assertThat(apply(Activations.HARD_SIGMOID)[0]).isCloseTo(1 / 6f, within(1e-7f));
    assertElementwise(Activations.HARD_SILU, x -> x * Math.min(Math.max(x + 3, 0), 6) / 6);
  }

  @Test
  void gelu_isTheExactErfFormByDefault_andTheTanhApproximationIsItsOwnConstant() {
    // Phi(-2) = 0.022750131948179195, Phi(-0.5) = 0.3085375387259869, Phi(0.5), Phi(3)
    double[] phi = {0.022750131948179195, 0.3085375387259869, 0.5, 0.6914624612740131,
        0.9986501019683699};
    float[] exact = apply(Activations.GELU);
    float[] approximate = apply(Activations.GELU_APPROXIMATE);
    for (int i = 0; i < X.length; i++) {
      double x = X[i];
      assertThat(exact[i]).as("gelu(%s)", x).isCloseTo((float) (x * phi[i]), within(1e-6f));
      double tanh = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x
          * x)));
      assertThat(approximate[i]).as("approximate gelu(%s)", x).isCloseTo((float) tanh,
          within(1e-6f));
    }
    assertThat(exact[0]).isNotEqualTo(approximate[0]);
    assertThat(Activations.GELU.kerasName()).isEqualTo("gelu");
    assertThat(Activations.of("gelu_approximate")).isSameAs(Activations.GELU_APPROXIMATE);
  }

  @Test
  void logSoftmax_isTheLogOfSoftmaxOverTheLastAxis() {
    float[] out = apply(Activations.LOG_SOFTMAX);
    double sum = 0;
    for (float x : X) {
      sum += Math.exp(x);
    }
    for (int i = 0; i < X.length; i++) {
      assertThat(out[i]).isCloseTo((float) (X[i] - Math.log(sum)), within(1e-6f));
    }
  }

  @Test
  void kerasAliases_giveTheCanonicalConstant() {
    assertThat(Activations.of("swish")).isSameAs(Activations.SILU);
    assertThat(Activations.of("Swish")).isSameAs(Activations.SILU);
    assertThat(Activations.of("hard_swish")).isSameAs(Activations.HARD_SILU);
    assertThat(Activations.SILU.kerasName()).isEqualTo("silu");
    assertThat(Activations.HARD_SILU.kerasName()).isEqualTo("hard_silu");
    assertThat(Activation.of("swish").activation()).isSameAs(Activations.SILU);
    assertThat(Dense.of(4).activation("hard_swish").activation()).isSameAs(Activations.HARD_SILU);
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
        + " selu, leaky_relu, silu, gelu, gelu_approximate, relu6, hard_sigmoid, hard_silu,"
        + " mish, softsign, exponential, log_softmax, celu, hard_tanh, log_sigmoid,"
        + " soft_shrink, hard_shrink, tanh_shrink, sparse_plus, squareplus or the aliases"
        + " swish, hard_swish");
  }
}
