package io.jeras.trainers;

import static io.jeras.activations.Activations.SOFTMAX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jeras.Jeras;
import io.jeras.callbacks.Callback;
import io.jeras.callbacks.History;
import io.jeras.data.Data;
import io.jeras.layers.core.Dense;
import io.jeras.layers.regularization.Dropout;
import io.jeras.losses.Loss;
import io.jeras.metrics.Metric;
import io.jeras.models.Sequential;
import io.jeras.optimizers.SGD;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;

class FitTest {
  private static final int N = 200;

  /** Two Gaussian blobs in 4-D, classes 0 and 1. */
  private static FloatNdArray x() {
    Random r = new Random(5);
    float[] v = new float[N * 4];
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < 4; j++) {
        v[i * 4 + j] = (float) (r.nextGaussian() + (i % 2 == 0 ? 1.5 : -1.5));
      }
    }
    return Data.floats(v, N, 4);
  }

  private static IntNdArray y() {
    int[] labels = new int[N];
    for (int i = 0; i < N; i++) {
      labels[i] = i % 2 == 0 ? 0 : 1;
    }
    return Data.ints(labels);
  }

  private static Sequential classifier() {
    Sequential model = Sequential.of(Dense.of(8).activation("relu").inputShape(4),
        Dropout.of(0.2), Dense.of(2).activation(SOFTMAX));
    model.compile(SGD.defaults().learningRate(0.1), Loss.SPARSE_CATEGORICAL_CROSSENTROPY,
        Metric.ACCURACY);
    return model;
  }

  @Test
  void history_hasEveryKeyPerEpoch() {
    Jeras.setRandomSeed(1);
    try (Sequential model = classifier()) {
      History history = model.fit(x(), y(), Fit.epochs(3).batchSize(16).validationSplit(0.25)
          .verbose(0));
      assertThat(history.history().keySet())
          .containsExactly("accuracy", "loss", "val_accuracy", "val_loss");
      assertThat(history.epochs()).containsExactly(0, 1, 2);
      assertThat(history.get("val_accuracy").get(2)).isGreaterThan(0.9);
      assertThat(history.get("loss").get(2)).isLessThan(history.get("loss").get(0));
    }
  }

  @Test
  void validationSplit_holdsOutTheLastSamples() {
    Jeras.setRandomSeed(2);
    try (Sequential model = classifier()) {
      History history = model.fit(x(), y(), Fit.epochs(1).batchSize(16).validationSplit(0.25)
          .verbose(0));
      // the validation metrics equal evaluate on the last 50 samples after training
      FloatNdArray lastX = x().slice(org.tensorflow.ndarray.index.Indices.range(150, 200));
      IntNdArray lastY = y().slice(org.tensorflow.ndarray.index.Indices.range(150, 200));
      Map<String, Double> evaluation = model.evaluate(lastX, lastY, 32, 0);
      assertThat(history.get("val_loss").get(0)).isCloseTo(evaluation.get("loss"), within(1e-6));
      // batch means are float32, so sums of them agree to float precision
      assertThat(history.get("val_accuracy").get(0))
          .isCloseTo(evaluation.get("accuracy"), within(1e-6));
    }
  }

  @Test
  void sameSeed_sameTraining() {
    double[] losses = new double[2];
    for (int run = 0; run < 2; run++) {
      Jeras.setRandomSeed(9);
      try (Sequential model = classifier()) {
        losses[run] = model.fit(x(), y(), Fit.epochs(2).batchSize(16).verbose(0))
            .get("loss").get(1);
      }
    }
    assertThat(losses[1]).isEqualTo(losses[0]);
  }

  @Test
  void evaluate_isTheSampleWeightedMeanOverBatches() {
    Jeras.setRandomSeed(3);
    try (Sequential model = classifier()) {
      Map<String, Double> whole = model.evaluate(x(), y(), N, 0);
      Map<String, Double> batched = model.evaluate(x(), y(), 64, 0);   // 64, 64, 64, 8
      assertThat(batched.keySet()).containsExactly("accuracy", "loss");
      assertThat(batched.get("loss")).isCloseTo(whole.get("loss"), within(1e-6));
      assertThat(batched.get("accuracy")).isCloseTo(whole.get("accuracy"), within(1e-6));
    }
  }

  @Test
  void predict_neverAppliesDropout() {
    Jeras.setRandomSeed(4);
    try (Sequential model = classifier()) {
      float[] a = Data.toFloatArray(model.predict(x()));
      float[] b = Data.toFloatArray(model.predict(x(), 7, 0));
      assertThat(a).containsExactly(b);
      float[] inference = Data.toFloatArray(model.call(x(), false));
      assertThat(inference).containsExactly(a);
      float[] training = Data.toFloatArray(model.call(x(), true));
      assertThat(training).isNotEqualTo(a);
    }
  }

  @Test
  void callbackCanStopTraining_andSeesZeroBasedEpochsAndBatches() {
    List<String> events = new ArrayList<>();
    Callback stopAfterTwo = new Callback() {
      @Override
      public void onEpochBegin(int epoch, Map<String, Double> logs) {
        events.add("begin " + epoch);
      }

      @Override
      public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        if (batch == 0) {
          events.add("batch 0 keys " + logs.keySet());
        }
      }

      @Override
      public void onEpochEnd(int epoch, Map<String, Double> logs) {
        events.add("end " + epoch);
        if (epoch == 1) {
          run().stopTraining();
        }
      }
    };
    try (Sequential model = classifier()) {
      History history = model.fit(x(), y(), Fit.epochs(10).batchSize(100).verbose(0)
          .callbacks(stopAfterTwo));
      assertThat(history.epochs()).containsExactly(0, 1);
      assertThat(events).containsExactly("begin 0", "batch 0 keys [accuracy, loss]", "end 0",
          "begin 1", "batch 0 keys [accuracy, loss]", "end 1");
    }
  }

  @Test
  void verbose2_printsOneLinePerEpoch() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Sequential model = classifier()) {
      model.fit(x(), y(), Fit.epochs(2).batchSize(50).verbose(2)
          .out(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
    }
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(4);
    assertThat(lines[0]).isEqualTo("Epoch 1/2");
    assertThat(lines[1]).matches("4/4 - \\d+s - \\d+(s|ms|us)/step - accuracy: \\d\\.\\d{4}"
        + " - loss: \\d\\.\\d{4}");
    assertThat(lines[2]).isEqualTo("Epoch 2/2");
  }

  @Test
  void verbose1_notATerminal_printsProgressLinesEndingWithTheFullBar() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Sequential model = classifier()) {
      model.fit(x(), y(), Fit.epochs(1).batchSize(50)
          .out(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
    }
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines[lines.length - 1]).matches("4/4 ━{20} \\d+s \\d+(s|ms|us)/step"
        + " - accuracy: \\d\\.\\d{4} - loss: \\d\\.\\d{4}");
  }

  @Test
  void wrongInputShape_isRejectedBeforeAnyStep() {
    try (Sequential model = classifier()) {
      assertThatThrownBy(() -> model.fit(Data.floats(new float[30], 10, 3), y()))
          .hasMessage("Input data of shape (10, 3) does not match the model's input (None, 4):"
              + " expected samples of shape (4,), got (3,)");
    }
  }

  @Test
  void labelsOfTheWrongCount_orShape_areRejected() {
    try (Sequential model = classifier()) {
      assertThatThrownBy(() -> model.fit(x(), Data.ints(new int[5])))
          .hasMessage("Labels of shape (5,) do not match the 200 input samples: expected the"
              + " same number of labels as samples");
      assertThatThrownBy(() -> model.fit(x(), Data.floats(new float[N * 2], N, 2)))
          .hasMessage("Labels of shape (200, 2) do not fit sparse_categorical_crossentropy:"
              + " expected labels of shape (None,) (one class index per sample)");
    }
  }

  @Test
  void sparseLabelOutOfRange_isRejectedWithItsIndex() {
    int[] labels = new int[N];
    labels[7] = 2;
    try (Sequential model = classifier()) {
      assertThatThrownBy(() -> model.fit(x(), Data.ints(labels)))
          .hasMessage("Label 2.0 at index 7 is not a class index in the valid range [0, 2) of"
              + " the model's 2 outputs (sparse_categorical_crossentropy takes one integer class"
              + " index per sample)");
    }
  }

  @Test
  void oneHotLabels_forCategoricalCrossentropy() {
    Jeras.setRandomSeed(6);
    float[] oneHot = new float[N * 2];
    for (int i = 0; i < N; i++) {
      oneHot[i * 2 + (i % 2 == 0 ? 0 : 1)] = 1;
    }
    try (Sequential model = Sequential.of(Dense.of(2).activation(SOFTMAX).inputShape(4))) {
      model.compile(SGD.defaults().learningRate(0.2), Loss.of("categorical_crossentropy"),
          Metric.of("accuracy"));
      History history = model.fit(x(), Data.floats(oneHot, N, 2), Fit.epochs(3).verbose(0));
      assertThat(history.get("accuracy").get(2)).isGreaterThan(0.9);
      assertThatThrownBy(() -> model.fit(x(), y()))
          .hasMessage("Labels of shape (200,) do not fit categorical_crossentropy: expected"
              + " labels of shape (None, 2) (one-hot for categorical losses; for class indices"
              + " use sparse_categorical_crossentropy)");
    }
  }

  @Test
  void crossentropyOnASoftmaxModel_isComputedFromItsLogits() {
    // kernel maps x = (1, 0, 0, 0) to logits (0, 40): p(class 0) ~ 4e-18, so from the clipped
    // probability the loss would be -log(1e-7) = 16.1; Keras (and Jeras) use the logits: 40.
    try (Sequential model = Sequential.of(Dense.of(2).activation(SOFTMAX).useBias(false)
        .inputShape(4))) {
      model.compile("sgd", "sparse_categorical_crossentropy");
      float[] kernel = new float[8];
      kernel[1] = 40;
      model.setWeights(List.of(Data.floats(kernel, 4, 2)));
      Map<String, Double> result = model.evaluate(Data.floats(new float[] {1, 0, 0, 0}, 1, 4),
          Data.ints(0), 32, 0);
      assertThat(result.get("loss")).isCloseTo(40.0, within(1e-4));
    }
  }

  @Test
  void labelsAsAVector_fitAOneUnitOutput() {
    Jeras.setRandomSeed(7);
    try (Sequential model = Sequential.of(Dense.of(1).activation("sigmoid").inputShape(4))) {
      model.compile("adam", "binary_crossentropy", "accuracy");
      History history = model.fit(x(), y(), Fit.epochs(2).verbose(0));
      assertThat(history.history()).containsKeys("loss", "accuracy");
    }
  }
}
