package io.jeras.trainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jeras.Jeras;
import io.jeras.callbacks.History;
import io.jeras.data.Data;
import io.jeras.layers.core.Dense;
import io.jeras.layers.normalization.BatchNormalization;
import io.jeras.losses.BinaryCrossentropy;
import io.jeras.losses.Loss;
import io.jeras.losses.Prediction;
import io.jeras.models.Sequential;
import io.jeras.optimizers.Adam;
import io.jeras.optimizers.SGD;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.types.TFloat32;

/**
 * Training steps of one's own ({@link TrainStep}): a step that does what {@code fit} does gives
 * {@code fit}'s weights and losses; distillation from a teacher's predictions gives what {@code
 * fit} on those predictions gives, and leaves the teacher alone; a GAN-shaped step trains two
 * models with two optimizers of the same kind, in program order.
 */
class CustomTrainingTest {
  private static final float[] KERNEL = {0.5f, -0.3f, 0.2f, 0.1f, -0.4f, 0.6f, 0.3f, 0.2f,
      -0.1f, 0.7f, -0.2f, 0.4f};

  private static FloatNdArray inputs() {
    Random random = new Random(3);
    float[] x = new float[40];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return Data.floats(x, 10, 4);
  }

  private static FloatNdArray labels() {
    return Data.floats(new float[] {0, 1, 2, 1, 0, 2, 2, 1, 0, 0}, 10);
  }

  private static Sequential classifier(String name) {
    Sequential model = Sequential.named(name)
        .add(Dense.of(3).activation("softmax").inputShape(4));
    model.setWeights(List.of(Data.floats(KERNEL, 4, 3), Data.floats(new float[3], 3)));
    return model;
  }

  private static void assertSameWeights(Sequential actual, Sequential expected) {
    for (int w = 0; w < 2; w++) {
      float[] a = Data.toFloatArray(actual.getWeights().get(w));
      float[] e = Data.toFloatArray(expected.getWeights().get(w));
      for (int i = 0; i < e.length; i++) {
        assertThat(a[i]).as("weight %s[%s]", w, i).isCloseTo(e[i], within(1e-6f));
      }
    }
  }

