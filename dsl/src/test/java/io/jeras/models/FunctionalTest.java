package io.jeras.models;

import static io.jeras.activations.Activations.RELU;
import static io.jeras.activations.Activations.SOFTMAX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jeras.Jeras;
import io.jeras.callbacks.History;
import io.jeras.data.Data;
import io.jeras.layers.IncompatibleShapeException;
import io.jeras.layers.KerasTensor;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Input;
import io.jeras.layers.merging.Add;
import io.jeras.layers.merging.Concatenate;
import io.jeras.layers.regularization.Dropout;
import io.jeras.losses.Loss;
import io.jeras.metrics.Metric;
import io.jeras.optimizers.SGD;
import io.jeras.trainers.Fit;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;

class FunctionalTest {
  private static final int N = 64;

  private static FloatNdArray features(int seed, int width) {
    Random r = new Random(seed);
    float[] v = new float[N * width];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return Data.floats(v, N, width);
  }

  /** Class 1 when the first feature of {@code x} is positive. */
  private static NdArray<?> signOf(FloatNdArray x) {
    int[] labels = new int[N];
    for (int i = 0; i < N; i++) {
      labels[i] = x.getFloat(i, 0) > 0 ? 1 : 0;
    }
    return Data.ints(labels);
  }

  @Test
  void twoInputsTwoOutputs_trainWithALossAndMetricsPerOutput() {
    Jeras.setRandomSeed(11);
    KerasTensor a = Input.of(3).name("a").tensor();
    KerasTensor b = Input.of(2).name("b").tensor();
    KerasTensor joined = Concatenate.of().apply(a, b);
    KerasTensor hidden = Dense.of(8).activation(RELU).apply(joined);
    KerasTensor classes = Dense.of(2).activation(SOFTMAX).name("classes").apply(hidden);
    KerasTensor value = Dense.of(1).name("value").apply(hidden);
    try (Functional model = Model.of(List.of(a, b), List.of(classes, value))) {
      assertThat(model.outputNames()).containsExactly("classes", "value");
      assertThat(model.layers().stream().map(l -> l.name()).toList())
          .containsExactly("concatenate", "dense", "classes", "value");
      model.compile(SGD.defaults().learningRate(0.05),
          Map.of("classes", Loss.SPARSE_CATEGORICAL_CROSSENTROPY, "value", Loss.MEAN_SQUARED_ERROR),
          Map.of("value", 0.5), Map.of("classes", List.of(Metric.ACCURACY)));
      FloatNdArray xa = features(1, 3);
      FloatNdArray xb = features(2, 2);
      FloatNdArray target = features(3, 1);
      Map<String, NdArray<?>> x = Map.of("a", xa, "b", xb);
      Map<String, NdArray<?>> y = Map.of("classes", signOf(xa), "value", target);
      History history = model.fit(x, y, Fit.epochs(3).batchSize(16).verbose(0));
      assertThat(history.history().keySet()).containsExactly("classes_accuracy", "classes_loss",
          "loss", "value_loss");
      Map<String, Double> logs = model.evaluate(x, y, 16, 0);
      assertThat(logs.get("loss")).isCloseTo(logs.get("classes_loss")
          + 0.5 * logs.get("value_loss"), within(1e-5));
      Map<String, FloatNdArray> predictions = model.predict(x, 16, 0);
      assertThat(predictions.keySet()).containsExactly("classes", "value");
      assertThat(predictions.get("classes").shape().asArray()).containsExactly(N, 2);
      assertThat(predictions.get("value").shape().asArray()).containsExactly(N, 1);
    }
  }

  @Test
  void sharedLayer_hasOneSetOfWeightsUsedByEachApplication() {
    Jeras.setRandomSeed(12);
    KerasTensor left = Input.of(4).name("left").tensor();
    KerasTensor right = Input.of(4).name("right").tensor();
    Dense shared = Dense.of(3);
    KerasTensor sum = Add.of().apply(shared.apply(left), shared.apply(right));
    try (Functional model = Model.of(List.of(left, right), List.of(sum))) {
      assertThat(model.nodes()).hasSize(3);
      assertThat(model.layers()).hasSize(2);
      assertThat(model.weights().keySet()).containsExactly("dense/kernel", "dense/bias");
      assertThat(model.countParams()).isEqualTo(4 * 3 + 3);
      FloatNdArray x = features(4, 4);
      FloatNdArray twice = model.predict(Map.of("left", x, "right", x), 32, 0).get("add");
      FloatNdArray kernel = model.weights().get("dense/kernel");
      FloatNdArray bias = model.weights().get("dense/bias");
      for (int j = 0; j < 3; j++) {
        double once = bias.getFloat(j);
        for (int k = 0; k < 4; k++) {
          once += x.getFloat(5, k) * kernel.getFloat(k, j);
        }
        assertThat(twice.getFloat(5, j)).isCloseTo((float) (2 * once), within(1e-5f));
      }
    }
  }

