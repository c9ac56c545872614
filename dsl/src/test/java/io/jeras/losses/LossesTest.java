package io.jeras.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jeras.bridge.GraphRuntime;
import io.jeras.bridge.SessionOptions;
import io.jeras.bridge.Tensors;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Each loss' per-sample values against Keras' formulas, computed here by hand. */
class LossesTest {

  /** Runs {@code loss} on constants; logits (nullable) as a softmax/sigmoid output carries. */
  private static float[] perSample(Loss loss, float[][] yTrue, float[][] yPred,
      float[][] logits) {
    try (GraphRuntime runtime = new GraphRuntime(SessionOptions.defaults())) {
      Ops tf = runtime.tf();
      Operand<TFloat32> labels = tf.constant(yTrue);
      Prediction prediction = new Prediction(tf.constant(yPred),
          logits == null ? null : tf.constant(logits));
      try (Result result = runtime.session().runner()
          .fetch(loss.call(tf, labels, prediction)).run()) {
        return Tensors.toFloats(result.get(0));
      }
    }
  }

  private static float[] perSampleSparse(Loss loss, float[] yTrue, float[][] yPred,
      float[][] logits) {
    try (GraphRuntime runtime = new GraphRuntime(SessionOptions.defaults())) {
      Ops tf = runtime.tf();
      Prediction prediction = new Prediction(tf.constant(yPred),
          logits == null ? null : tf.constant(logits));
      try (Result result = runtime.session().runner()
          .fetch(loss.call(tf, tf.constant(yTrue), prediction)).run()) {
        return Tensors.toFloats(result.get(0));
      }
    }
  }

  @Test
  void meanSquaredError_averagesOverTheLastAxis() {
    float[] loss = perSample(Loss.MEAN_SQUARED_ERROR, new float[][] {{1, 2}, {0, 0}},
        new float[][] {{2, 4}, {-1, 0.5f}}, null);
    assertThat(loss).containsExactly((1 + 4) / 2f, (1 + 0.25f) / 2f);
  }

  @Test
  void meanAbsoluteError_averagesOverTheLastAxis() {
    float[] loss = perSample(Loss.MEAN_ABSOLUTE_ERROR, new float[][] {{1, 2}, {0, 0}},
        new float[][] {{2, 4}, {-1, 0.5f}}, null);
    assertThat(loss).containsExactly(1.5f, 0.75f);
  }

  @Test
  void huber_isQuadraticWithinDeltaAndLinearBeyond() {
    // errors 0.5 (quadratic: 0.125) and 3 (linear: 3 - 0.5 = 2.5), delta 1
    float[] loss = perSample(Loss.HUBER, new float[][] {{0, 0}}, new float[][] {{0.5f, -3}},
        null);
    assertThat(loss[0]).isCloseTo((0.125f + 2.5f) / 2, within(1e-6f));
    float[] wide = perSample(Huber.delta(4), new float[][] {{0, 0}},
        new float[][] {{0.5f, -3}}, null);
    assertThat(wide[0]).isCloseTo((0.125f + 4.5f) / 2, within(1e-6f));
  }

  @Test
  void categoricalCrossentropy_fromProbabilitiesRenormalizesAndClips() {
    // row 1: p = (0.2, 0.3, 0.5) -> -log 0.5; row 2: unnormalized (1, 1, 2) -> -log(2/4);
    // row 3: p(label) = 0 is clipped to 1e-7
    float[] loss = perSample(Loss.CATEGORICAL_CROSSENTROPY,
        new float[][] {{0, 0, 1}, {0, 0, 1}, {1, 0, 0}},
        new float[][] {{0.2f, 0.3f, 0.5f}, {1, 1, 2}, {0, 0.5f, 0.5f}}, null);
    assertThat(loss[0]).isCloseTo((float) -Math.log(0.5), within(1e-6f));
    assertThat(loss[1]).isCloseTo((float) -Math.log(0.5), within(1e-6f));
    assertThat(loss[2]).isCloseTo((float) -Math.log(1e-7), within(1e-4f));
  }

