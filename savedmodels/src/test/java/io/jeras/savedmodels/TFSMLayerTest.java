package io.jeras.savedmodels;

import static io.jeras.activations.Activations.SOFTMAX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jeras.Jeras;
import io.jeras.data.Data;
import io.jeras.layers.core.Dense;
import io.jeras.models.Sequential;
import io.jeras.trainers.Fit;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

class TFSMLayerTest {
  static final Path FIXTURES = Fixtures.dir("tf2.18");

  @Test
  void aPythonSavedModelInsideAJerasModel_computesWhatKerasComputes() {
    TFSMLayer base = TFSMLayer.of(FIXTURES.resolve("cnn/features"));
    assertThat(base.inputShape().asArray()).containsExactly(28, 28, 1);
    try (Sequential model = Sequential.of(base)) {
      assertThat(model.outputShape().asArray()).containsExactly(-1, 800);
      assertThat(model.countParams()).isZero();
      FloatNdArray x = Fixtures.npy(FIXTURES.resolve("cnn.x0.npy"));
      SavedModelImportTest.assertClose(model.predict(x),
          Fixtures.npy(FIXTURES.resolve("cnn.features.npy")), 1e-5f);
    }
  }

  @Test
  void frozenBase_newHeadTrains_baseStaysPut() {
    Jeras.setRandomSeed(12);
    FloatNdArray x = Fixtures.npy(FIXTURES.resolve("cnn.x0.npy"));
    int[] y = new int[16];
    for (int i = 0; i < 16; i++) {
      y[i] = i % 3;
    }
    try (Sequential model = Sequential.of(TFSMLayer.of(FIXTURES.resolve("cnn/features")).name("base"),
        Dense.of(3).activation(SOFTMAX).name("head"))) {
      model.compile("adam", "sparse_categorical_crossentropy", "accuracy");
      List<FloatNdArray> before = model.getWeights();
      model.fit(x, Data.ints(y), Fit.epochs(3).batchSize(8).verbose(0));
      List<FloatNdArray> after = model.getWeights();
      assertThat(model.weights().keySet()).containsExactly("head/kernel", "head/bias");
      assertThat(Data.toFloatArray(after.get(0))).isNotEqualTo(Data.toFloatArray(before.get(0)));
      try (Sequential baseOnly = Sequential.of(TFSMLayer.of(FIXTURES.resolve("cnn/features")))) {
        SavedModelImportTest.assertClose(baseOnly.predict(x),
            Fixtures.npy(FIXTURES.resolve("cnn.features.npy")), 1e-5f);
      }
    }
  }

  @Test
  void cannotBeMadeTrainable_andUnknownEndpointsAreListed() {
    TFSMLayer base = TFSMLayer.of(FIXTURES.resolve("cnn/export"));
    assertThatThrownBy(() -> base.trainable(true))
        .hasMessageStartingWith("A TFSMLayer cannot be trained");
    assertThatThrownBy(() -> base.endpoint("features"))
        .hasMessageEndingWith("has no endpoint \"features\"; it has [serve, serving_default]");
  }
}
