package io.jeras.layers;

import static io.jeras.activations.Activations.RELU;
import static io.jeras.activations.Activations.SOFTMAX;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jeras.callbacks.History;
import io.jeras.data.Data;
import io.jeras.layers.activations.ELU;
import io.jeras.layers.activations.LeakyReLU;
import io.jeras.layers.activations.ReLU;
import io.jeras.layers.activations.Softmax;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.convolutional.DepthwiseConv2D;
import io.jeras.layers.convolutional.SeparableConv2D;
import io.jeras.layers.core.Activation;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Input;
import io.jeras.layers.merging.Add;
import io.jeras.layers.normalization.BatchNormalization;
import io.jeras.layers.pooling.GlobalAveragePooling2D;
import io.jeras.layers.reshaping.UpSampling2D;
import io.jeras.losses.Loss;
import io.jeras.models.Model;
import io.jeras.models.Sequential;
import io.jeras.optimizers.SGD;
import io.jeras.trainers.Fit;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Jeras layers against outputs Keras 3 computed ({@code keras-references.json}, made by
 * {@code savedmodels/python/make_layer_references.py} with the weights stored beside them), to
 * 1e-5.
 */
class KerasReferenceTest {
  private static final double TOLERANCE = 1e-5;
  private static JsonNode cases;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = KerasReferenceTest.class.getResourceAsStream("keras-references.json")) {
      cases = new ObjectMapper().readTree(in).get("cases");
    }
  }

  private static Layer<?> layerFor(String name) {
    return switch (name) {
      case "batch_norm" -> BatchNormalization.of();
      case "batch_norm_momentum_epsilon" -> BatchNormalization.of().momentum(0.9).epsilon(0.01);
      case "batch_norm_small_epsilon" -> BatchNormalization.of().epsilon(1e-6);
      case "batch_norm_no_center_scale" -> BatchNormalization.of().center(false).scale(false);
      case "batch_norm_dense" -> BatchNormalization.of();
      case "batch_norm_axis_1" -> BatchNormalization.of().axis(1);
      case "separable_conv" -> SeparableConv2D.of(4, 3).strides(2).padding("same")
          .depthMultiplier(2).activation(RELU);
      case "separable_conv_dilated" -> SeparableConv2D.of(5, 3).dilationRate(2);
      case "depthwise_conv" -> DepthwiseConv2D.of(3).padding("same").depthMultiplier(2);
      case "depthwise_conv_strided" -> DepthwiseConv2D.of(2, 3).strides(2).useBias(false);
      case "upsampling_bilinear" -> UpSampling2D.of(2, 3).interpolation("bilinear");
      case "upsampling_nearest" -> UpSampling2D.of(3, 2);
      case "relu6" -> ReLU.of().maxValue(6);
      case "relu_threshold" -> ReLU.of().maxValue(4).negativeSlope(0.1).threshold(0.5);
      case "relu_negative_slope" -> ReLU.of().negativeSlope(0.2);
      case "leaky_relu" -> LeakyReLU.of();
      case "elu_alpha" -> ELU.of(0.5);
      case "softmax_axis_1" -> Softmax.of(1);
      default -> throw new IllegalArgumentException(name);
    };
  }

  static FloatNdArray array(JsonNode node) {
    long[] shape = new long[node.get("shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = node.get("shape").get(i).asLong();
    }
    JsonNode values = node.get("values");
    float[] v = new float[values.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) values.get(i).asDouble();
    }
    return Data.floats(v, shape);
  }

  static void assertClose(FloatNdArray actual, JsonNode expected, String what) {
    FloatNdArray want = array(expected);
    assertThat(actual.shape()).as(what).isEqualTo(want.shape());
    float[] a = Data.toFloatArray(actual);
    float[] e = Data.toFloatArray(want);
    for (int i = 0; i < a.length; i++) {
      assertThat((double) a[i]).as("%s[%s]", what, i)
          .isCloseTo(e[i], org.assertj.core.api.Assertions.within(TOLERANCE * Math.max(1,
              Math.abs(e[i]))));
    }
  }

  /** Keras' weights in Keras' order; the Jeras weight names must end like Keras' names. */
  private static void setWeightsInOrder(Model model, JsonNode weights) {
    List<String> names = new ArrayList<>(model.weights().keySet());
    List<FloatNdArray> values = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = weights.fields();
    for (int i = 0; fields.hasNext(); i++) {
      Map.Entry<String, JsonNode> entry = fields.next();
      String kerasWeight = entry.getKey().substring(entry.getKey().indexOf('/') + 1);
      assertThat(names.get(i)).endsWith("/" + kerasWeight);
      values.add(array(entry.getValue()));
    }
    assertThat(values).hasSameSizeAs(names);
    model.setWeights(values);
  }

  private static void assertWeights(Model model, JsonNode expected, String what) {
    List<FloatNdArray> actual = new ArrayList<>(model.weights().values());
    Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
    for (int i = 0; fields.hasNext(); i++) {
      Map.Entry<String, JsonNode> entry = fields.next();
      assertClose(actual.get(i), entry.getValue(), what + " " + entry.getKey());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"batch_norm", "batch_norm_momentum_epsilon", "batch_norm_small_epsilon",
      "batch_norm_no_center_scale", "batch_norm_dense", "batch_norm_axis_1", "separable_conv",
      "separable_conv_dilated", "depthwise_conv", "depthwise_conv_strided", "upsampling_bilinear",
      "upsampling_nearest", "relu6", "relu_threshold", "relu_negative_slope", "leaky_relu",
      "elu_alpha", "softmax_axis_1"})
  void layerMatchesKeras(String name) {
    JsonNode c = cases.get(name);
    FloatNdArray x = array(c.get("input"));
    long[] sample = java.util.Arrays.copyOfRange(x.shape().asArray(), 1,
        x.shape().numDimensions());
    try (Sequential model = Sequential.of(Input.of(sample), layerFor(name))) {
      setWeightsInOrder(model, c.get("weights"));
      assertClose(model.call(x, false), c.get("inference"), name + " inference");
      if (c.has("training")) {
        assertClose(model.call(x, true), c.get("training"), name + " training");
        // One step with learning rate 0: only the layer's own updates (moving statistics) run.
        model.compile(SGD.defaults().learningRate(0), Loss.MEAN_SQUARED_ERROR);
        FloatNdArray zeros = Data.floats(new float[(int) x.shape().size()], x.shape().asArray());
        model.fit(x, zeros, Fit.epochs(1).batchSize((int) x.shape().get(0)).shuffle(false)
            .verbose(0));
        assertWeights(model, c.get("weights_after_training_call"), name);
      }
    }
  }

  private static Model residualBlock() {
    KerasTensor image = Input.of(8, 8, 3).name("image").tensor();
    KerasTensor x = Conv2D.of(8, 3).strides(2).padding("same").useBias(false).name("conv_a")
        .apply(image);
    x = BatchNormalization.of().name("bn_a").apply(x);
    x = Activation.of(RELU).name("relu_a").apply(x);
    x = Conv2D.of(8, 3).padding("same").useBias(false).name("conv_b").apply(x);
    x = BatchNormalization.of().name("bn_b").apply(x);
    KerasTensor shortcut = Conv2D.of(8, 1).strides(2).useBias(false).name("projection")
        .apply(image);
    shortcut = BatchNormalization.of().name("bn_projection").apply(shortcut);
    x = Add.of().name("add").apply(x, shortcut);
    x = Activation.of(RELU).name("relu_out").apply(x);
    x = GlobalAveragePooling2D.of().name("pool").apply(x);
    return Model.of("residual", List.of(image),
        List.of(Dense.of(3).activation(SOFTMAX).name("classes").apply(x)));
  }

  @Test
  void residualBlock_forwardInBothModesAndOneSgdStepMatchKeras() {
    JsonNode c = cases.get("residual_block");
    FloatNdArray x = array(c.get("input"));
    try (Model model = residualBlock()) {
      // Keras lists weights by layer in graph order, as Jeras does; names must agree exactly.
      assertThat(model.weights().keySet()).containsExactlyElementsOf(
          () -> c.get("weights").fieldNames());
      setWeightsInOrder(model, c.get("weights"));
      assertClose(model.call(x, false), c.get("inference"), "inference");
      assertClose(model.call(x, true), c.get("training"), "training");
      model.compile(SGD.defaults().learningRate(0.1), Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
      History history = model.fit(x, array(c.get("labels")), Fit.epochs(1).batchSize(4)
          .shuffle(false).verbose(0));
      assertThat(history.get("loss").get(0)).isCloseTo(c.get("loss").asDouble(),
          org.assertj.core.api.Assertions.within(TOLERANCE));
      assertWeights(model, c.get("weights_after_step"), "after one step");
    }
  }
}