  @Test
  void categoricalCrossentropy_usesLogitsOfASoftmaxOutput() {
    // logits 0 and 40: the softmax probability of class 0 underflows to ~4e-18, which the
    // probability path would clip to 1e-7 (16.1); from logits the loss is exactly 40.
    float[][] logits = {{0, 40}};
    float[][] probabilities = {{0, 1}};
    float[] loss = perSample(Loss.CATEGORICAL_CROSSENTROPY, new float[][] {{1, 0}},
        probabilities, logits);
    assertThat(loss[0]).isCloseTo(40f, within(1e-4f));
    float[] clipped = perSample(Loss.CATEGORICAL_CROSSENTROPY, new float[][] {{1, 0}},
        probabilities, null);
    assertThat(clipped[0]).isCloseTo((float) -Math.log(1e-7), within(1e-4f));
  }

  @Test
  void categoricalCrossentropy_fromLogitsOption() {
    float[][] logits = {{1, 2, 3}};
    double expected = -3 + Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    float[] loss = perSample(CategoricalCrossentropy.defaults().fromLogits(true),
        new float[][] {{0, 0, 1}}, logits, null);
    assertThat(loss[0]).isCloseTo((float) expected, within(1e-6f));
  }

  @Test
  void sparseCategoricalCrossentropy_matchesTheOneHotForm() {
    float[][] p = {{0.1f, 0.7f, 0.2f}, {0.6f, 0.3f, 0.1f}};
    float[] loss = perSampleSparse(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, new float[] {1, 2}, p,
        null);
    assertThat(loss[0]).isCloseTo((float) -Math.log(0.7), within(1e-6f));
    assertThat(loss[1]).isCloseTo((float) -Math.log(0.1), within(1e-6f));
    float[] fromLogits = perSampleSparse(
        SparseCategoricalCrossentropy.defaults().fromLogits(true), new float[] {0},
        new float[][] {{2, 0, 0}}, null);
    assertThat(fromLogits[0]).isCloseTo((float) (-2 + Math.log(Math.exp(2) + 2)),
        within(1e-6f));
  }

  @Test
  void sparseCategoricalCrossentropy_fromProbabilities_clipsThenRenormalizesLikeKeras() {
    // Keras: log(clip(p)) as logits, so the loss is -log p_label + log(sum of clipped p)
    float[] loss = perSampleSparse(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, new float[] {0, 2},
        new float[][] {{0, 0.5f, 0.5f}, {1, 1, 2}}, null);
    assertThat(loss[0]).isCloseTo((float) (-Math.log(1e-7) + Math.log(1 + 1e-7)), within(1e-4f));
    assertThat(loss[1]).isCloseTo((float) (-Math.log(1 - 1e-7) + Math.log(3 * (1 - 1e-7))),
        within(1e-5f));
  }

  @Test
  void binaryCrossentropy_fromProbabilities() {
    float[] loss = perSample(Loss.BINARY_CROSSENTROPY, new float[][] {{1, 0}, {1, 1}},
        new float[][] {{0.9f, 0.2f}, {1, 0}}, null);
    assertThat(loss[0]).isCloseTo((float) ((-Math.log(0.9) - Math.log(0.8)) / 2), within(1e-6f));
    // p = 1 and p = 0 are clipped to 1 - 1e-7 and 1e-7
    assertThat(loss[1]).isCloseTo((float) ((-Math.log(1 - 1e-7) - Math.log(1e-7)) / 2),
        within(1e-3f));
  }

  @Test
  void binaryCrossentropy_usesLogitsOfASigmoidOutput() {
    float[][] logits = {{-30, 2}};
    float[][] probabilities = {{(float) (1 / (1 + Math.exp(30))), (float) (1 / (1 + Math.exp(-2)))}};
    float[] loss = perSample(Loss.BINARY_CROSSENTROPY, new float[][] {{1, 0}}, probabilities,
        logits);
    double first = 30 + Math.log1p(Math.exp(-30));
    double second = 2 + Math.log1p(Math.exp(-2));
    assertThat(loss[0]).isCloseTo((float) ((first + second) / 2), within(1e-5f));
  }

