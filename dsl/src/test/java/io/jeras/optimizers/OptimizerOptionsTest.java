package io.jeras.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jeras.data.Data;
import io.jeras.layers.core.Dense;
import io.jeras.losses.Loss;
import io.jeras.models.Sequential;
import io.jeras.trainers.Fit;
import io.jeras.trainers.ModelGraph;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keras' defaults, argument checks and base options of the optimizers added for Keras 3. */
class OptimizerOptionsTest {

  @Test
  void defaults_areKeras() {
    assertThat(AdamW.defaults().learningRate()).isEqualTo(0.001f);
    assertThat(AdamW.defaults().weightDecay()).isEqualTo(0.004f);
    assertThat(AdamW.defaults().beta1()).isEqualTo(0.9f);
    assertThat(AdamW.defaults().beta2()).isEqualTo(0.999f);
    assertThat(AdamW.defaults().epsilon()).isEqualTo(1e-7f);
    assertThat(AdamW.defaults().amsgrad()).isFalse();
    assertThat(Nadam.defaults().learningRate()).isEqualTo(0.001f);
    assertThat(Nadam.defaults().beta1()).isEqualTo(0.9f);
    assertThat(Nadam.defaults().beta2()).isEqualTo(0.999f);
    assertThat(Nadam.defaults().epsilon()).isEqualTo(1e-7f);
    assertThat(Adamax.defaults().beta2()).isEqualTo(0.999f);
    assertThat(Adagrad.defaults().initialAccumulatorValue()).isEqualTo(0.1f);
    assertThat(Adagrad.defaults().epsilon()).isEqualTo(1e-7f);
    assertThat(Adadelta.defaults().learningRate()).isEqualTo(0.001f);
    assertThat(Adadelta.defaults().rho()).isEqualTo(0.95f);
    assertThat(Lion.defaults().beta1()).isEqualTo(0.9f);
    assertThat(Lion.defaults().beta2()).isEqualTo(0.99f);
    assertThat(Ftrl.defaults().learningRatePower()).isEqualTo(-0.5f);
    assertThat(Ftrl.defaults().initialAccumulatorValue()).isEqualTo(0.1f);
    assertThat(Ftrl.defaults().l1RegularizationStrength()).isZero();
    assertThat(Ftrl.defaults().beta()).isZero();
    for (Optimizer optimizer : List.of(Adam.defaults(), Nadam.defaults(), Adamax.defaults(),
        Adagrad.defaults(), Adadelta.defaults(), Lion.defaults(), Ftrl.defaults(),
        SGD.defaults(), RMSprop.defaults())) {
      assertThat(optimizer.weightDecay()).as(optimizer.name()).isNull();
      assertThat(optimizer.clipnorm()).as(optimizer.name()).isNull();
      assertThat(optimizer.clipvalue()).as(optimizer.name()).isNull();
    }
  }

  @Test
  void settersReturnChangedCopies_keepingTheBaseOptions() {
    Adam base = Adam.defaults();
    Adam changed = base.weightDecay(0.01).clipnorm(1).beta1(0.8).learningRate(0.1);
    assertThat(base.weightDecay()).isNull();
    assertThat(changed.weightDecay()).isEqualTo(0.01f);
    assertThat(changed.clipnorm()).isEqualTo(1f);
    assertThat(changed.beta1()).isEqualTo(0.8f);
    assertThat(changed.learningRate()).isEqualTo(0.1f);
    // every shared setter keeps the optimizer's type, so its own options chain after it
    Adam chained = Adam.defaults().globalClipnorm(2).useEma(true).emaMomentum(0.5)
        .emaOverwriteFrequency(3).gradientAccumulationSteps(4).beta1(0.7);
    assertThat(chained.beta1()).isEqualTo(0.7f);
    assertThat(chained.gradientAccumulationSteps()).isEqualTo(4);
    assertThat(LossScaleOptimizer.of(Nadam.defaults()).weightDecay(0.1).innerOptimizer()
        .weightDecay()).isEqualTo(0.1f);
    Optimizer inner = LossScaleOptimizer.of(Adam.defaults()).useEma(true).emaMomentum(0.5)
        .emaOverwriteFrequency(3).gradientAccumulationSteps(4).globalClipnorm(2)
        .innerOptimizer();
    assertThat(inner.useEma()).isTrue();
    assertThat(inner.emaMomentum()).isEqualTo(0.5f);
    assertThat(inner.emaOverwriteFrequency()).isEqualTo(3);
    assertThat(inner.gradientAccumulationSteps()).isEqualTo(4);
    assertThat(inner.globalClipnorm()).isEqualTo(2f);
  }

