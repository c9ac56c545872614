package io.jeras.models;

import static io.jeras.activations.Activations.RELU;
import static io.jeras.activations.Activations.SOFTMAX;
import static io.jeras.activations.Activations.TANH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jeras.layers.Layer;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Input;
import io.jeras.layers.pooling.AveragePooling2D;
import io.jeras.layers.pooling.MaxPooling2D;
import io.jeras.layers.regularization.Dropout;
import io.jeras.layers.reshaping.Flatten;
import io.jeras.losses.Loss;
import io.jeras.optimizers.Adam;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequentialTest {

  /** LeNet-5 as it is usually written in Keras (tanh, average pooling). */
  static Sequential leNet5() {
    return Sequential.of(
        Conv2D.of(6, 5, 5).activation(TANH).inputShape(32, 32, 1).padding("valid"),
        AveragePooling2D.of(2, 2),
        Conv2D.of(16, 5, 5).activation(TANH).padding("valid"),
        AveragePooling2D.of(2, 2),
        Flatten.of(),
        Dense.of(120).activation(RELU),
        Dense.of(84).activation(RELU),
        Dense.of(10).activation(SOFTMAX));
  }

  @Test
  void leNet5_has61706Parameters() {
    try (Sequential model = leNet5()) {
      assertThat(model.countParams()).isEqualTo(61_706);
      assertThat(model.nodes().stream().map(n -> n.layer().countParams(n.inputShape())))
          .containsExactly(156L, 0L, 2416L, 0L, 0L, 48120L, 10164L, 850L);
    }
  }

  @Test
  void smallMnistCnn_has433290Parameters() {
    try (Sequential model = Sequential.of(
        Conv2D.of(64, 3).activation(RELU).inputShape(28, 28, 1),
        Flatten.of(),
        Dense.of(10).activation(SOFTMAX))) {
      assertThat(model.countParams()).isEqualTo(433_290);
      assertThat(model.outputShape().asArray()).containsExactly(-1, 10);
      assertThat(model.nodes().get(1).outputShape().asArray()).containsExactly(-1, 43264);
    }
  }

  @Test
  void layersAreNamedLikeKeras() {
    try (Sequential model = Sequential.of(Input.of(28, 28, 1), Conv2D.of(4, 3), MaxPooling2D.of(),
        Conv2D.of(4, 3), MaxPooling2D.of(), Flatten.of(), Dense.of(8), Dropout.of(0.5),
        Dense.of(2))) {
      assertThat(model.layers().stream().map(Layer::name)).containsExactly("conv2d",
          "max_pooling2d", "conv2d_1", "max_pooling2d_1", "flatten", "dense", "dropout",
          "dense_1");
      assertThat(model.name()).isEqualTo("sequential");
      assertThat(model.inputName()).isEqualTo("input_layer");
    }
  }

  @Test
  void userNames_areHonouredAndAutoNamesAvoidThem() {
    try (Sequential model = Sequential.of(Dense.of(4).name("dense").inputShape(3),
        Dense.of(4).name("head"), Dense.of(2))) {
      assertThat(model.layers().stream().map(Layer::name))
          .containsExactly("dense", "head", "dense_1");
    }
  }

  @Test
  void duplicateName_isRejected() {
    Sequential model = Sequential.of(Dense.of(4).name("fc").inputShape(3));
    assertThatThrownBy(() -> model.add(Dense.of(2).name("fc")))
        .hasMessage("All layers added to a Sequential model should have unique names. Name"
            + " \"fc\" is already the name of a layer in this model.");
    model.close();
  }

  @Test
  void inputShapeOnALaterLayer_isRejected() {
    Sequential model = Sequential.of(Dense.of(4).inputShape(3));
    assertThatThrownBy(() -> model.add(Dense.of(2).inputShape(4)))
        .hasMessageStartingWith("Only the first layer of a Sequential model can set inputShape");
    model.close();
  }

  @Test
  void noInputShape_failsAtCompileWithAHint() {
    Sequential model = Sequential.of(Dense.of(4));
    assertThatThrownBy(() -> model.compile(Adam.defaults(), Loss.MEAN_SQUARED_ERROR))
        .hasMessage("The model sequential has no input shape yet: give the first layer"
            + " inputShape(...) or start with Input.of(...)");
    model.close();
  }

  @Test
  void fitBeforeCompile_asksForCompile() {
    try (Sequential model = Sequential.of(Dense.of(1).inputShape(1))) {
      assertThatThrownBy(() -> model.fit(io.jeras.data.Data.floats(new float[] {1}, 1, 1),
          io.jeras.data.Data.floats(new float[] {1}, 1, 1)))
          .hasMessage("You must call compile() before using the model: fit needs a loss and an"
              + " optimizer");
    }
  }

  @Test
  void recompile_keepsTheWeights() {
    try (Sequential model = Sequential.of(Dense.of(3).inputShape(2))) {
      List<float[]> before = model.getWeights().stream()
          .map(io.jeras.data.Data::toFloatArray).toList();
      model.compile(Adam.defaults(), Loss.MEAN_SQUARED_ERROR);
      model.compile("sgd", "mae");
      List<float[]> after = model.getWeights().stream()
          .map(io.jeras.data.Data::toFloatArray).toList();
      assertThat(after.get(0)).containsExactly(before.get(0));
      assertThat(after.get(1)).containsExactly(before.get(1));
    }
  }

  @Test
  void closedModel_refusesToRun() {
    Sequential model = Sequential.of(Dense.of(1).inputShape(1));
    model.compile("sgd", "mse");
    model.close();
    assertThatThrownBy(() -> model.predict(io.jeras.data.Data.floats(new float[] {1}, 1, 1)))
        .hasMessage("model sequential has been closed");
  }
}