  /** Every name and alias Keras 3's {@code keras.losses.get} accepts for the losses Jeras has. */
  @Test
  void byEveryKerasNameAndAlias() {
    Object[][] names = {
        {Loss.MEAN_SQUARED_ERROR, "mean_squared_error", "mse", "MSE", "MeanSquaredError"},
        {Loss.MEAN_ABSOLUTE_ERROR, "mean_absolute_error", "mae", "MAE", "MeanAbsoluteError"},
        {Loss.MEAN_ABSOLUTE_PERCENTAGE_ERROR, "mean_absolute_percentage_error", "mape", "MAPE",
            "MeanAbsolutePercentageError"},
        {Loss.MEAN_SQUARED_LOGARITHMIC_ERROR, "mean_squared_logarithmic_error", "msle", "MSLE",
            "MeanSquaredLogarithmicError"},
        {Loss.COSINE_SIMILARITY, "cosine_similarity", "CosineSimilarity"},
        {Loss.HUBER, "huber", "Huber", "huber_loss"},
        {Loss.LOG_COSH, "log_cosh", "LogCosh"},
        {Loss.HINGE, "hinge", "Hinge"},
        {Loss.SQUARED_HINGE, "squared_hinge", "SquaredHinge"},
        {Loss.CATEGORICAL_HINGE, "categorical_hinge", "CategoricalHinge"},
        {Loss.KL_DIVERGENCE, "kl_divergence", "kld", "KLD", "KLDivergence"},
        {Loss.POISSON, "poisson", "Poisson"},
        {Loss.BINARY_CROSSENTROPY, "binary_crossentropy", "bce", "BCE", "BinaryCrossentropy"},
        {Loss.BINARY_FOCAL_CROSSENTROPY, "binary_focal_crossentropy",
            "BinaryFocalCrossentropy"},
        {Loss.CATEGORICAL_CROSSENTROPY, "categorical_crossentropy", "CategoricalCrossentropy"},
        {Loss.CATEGORICAL_FOCAL_CROSSENTROPY, "categorical_focal_crossentropy",
            "CategoricalFocalCrossentropy"},
        {Loss.SPARSE_CATEGORICAL_CROSSENTROPY, "sparse_categorical_crossentropy",
            "SparseCategoricalCrossentropy"},
    };
    for (Object[] row : names) {
      for (int i = 1; i < row.length; i++) {
        assertThat(Loss.of((String) row[i])).as((String) row[i]).isSameAs(row[0]);
      }
      // name() is Keras' function name, which resolves back to the same loss
      assertThat(Loss.of(((Loss) row[0]).name())).isSameAs(row[0]);
    }
  }

  @Test
  void newOptionsKeepKerasDefaults() {
    BinaryFocalCrossentropy binary = BinaryFocalCrossentropy.defaults();
    assertThat(binary.alpha()).isEqualTo(0.25f);
    assertThat(binary.gamma()).isEqualTo(2f);
    assertThat(binary.applyClassBalancing()).isFalse();
    assertThat(binary.labelSmoothing()).isZero();
    CategoricalFocalCrossentropy categorical = CategoricalFocalCrossentropy.defaults()
        .alpha(0.1, 0.2, 0.7).labelSmoothing(0.1);
    assertThat(categorical.alpha()).containsExactly(0.1f, 0.2f, 0.7f);
    assertThat(categorical.gamma()).isEqualTo(2f);
    assertThat(BinaryCrossentropy.defaults().labelSmoothing(0.2).fromLogits(true)
        .labelSmoothing()).isEqualTo(0.2f);
    assertThat(CategoricalCrossentropy.defaults().labelSmoothing()).isZero();
    assertThat(((CosineSimilarity) Loss.COSINE_SIMILARITY).axis()).isEqualTo(-1);
  }

  @Test
  void byKerasName() {
    assertThat(Loss.of("mse")).isSameAs(Loss.MEAN_SQUARED_ERROR);
    assertThat(Loss.of("mean_absolute_error")).isSameAs(Loss.MEAN_ABSOLUTE_ERROR);
    assertThat(Loss.of("sparse_categorical_crossentropy").labels()).isEqualTo(Labels.SPARSE);
    assertThat(Huber.defaults().delta()).isEqualTo(1.0f);
    assertThatThrownBy(() -> Loss.of("ctc")).hasMessageStartingWith("Unknown loss \"ctc\"");
  }
}