  @Test
  void argumentChecks_areKeras() {
    assertThatThrownBy(() -> Adam.defaults().clipnorm(1).clipvalue(0.5))
        .hasMessage("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set."
            + " Received: clipnorm=1.0, clipvalue=0.5, global_clipnorm=None");
    assertThatThrownBy(() -> Lion.defaults().beta1(0))
        .hasMessage("Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer"
            + " degenerates to SignSGD. Received: beta_1=0.0.");
    assertThatThrownBy(() -> Ftrl.defaults().learningRatePower(0.5))
        .hasMessage("`learning_rate_power` needs to be negative or zero. Received:"
            + " learning_rate_power=0.5.");
    assertThatThrownBy(() -> Ftrl.defaults().initialAccumulatorValue(-1))
        .hasMessage("`initial_accumulator_value` needs to be positive or zero. Received:"
            + " initial_accumulator_value=-1.0.");
    assertThatThrownBy(() -> Ftrl.defaults().l1RegularizationStrength(-1))
        .hasMessageStartingWith("`l1_regularization_strength` needs to be positive or zero.");
    assertThatThrownBy(() -> Ftrl.defaults().l2RegularizationStrength(-1))
        .hasMessageStartingWith("`l2_regularization_strength` needs to be positive or zero.");
    assertThatThrownBy(() -> Ftrl.defaults().l2ShrinkageRegularizationStrength(-1))
        .hasMessageStartingWith("`l2_shrinkage_regularization_strength` needs to be positive");
    assertThatThrownBy(() -> Adam.defaults().clipvalue(0.5).globalClipnorm(2))
        .hasMessage("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set."
            + " Received: clipnorm=None, clipvalue=0.5, global_clipnorm=2.0");
    assertThatThrownBy(() -> Adam.defaults().globalClipnorm(2).clipnorm(1))
        .hasMessageContaining("clipnorm=1.0, clipvalue=None, global_clipnorm=2.0");
    assertThatThrownBy(() -> Adam.defaults().emaMomentum(1.5))
        .hasMessage("`ema_momentum` must be in the range [0, 1]. Received: ema_momentum=1.5");
    assertThatThrownBy(() -> Adam.defaults().emaOverwriteFrequency(0))
        .hasMessage("`ema_overwrite_frequency` must be an integer >= 1 or None. Received:"
            + " ema_overwrite_frequency=0");
    assertThatThrownBy(() -> Adam.defaults().gradientAccumulationSteps(1))
        .hasMessage("`gradient_accumulation_steps` must be an integer >= 2. Received:"
            + " gradient_accumulation_steps=1");
    assertThatThrownBy(() -> Nadam.defaults().learningRate(-1))
        .hasMessage("Argument `learning_rate` must be a non-negative number. Received:"
            + " learning_rate=-1.0");
  }

  /**
   * Under loss scaling a skipped step (an overflowing gradient) changes nothing: not the
   * weight (no weight decay either), not Nadam's {@code u_product}, not the iteration.
   */
  @Test
  void aSkippedLossScaleStep_skipsWeightDecayAndNadamState() {
    Optimizer optimizer = LossScaleOptimizer.of(Nadam.defaults().weightDecay(0.5))
        .initialScale(Float.MAX_VALUE / 4);
    float[] w = {0.5f, -1f, 2f, 0.25f, 1f, -0.5f};
    try (Sequential model = Sequential.of(Dense.of(3).useBias(false).inputShape(2))) {
      model.compile(optimizer, Loss.MEAN_SQUARED_ERROR);
      model.setWeights(List.of(Data.floats(w, 2, 3)));
      model.fit(Data.floats(new float[] {1, 0, 0, 1}, 2, 2),
          Data.floats(new float[] {100, -100, 100, -100, 100, -100}, 2, 3),
          Fit.epochs(1).batchSize(2).shuffle(false).verbose(0));
      assertThat(Data.toFloatArray(model.getWeights().get(0))).containsExactly(w);
      ModelGraph graph = model.graph();
      assertThat(graph.read(List.of("nadam/u_product")).get("nadam/u_product").floats())
          .containsExactly(1f);
      assertThat(graph.read(List.of("nadam/iteration")).get("nadam/iteration").longs())
          .containsExactly(0L);
    }
  }

  /**
   * Under loss scaling with gradient accumulation a skipped step does not accumulate either: the
   * accumulator stays zero and the iteration (which decides the update steps) does not move,
   * as in Keras, where the inner optimizer is not called at all. A finite step then accumulates.
   */
  @Test
  void aSkippedLossScaleStep_leavesTheGradientAccumulatorAlone() {
    Optimizer optimizer = LossScaleOptimizer.of(SGD.defaults().gradientAccumulationSteps(2))
        .initialScale(Float.MAX_VALUE / 4);
    float[] w = {0.5f, -1f, 2f, 0.25f, 1f, -0.5f};
    try (Sequential model = Sequential.of(Dense.of(3).useBias(false).inputShape(2))) {
      model.compile(optimizer, Loss.MEAN_SQUARED_ERROR);
      model.setWeights(List.of(Data.floats(w, 2, 3)));
      Fit once = Fit.epochs(1).batchSize(2).shuffle(false).verbose(0);
      model.fit(Data.floats(new float[] {1, 0, 0, 1}, 2, 2),
          Data.floats(new float[] {100, -100, 100, -100, 100, -100}, 2, 3), once);
      ModelGraph graph = model.graph();
      String accumulator = "sgd/" + graph.weightNames().get(0).replace('/', '_')
          + "_gradient_accumulator";
      assertThat(graph.read(List.of(accumulator)).get(accumulator).floats())
          .containsOnly(0f);
      assertThat(graph.read(List.of("sgd/iteration")).get("sgd/iteration").longs())
          .containsExactly(0L);
      // the scale has halved until finite: a step on these labels accumulates and counts
      for (int i = 0; i < 200 && graph.read(List.of("sgd/iteration"))
          .get("sgd/iteration").longs()[0] == 0; i++) {
        model.fit(Data.floats(new float[] {1, 0, 0, 1}, 2, 2),
            Data.floats(new float[] {1, -1, 1, -1, 1, -1}, 2, 3), once);
      }
      assertThat(graph.read(List.of("sgd/iteration")).get("sgd/iteration").longs())
          .containsExactly(1L);
      assertThat(graph.read(List.of(accumulator)).get(accumulator).floats())
          .isNotEqualTo(new float[6]);
      assertThat(Data.toFloatArray(model.getWeights().get(0))).containsExactly(w);
    }
  }
}
