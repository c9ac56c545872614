package io.jeras.regularizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jeras.data.Data;
import io.jeras.layers.core.Dense;
import io.jeras.models.Sequential;
import io.jeras.optimizers.SGD;
import io.jeras.losses.Loss;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegularizationTest {

  @Test
  void penalties_areAddedToTheLoss() {
    // Dense(2), kernel [[1, -2], [3, 0.5]], bias (1, -1); l1 0.1 on the kernel, l2 0.01 on bias
    float[] kernel = {1, -2, 3, 0.5f};
    float[] bias = {1, -1};
    try (Sequential model = Sequential.of(Dense.of(2).inputShape(2)
        .kernelRegularizer(Regularizers.l1(0.1)).biasRegularizer(Regularizers.l2()))) {
      model.compile(SGD.defaults(), Loss.MEAN_SQUARED_ERROR);
      model.setWeights(List.of(Data.floats(kernel, 2, 2), Data.floats(bias, 2)));
      // x = (1, 1) -> prediction (5, -2.5); target (5, -2.5): data loss 0
      var result = model.evaluate(Data.floats(new float[] {1, 1}, 1, 2),
          Data.floats(new float[] {5, -2.5f}, 1, 2), 32, 0);
      double penalty = 0.1 * (1 + 2 + 3 + 0.5) + 0.01 * (1 + 1);
      assertThat(result.get("loss")).isCloseTo(penalty, within(1e-6));
    }
  }

  @Test
  void frozenWeights_areNotPenalized() {
    try (Sequential model = Sequential.of(Dense.of(1).inputShape(1).trainable(false)
        .kernelRegularizer(Regularizers.l2(1)))) {
      model.compile(SGD.defaults(), Loss.MEAN_SQUARED_ERROR);
      model.setWeights(List.of(Data.floats(new float[] {3}, 1, 1), Data.floats(new float[] {0}, 1)));
      var result = model.evaluate(Data.floats(new float[] {1}, 1, 1),
          Data.floats(new float[] {3}, 1, 1), 32, 0);
      assertThat(result.get("loss")).isEqualTo(0.0);
    }
  }

  @Test
  void defaults_andValidation() {
    assertThat(Regularizers.l2()).isEqualTo(new L1L2(0, 0.01f));
    assertThat(Regularizers.l1()).isEqualTo(new L1L2(0.01f, 0));
    assertThatThrownBy(() -> Regularizers.l2(-1)).hasMessage("Value for argument `l2` should be"
        + " a non-negative float. Received: l2=-1.0");
    assertThat(Regularizers.of("L2")).isEqualTo(new L1L2(0, 0.01f));
    assertThat(Regularizers.of("l1l2")).isEqualTo(new L1L2(0, 0));
    assertThatThrownBy(() -> Regularizers.of("l1_l2"))
        .hasMessageStartingWith("Could not interpret regularizer identifier: l1_l2");
  }
}