  @Test
  void sequentialAndFunctional_compileToTheSameGraphAndTrainAlike() {
    List<Double> losses = new java.util.ArrayList<>();
    for (boolean functional : new boolean[] {false, true}) {
      Jeras.setRandomSeed(13);
      Dense hidden = Dense.of(6).activation(RELU);
      Dropout dropout = Dropout.of(0.3);
      Dense out = Dense.of(2).activation(SOFTMAX);
      Model model;
      if (functional) {
        KerasTensor x = Input.of(3).tensor();
        model = Model.of(x, out.apply(dropout.apply(hidden.apply(x))));
      } else {
        model = Sequential.of(Input.of(3), hidden, dropout, out);
      }
      try (model) {
        model.compile(SGD.defaults().learningRate(0.1), Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
        FloatNdArray x = features(5, 3);
        History history = model.fit(x, signOf(x), Fit.epochs(2).batchSize(8).verbose(0));
        losses.add(history.get("loss").get(1));
      }
    }
    assertThat(losses.get(1)).isEqualTo(losses.get(0));
  }

  @Test
  void anInputTheOutputsDoNotUse_failsNamingIt() {
    KerasTensor used = Input.of(3).name("used").tensor();
    KerasTensor unused = Input.of(3).name("unused").tensor();
    KerasTensor out = Dense.of(1).apply(used);
    assertThatThrownBy(() -> Model.of(List.of(used, unused), List.of(out)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"unused\"").hasMessageContaining("not connected");
  }

  @Test
  void anInputNotGiven_failsAsGraphDisconnectedNamingTheLayer() {
    KerasTensor given = Input.of(3).name("given").tensor();
    KerasTensor missing = Input.of(3).name("missing").tensor();
    KerasTensor sum = Add.of().name("join").apply(Dense.of(2).name("left").apply(given),
        Dense.of(2).name("right").apply(missing));
    assertThatThrownBy(() -> Model.of(given, sum))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Graph disconnected").hasMessageContaining("missing")
        .hasMessageContaining("right").hasMessageContaining("join");
  }

  @Test
  void mismatchedMergeShapes_failWhenAppliedNamingTheLayers() {
    KerasTensor x = Input.of(8).tensor();
    KerasTensor four = Dense.of(4).name("four").apply(x);
    KerasTensor five = Dense.of(5).name("five").apply(x);
    assertThatThrownBy(() -> Add.of().name("sum").apply(four, five))
        .isInstanceOf(IncompatibleShapeException.class)
        .hasMessageContaining("sum").hasMessageContaining("(None, 4)")
        .hasMessageContaining("(None, 5)").hasMessageContaining("[four, five]");
  }

  @Test
  void duplicateLayerNames_areRejected() {
    KerasTensor x = Input.of(2).tensor();
    KerasTensor y = Dense.of(2).name("d").apply(Dense.of(2).name("d").apply(x));
    assertThatThrownBy(() -> Model.of(x, y)).hasMessageContaining("\"d\" is used twice");
  }

  @Test
  void nestedModel_runsInsideTheOuterGraphAndFreezesAsAWhole() {
    Jeras.setRandomSeed(14);
    Sequential base = Sequential.named("base").add(Input.of(3)).add(Dense.of(4)
        .activation(RELU));
    FloatNdArray x = features(6, 3);
    FloatNdArray baseOut = base.predict(x);
    KerasTensor in = Input.of(3).tensor();
    KerasTensor out = Dense.of(2).activation(SOFTMAX).apply(base.apply(in));
    try (base; Functional model = Model.of(in, out)) {
      assertThat(model.weights().keySet()).containsExactly("base/dense/kernel",
          "base/dense/bias", "dense/kernel", "dense/bias");
      // The nested model starts from the base model's current weights.
      assertThat(model.weights().get("base/dense/kernel"))
          .isEqualTo(base.weights().get("dense/kernel"));
      model.setTrainable("base", false);
      model.compile(SGD.defaults().learningRate(0.5), Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
      FloatNdArray before = model.weights().get("dense/kernel");
      model.fit(x, signOf(x), Fit.epochs(2).batchSize(8).verbose(0));
      assertThat(model.weights().get("base/dense/kernel"))
          .isEqualTo(base.weights().get("dense/kernel"));
      assertThat(model.weights().get("dense/kernel")).isNotEqualTo(before);
      String summary = ModelSummary.of(model);
      assertThat(summary).contains("base (Sequential)").contains("Non-trainable params: 16");
      // Through the outer model, the base computes what it computes alone.
      try (Functional features = Model.of(in, base.apply(in))) {
        FloatNdArray through = features.predict(x);
        for (int i = 0; i < N; i++) {
          for (int j = 0; j < 4; j++) {
            assertThat(through.getFloat(i, j)).isCloseTo(baseOut.getFloat(i, j), within(1e-6f));
          }
        }
      }
    }
  }
}
