package io.jeras.constraints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jeras.data.Data;
import io.jeras.initializers.Initializers;
import io.jeras.layers.convolutional.DepthwiseConv2D;
import io.jeras.layers.convolutional.SeparableConv2D;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Input;
import io.jeras.layers.normalization.BatchNormalization;
import io.jeras.layers.reshaping.Flatten;
import io.jeras.losses.Loss;
import io.jeras.models.Sequential;
import io.jeras.optimizers.SGD;
import io.jeras.regularizers.Regularizers;
import io.jeras.trainers.Fit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

/** Constraints and regularizers reach every kind of weight: kernel, bias, depthwise, gamma. */
class ConstraintsOnLayersTest {

  @Test
  void constraints_holdAfterEachStep() {
    // Every constrained weight starts outside its constraint; with learning rate 0 only the
    // constraints, applied after the optimizer's step, change them.
    try (Sequential model = Sequential.of(Input.of(4, 4, 2),
        DepthwiseConv2D.of(3).depthwiseInitializer(Initializers.constant(-1))
            .depthwiseConstraint(Constraints.nonNeg()),
        SeparableConv2D.of(2, 2).pointwiseInitializer(Initializers.constant(1))
            .pointwiseConstraint(Constraints.maxNorm(0.1, 2)),
        BatchNormalization.of().gammaInitializer(Initializers.constant(-2))
            .gammaConstraint(Constraints.nonNeg()), Flatten.of(),
        Dense.of(1).biasInitializer(Initializers.constant(-3))
            .biasConstraint(Constraints.nonNeg()))) {
      model.compile(SGD.defaults().learningRate(0), Loss.MEAN_SQUARED_ERROR);
      float[] x = new float[8 * 4 * 4 * 2];
      java.util.Random random = new java.util.Random(3);
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) random.nextGaussian();
      }
      float[] y = new float[8];
      java.util.Arrays.fill(y, -50);
      model.fit(Data.floats(x, 8, 4, 4, 2), Data.floats(y, 8, 1), Fit.epochs(1).batchSize(8)
          .verbose(0));
      var w = model.weights();
      assertAllZero(w.get("depthwise_conv2d/kernel"));
      assertAllZero(w.get("batch_normalization/gamma"));
      assertAllZero(w.get("dense/bias"));
      FloatNdArray pointwise = w.get("separable_conv2d/pointwise_kernel");
      for (int out = 0; out < 2; out++) {
        double norm = 0;
        for (int in = 0; in < 2; in++) {
          norm += Math.pow(pointwise.getFloat(0, 0, in, out), 2);
        }
        assertThat(Math.sqrt(norm)).isCloseTo(0.1, within(1e-6));
      }
    }
  }

  @Test
  void regularizers_onDepthwiseAndPointwiseKernels_addTheirPenalty() {
    try (Sequential model = Sequential.of(Input.of(1, 1, 1),
        SeparableConv2D.of(1, 1).useBias(false).depthwiseRegularizer(Regularizers.l1(0.5))
            .pointwiseRegularizer(Regularizers.l2(0.25)))) {
      model.compile(SGD.defaults(), Loss.MEAN_SQUARED_ERROR);
      model.setWeights(List.of(Data.floats(new float[] {-2}, 1, 1, 1, 1),
          Data.floats(new float[] {3}, 1, 1, 1, 1)));
      // x = 1 -> prediction -6, target -6: data loss 0; penalty 0.5*2 + 0.25*9
      var logs = model.evaluate(Data.floats(new float[] {1}, 1, 1, 1, 1),
          Data.floats(new float[] {-6}, 1, 1, 1, 1), 1, 0);
      assertThat(logs.get("loss")).isCloseTo(1 + 2.25, within(1e-6));
    }
  }

  private static void assertAllZero(FloatNdArray weight) {
    for (float v : Data.toFloatArray(weight)) {
      assertThat(v).isEqualTo(0f);
    }
  }
}