  @Test
  void aStepDoingWhatFitDoes_givesFitsWeightsAndLosses() {
    Fit fit = Fit.epochs(2).batchSize(4).shuffle(false).verbose(0);
    try (Sequential reference = classifier("reference");
        Sequential model = classifier("model")) {
      reference.compile(SGD.defaults().learningRate(0.1), Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
      History expected = reference.fit(inputs(), labels(), fit);
      SGD optimizer = SGD.defaults().learningRate(0.1);
      TrainStep step = s -> {
        Operand<TFloat32> loss = s.loss(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, s.y(),
            s.call(model, s.x(), true));
        s.minimize(loss, model, optimizer);
        s.log("loss", loss);
      };
      try (CustomTraining training = CustomTraining.of(step, model)) {
        History history = training.fit(inputs(), labels(), fit);
        for (int epoch = 0; epoch < 2; epoch++) {
          assertThat(history.history().get("loss").get(epoch)).as("epoch %s", epoch)
              .isCloseTo(expected.history().get("loss").get(epoch), within(1e-6));
        }
        assertSameWeights(model, reference);
      }
    }
  }

  @Test
  void distillation_isFitOnTheTeachersPredictions_andLeavesTheTeacherAlone() {
    Fit fit = Fit.epochs(3).batchSize(5).shuffle(false).verbose(0);
    try (Sequential teacher = classifier("teacher");
        Sequential student = Sequential.named("student")
            .add(Dense.of(3).activation("softmax").inputShape(4));
        Sequential reference = Sequential.named("reference")
            .add(Dense.of(3).activation("softmax").inputShape(4))) {
      float[] start = new float[12];
      for (int i = 0; i < start.length; i++) {
        start[i] = 0.05f * (i % 5) - 0.1f;
      }
      student.setWeights(List.of(Data.floats(start, 4, 3), Data.floats(new float[3], 3)));
      reference.setWeights(student.getWeights());
      float[] teacherBefore = Data.toFloatArray(teacher.getWeights().get(0));
      reference.compile(Adam.defaults().learningRate(0.05), Loss.KL_DIVERGENCE);
      History expected = reference.fit(inputs(), teacher.predict(inputs()), fit);
      Adam optimizer = Adam.defaults().learningRate(0.05);
      TrainStep distill = s -> {
        Prediction soft = s.call(teacher, s.x(), false);
        Operand<TFloat32> loss = s.loss(Loss.KL_DIVERGENCE, soft.values(),
            s.call(student, s.x(), true));
        s.minimize(loss, student, optimizer);
        s.log("loss", loss);
      };
      try (CustomTraining training = CustomTraining.of(distill, student, teacher)) {
        History history = training.fit(inputs(), fit);
        assertThat(history.history().get("loss").get(2))
            .isCloseTo(expected.history().get("loss").get(2), within(1e-6));
        assertThat(history.history().get("loss").get(2))
            .isLessThan(history.history().get("loss").get(0));
      }
      assertSameWeights(student, reference);
      assertThat(Data.toFloatArray(teacher.getWeights().get(0))).containsExactly(teacherBefore);
    }
  }

  /**
   * A GAN-shaped step: the discriminator learns to tell real from generated samples, then the
   * generator learns to fool the updated discriminator. Two Adams: Keras' scopes {@code adam}
   * and {@code adam_1}, each with its own step count; both models change.
   */
  @Test
  void aGanShapedStep_trainsTwoModelsWithTwoOptimizers() {
    try (Sequential generator = Sequential.named("generator").add(Dense.of(4).inputShape(2));
        Sequential discriminator = Sequential.named("discriminator")
            .add(Dense.of(1).activation("sigmoid").inputShape(4))) {
      float[] g0 = Data.toFloatArray(generator.getWeights().get(0));
      float[] d0 = Data.toFloatArray(discriminator.getWeights().get(0));
      Adam dOptimizer = Adam.defaults().learningRate(0.01);
      Adam gOptimizer = Adam.defaults().learningRate(0.01);
      Loss bce = BinaryCrossentropy.defaults();
      TrainStep gan = s -> {
        Operand<TFloat32> ones = s.tf().onesLike(s.tf().reduceSum(s.x(), s.tf().constant(1),
            org.tensorflow.op.core.ReduceSum.keepDims(true)));
        Operand<TFloat32> zeros = s.tf().zerosLike(ones);
        Prediction fake = s.call(generator, s.normal(2), true);
        Operand<TFloat32> dLoss = s.tf().math.add(
            s.loss(bce, ones, s.call(discriminator, s.x(), true)),
            s.loss(bce, zeros, s.call(discriminator, fake.values(), true)));
        s.minimize(dLoss, discriminator, dOptimizer);
        Prediction judged = s.call(discriminator,
            s.call(generator, s.normal(2), true).values(), true);
        Operand<TFloat32> gLoss = s.loss(bce, ones, judged);
        s.minimize(gLoss, generator, gOptimizer);
        s.log("d_loss", dLoss);
        s.log("g_loss", gLoss);
      };
      try (CustomTraining training = CustomTraining.of(gan, generator, discriminator)) {
        History history = training.fit(inputs(), Fit.epochs(2).batchSize(5).verbose(0));
        assertThat(history.history()).containsKeys("d_loss", "g_loss");
        assertThat(training.graph().optimizerVariableNames())
            .contains("adam/iteration", "adam_1/iteration");
        assertThat(training.graph().read(List.of("adam/iteration", "adam_1/iteration"))
            .values()).allSatisfy(v -> assertThat(v.longs()).containsExactly(4L));
      }
      assertThat(Data.toFloatArray(generator.getWeights().get(0))).isNotEqualTo(g0);
      assertThat(Data.toFloatArray(discriminator.getWeights().get(0))).isNotEqualTo(d0);
    }
  }

  /**
   * A generator with BatchNormalization called twice per step (for each model's loss): its
   * moving statistics update once per call, in program order, so two runs from the same seed
   * end with the same statistics and weights.
   */
  @Test
  void batchNormalizationUpdates_runInProgramOrder_soRunsRepeat() {
    float[][] first = null;
    for (int run = 0; run < 2; run++) {
      Jeras.setRandomSeed(11);
      try (Sequential generator = Sequential.named("generator")
              .add(Dense.of(4).inputShape(2)).add(BatchNormalization.of());
          Sequential discriminator = Sequential.named("discriminator")
              .add(Dense.of(1).activation("sigmoid").inputShape(4))) {
        Adam dOptimizer = Adam.defaults().learningRate(0.01);
        Adam gOptimizer = Adam.defaults().learningRate(0.01);
        Loss bce = BinaryCrossentropy.defaults();
        TrainStep gan = s -> {
          Operand<TFloat32> ones = s.tf().onesLike(s.tf().reduceSum(s.x(), s.tf().constant(1),
              org.tensorflow.op.core.ReduceSum.keepDims(true)));
          Operand<TFloat32> dLoss = s.tf().math.add(
              s.loss(bce, ones, s.call(discriminator, s.x(), true)),
              s.loss(bce, s.tf().zerosLike(ones), s.call(discriminator,
                  s.call(generator, s.normal(2), true).values(), true)));
          s.minimize(dLoss, discriminator, dOptimizer);
          s.minimize(s.loss(bce, ones, s.call(discriminator,
              s.call(generator, s.normal(2), true).values(), true)), generator, gOptimizer);
        };
        try (CustomTraining training = CustomTraining.of(gan, generator, discriminator)) {
          training.fit(inputs(), Fit.epochs(2).batchSize(5).verbose(0).seed(3));
        }
        float[][] weights = generator.getWeights().stream().map(Data::toFloatArray)
            .toArray(float[][]::new);
        // Dense kernel, bias; BatchNormalization gamma, beta, moving mean, moving variance
        assertThat(weights).hasNumberOfRows(6);
        assertThat(weights[4]).as("moving mean moved").isNotEqualTo(new float[4]);
        if (first == null) {
          first = weights;
        } else {
          for (int w = 0; w < weights.length; w++) {
            assertThat(weights[w]).as("weight %s", w).containsExactly(first[w]);
          }
        }
      }
    }
  }

  @Test
  void mistakes_failNamingWhatIsWrong() {
    try (Sequential model = classifier("model"); Sequential other = classifier("other")) {
      TrainStep callsAStranger = s -> s.call(other, s.x(), true);
      try (CustomTraining training = CustomTraining.of(callsAStranger, model)) {
        assertThatThrownBy(() -> training.fit(inputs(), Fit.epochs(1).verbose(0)))
            .hasMessage("model other is not one of this step's models [model]");
      }
      TrainStep trainsNothing = s -> s.log("x", s.tf().reduceSum(s.x(), s.tf().constant(1)));
      try (CustomTraining training = CustomTraining.of(trainsNothing, model)) {
        assertThatThrownBy(() -> training.fit(inputs(), Fit.epochs(1).verbose(0)))
            .hasMessage("the training step never calls minimize: nothing trains");
      }
    }
  }
}
