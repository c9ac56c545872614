package io.jeras.layers;

import static io.jeras.KerasReferences.array;
import static io.jeras.activations.Activations.RELU;
import static io.jeras.activations.Activations.SOFTMAX;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jeras.activations.Activations;
import io.jeras.applications.convnext.LayerScale;
import io.jeras.applications.convnext.StochasticDepth;
import io.jeras.applications.inceptionresnetv2.CustomScaleLayer;
import io.jeras.callbacks.History;
import io.jeras.data.Data;
import io.jeras.data.Datasets;
import io.jeras.layers.activations.ELU;
import io.jeras.layers.activations.LeakyReLU;
import io.jeras.layers.activations.ReLU;
import io.jeras.layers.activations.Softmax;
import io.jeras.layers.attention.MultiHeadAttention;
import io.jeras.layers.convolutional.Conv1D;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.convolutional.Conv2DTranspose;
import io.jeras.layers.convolutional.DepthwiseConv2D;
import io.jeras.layers.convolutional.SeparableConv2D;
import io.jeras.layers.core.Activation;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Embedding;
import io.jeras.layers.core.Identity;
import io.jeras.layers.core.Input;
import io.jeras.layers.core.Masking;
import io.jeras.layers.merging.Add;
import io.jeras.layers.normalization.BatchNormalization;
import io.jeras.layers.normalization.GroupNormalization;
import io.jeras.layers.normalization.LayerNormalization;
import io.jeras.layers.pooling.AveragePooling1D;
import io.jeras.layers.pooling.GlobalAveragePooling1D;
import io.jeras.layers.pooling.GlobalAveragePooling2D;
import io.jeras.layers.pooling.GlobalMaxPooling1D;
import io.jeras.layers.pooling.MaxPooling1D;
import io.jeras.layers.preprocessing.Normalization;
import io.jeras.layers.preprocessing.Rescaling;
import io.jeras.layers.regularization.Dropout;
import io.jeras.layers.regularization.GaussianDropout;
import io.jeras.layers.regularization.GaussianNoise;
import io.jeras.layers.regularization.SpatialDropout1D;
import io.jeras.layers.regularization.SpatialDropout2D;
import io.jeras.layers.reshaping.Cropping1D;
import io.jeras.layers.reshaping.Permute;
import io.jeras.layers.rnn.Bidirectional;
import io.jeras.layers.rnn.GRU;
import io.jeras.layers.rnn.LSTM;
import io.jeras.layers.rnn.SimpleRNN;
import io.jeras.layers.reshaping.RepeatVector;
import io.jeras.layers.reshaping.UpSampling1D;
import io.jeras.layers.reshaping.UpSampling2D;
import io.jeras.layers.reshaping.ZeroPadding1D;
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
import org.junit.jupiter.params.provider.EnumSource;
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
      case "layer_norm" -> LayerNormalization.of();
      case "layer_norm_axes" -> LayerNormalization.of().axis(List.of(1, 2));
      case "layer_norm_axes_unsorted" -> LayerNormalization.of().axis(List.of(2, 1));
      case "layer_norm_axis_1" -> LayerNormalization.of().axis(1).epsilon(0.01);
      case "layer_norm_rms_scaling" -> LayerNormalization.of().rmsScaling(true);
      case "layer_norm_no_center" -> LayerNormalization.of().center(false);
      case "layer_norm_no_scale" -> LayerNormalization.of().scale(false);
      case "layer_norm_image" -> LayerNormalization.of().epsilon(1e-6);
      case "layer_norm_no_center_scale" -> LayerNormalization.of().center(false).scale(false);
      case "group_norm" -> GroupNormalization.of().groups(2);
      case "group_norm_instance" -> GroupNormalization.of().groups(-1).epsilon(1e-5);
      case "group_norm_one_group" -> GroupNormalization.of().groups(1);
      case "group_norm_no_center_scale" -> GroupNormalization.of().groups(4).center(false)
          .scale(false);
      case "group_norm_axis_1" -> GroupNormalization.of().groups(2).axis(1);
      case "group_norm_dense" -> GroupNormalization.of().groups(3);
      case "normalization_given" -> Normalization.of(new double[] {0.485 * 255, 0.456 * 255,
          0.406 * 255}, new double[] {Math.pow(0.229 * 255, 2), Math.pow(0.224 * 255, 2),
          Math.pow(0.225 * 255, 2)});
      case "normalization_given_scalar" -> Normalization.of(100, 900);
      case "normalization_given_invert" -> Normalization.of(new double[] {1, 2, 3},
          new double[] {4, 0, 0.25}).invert(true);
      case "identity" -> Identity.of();
      case "permute" -> Permute.of(3, 1, 2);
      case "permute_swap" -> Permute.of(1, 3, 2);
      case "rescaling_per_channel" -> Rescaling.of(new double[] {0.5, 2, -1, 0.25, 3});
      case "rescaling_per_channel_offset" -> Rescaling.of(new double[] {0.5, 2, -1, 0.25, 3},
          new double[] {1, 0, -2, 0.5, 0.1});
      case "rescaling_offset_list" -> Rescaling.of(new double[] {0.5},
          new double[] {1, 0, -2, 0.5, 0.1});
      case "dropout_noise_shape" -> Dropout.of(0.5).noiseShape(null, 1, 1, 5);
      case "stochastic_depth" -> StochasticDepth.of(0.3);
      case "layer_scale" -> LayerScale.of(1e-6, 5);
      case "layer_scale_initial" -> LayerScale.of(0.5, 5);
      case "conv_groups" -> Conv2D.of(6, 3).groups(2);
      case "conv_groups_depthwise" -> Conv2D.of(8, 3).padding("same").groups(4);
      case "conv_groups_channels" -> Conv2D.of(4, 3).strides(2).groups(4).activation("gelu");
      case "conv_groups_dilated" -> Conv2D.of(4, 2).dilationRate(2).groups(2).useBias(false);
      case "conv_groups_strided" -> Conv2D.of(2, 3, 2).strides(2).padding("same").groups(2);
      case "conv_dilated" -> Conv2D.of(3, 3).dilationRate(2).padding("same");
      case "conv_dilated_valid" -> Conv2D.of(3, 2, 3).dilationRate(2, 3);
      case "depthwise_conv_dilated" -> DepthwiseConv2D.of(3).dilationRate(2).padding("same")
          .depthMultiplier(2);
      case "separable_conv_dilated_step" -> SeparableConv2D.of(5, 2).dilationRate(3);
      case "dense_3d" -> Dense.of(3).activation(RELU);
      case "dense_4d" -> Dense.of(2);
      case "conv1d" -> Conv1D.of(4, 3);
      case "conv1d_same_strided" -> Conv1D.of(3, 3).strides(2).padding("same")
          .activation(RELU);
      case "conv1d_causal_dilated" -> Conv1D.of(2, 2).padding("causal").dilationRate(2);
      case "conv1d_same_dilated" -> Conv1D.of(3, 3).padding("same").dilationRate(2)
          .useBias(false);
      case "conv1d_causal" -> Conv1D.of(2, 3).padding("causal").activation("tanh");
      case "conv2d_transpose" -> Conv2DTranspose.of(4, 3);
      case "conv2d_transpose_same_strided" -> Conv2DTranspose.of(3, 3).strides(2)
          .padding("same").activation(RELU);
      case "conv2d_transpose_valid_strided" -> Conv2DTranspose.of(2, 2, 3).strides(2, 1);
      case "conv2d_transpose_stride_over_kernel" -> Conv2DTranspose.of(2, 2).strides(3);
      case "conv2d_transpose_output_padding" -> Conv2DTranspose.of(2, 3).strides(2)
          .padding("same").outputPadding(1, 1);
      case "conv2d_transpose_valid_output_padding" -> Conv2DTranspose.of(2, 3).strides(2)
          .outputPadding(1, 1).useBias(false);
      case "max_pooling1d" -> MaxPooling1D.of();
      case "max_pooling1d_same_strided" -> MaxPooling1D.of(3).strides(2).padding("same");
      case "average_pooling1d" -> AveragePooling1D.of(2);
      case "average_pooling1d_same" -> AveragePooling1D.of(3).strides(1).padding("same");
      case "global_max_pooling1d" -> GlobalMaxPooling1D.of();
      case "global_average_pooling1d_keepdims" -> GlobalAveragePooling1D.of().keepdims(true);
      case "upsampling1d" -> UpSampling1D.of(3);
      case "zero_padding1d" -> ZeroPadding1D.of(2, 1);
      case "cropping1d" -> Cropping1D.of(1, 2);
      case "spatial_dropout1d" -> SpatialDropout1D.of(0.5);
      case "spatial_dropout2d" -> SpatialDropout2D.of(0.5);
      case "gaussian_noise" -> GaussianNoise.of(0.3);
      case "gaussian_dropout" -> GaussianDropout.of(0.3);
      case "repeat_vector" -> RepeatVector.of(3);
      case "simple_rnn" -> SimpleRNN.of(3);
      case "simple_rnn_sequences_backwards" -> SimpleRNN.of(2).activation(RELU)
          .returnSequences(true).goBackwards(true);
      case "lstm" -> LSTM.of(4);
      case "lstm_sequences" -> LSTM.of(3).returnSequences(true);
      case "lstm_backwards_hard_sigmoid" -> LSTM.of(2).goBackwards(true)
          .recurrentActivation("hard_sigmoid");
      case "gru" -> GRU.of(4);
      case "gru_sequences_reset_before" -> GRU.of(3).returnSequences(true).resetAfter(false);
      case "gru_no_bias" -> GRU.of(2).useBias(false);
      case "bidirectional_lstm" -> Bidirectional.of(LSTM.of(3).returnSequences(true));
      case "bidirectional_gru_sum" -> Bidirectional.of(GRU.of(2)).mergeMode("sum");
      case "embedding" -> Embedding.of(10, 3);
      default -> throw new IllegalArgumentException(name);
    };
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

  @ParameterizedTest(name = "{0}")
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

  @ParameterizedTest
  @ValueSource(strings = {"layer_norm_no_center_scale", "group_norm_no_center_scale",
      "normalization_given", "normalization_given_scalar", "normalization_given_invert",
      "identity", "permute", "permute_swap", "rescaling_per_channel",
      "rescaling_per_channel_offset", "rescaling_offset_list", "dropout_noise_shape",
      "stochastic_depth", "max_pooling1d", "max_pooling1d_same_strided", "average_pooling1d",
      "average_pooling1d_same", "global_max_pooling1d", "global_average_pooling1d_keepdims",
      "upsampling1d", "zero_padding1d", "cropping1d", "spatial_dropout1d", "spatial_dropout2d",
      "gaussian_noise", "gaussian_dropout", "repeat_vector"})
  void weightlessApplicationLayerMatchesKeras(String name) {
    layerMatchesKeras(name);
  }

  /** Forward pass, then one SGD step (learning rate 0.1, MSE): gradients checked too. */
  @ParameterizedTest
  @ValueSource(strings = {"layer_norm", "layer_norm_axes", "layer_norm_axes_unsorted",
      "layer_norm_axis_1", "layer_norm_rms_scaling", "layer_norm_no_center",
      "layer_norm_no_scale", "layer_norm_image", "group_norm", "group_norm_instance",
      "group_norm_one_group", "group_norm_axis_1", "group_norm_dense", "layer_scale",
      "layer_scale_initial", "conv_groups", "conv_groups_depthwise", "conv_groups_channels",
      "conv_groups_dilated", "conv_groups_strided", "conv_dilated", "conv_dilated_valid",
      "depthwise_conv_dilated", "separable_conv_dilated_step", "dense_3d", "dense_4d",
      "conv1d", "conv1d_same_strided", "conv1d_causal_dilated", "conv1d_same_dilated",
      "conv1d_causal", "conv2d_transpose", "conv2d_transpose_same_strided",
      "conv2d_transpose_valid_strided", "conv2d_transpose_stride_over_kernel",
      "conv2d_transpose_output_padding", "conv2d_transpose_valid_output_padding",
      "simple_rnn", "simple_rnn_sequences_backwards", "lstm", "lstm_sequences",
      "lstm_backwards_hard_sigmoid", "gru", "gru_sequences_reset_before", "gru_no_bias",
      "bidirectional_lstm", "bidirectional_gru_sum", "embedding"})
  void layerAndOneSgdStepMatchKeras(String name) {
    oneSgdStepMatchesKeras(name, layerFor(name));
  }

  /** The models of the masked cases, as the reference script builds them. */
  private static Sequential maskedModel(String name) {
    return switch (name) {
      case "masking_lstm" -> Sequential.of(Input.of(5, 3), Masking.of(), LSTM.of(2),
          Dense.of(1));
      default -> {
        List<Layer<?>> layers = new ArrayList<>();
        layers.add(Input.of(6));
        layers.add(Embedding.of(10, 3).maskZero(true));
        switch (name) {
          case "masked_lstm" -> layers.add(LSTM.of(3));
          case "masked_gru_sequences" -> {
            layers.add(GRU.of(3).returnSequences(true));
            layers.add(GlobalAveragePooling1D.of());
          }
          case "masked_bidirectional_lstm" -> {
            layers.add(Bidirectional.of(LSTM.of(2).returnSequences(true)));
            layers.add(LSTM.of(2));
          }
          case "masked_simple_rnn_backwards" -> layers.add(SimpleRNN.of(3).goBackwards(true));
          case "masked_dense_average" -> {
            layers.add(Dense.of(4).activation(RELU));
            layers.add(Activation.of("tanh"));
            layers.add(GlobalAveragePooling1D.of());
          }
          default -> throw new IllegalArgumentException(name);
        }
        layers.add(Dense.of(2));
        yield Sequential.of(layers.toArray(Layer<?>[]::new));
      }
    };
  }

  /**
   * Padded batches through masks (Embedding's mask_zero, Masking) into recurrent layers and
   * the mean over the real steps: forward and one SGD step as Keras; and each padded sequence
   * gives what it gives alone, unpadded (the reason masks exist).
   */
  @ParameterizedTest
  @ValueSource(strings = {"masked_lstm", "masked_gru_sequences", "masked_bidirectional_lstm",
      "masked_simple_rnn_backwards", "masked_dense_average", "masking_lstm"})
  void maskedModel_forwardAndOneSgdStepMatchKeras(String name) {
    JsonNode c = cases.get(name);
    FloatNdArray x = array(c.get("input"));
    try (Sequential model = maskedModel(name)) {
      setWeightsInOrder(model, c.get("weights"));
      assertClose(model.call(x, false), c.get("inference"), name + " inference");
      model.compile(SGD.defaults().learningRate(0.1), Loss.MEAN_SQUARED_ERROR);
      History history = model.fit(x, array(c.get("targets")), Fit.epochs(1)
          .batchSize((int) x.shape().get(0)).shuffle(false).verbose(0));
      assertThat(history.get("loss").get(0)).as(name + " loss").isCloseTo(
          c.get("loss").asDouble(), org.assertj.core.api.Assertions.within(TOLERANCE));
      assertWeights(model, c.get("weights_after_step"), name + " after one step");
    }
  }

  /** The attention models of the reference script, built the same way in Java. */
  private static Model attentionModel(String name) {
    if (name.equals("transformer_encoder_masked")) {
      KerasTensor tokens = Input.of(6).tensor();
      KerasTensor h = Embedding.of(12, 8).maskZero(true).apply(tokens);
      KerasTensor attended = MultiHeadAttention.of(2, 4).apply(h, h);
      h = LayerNormalization.of().apply(Add.of().apply(h, attended));
      KerasTensor ffn = Dense.of(8).apply(Dense.of(16).activation(RELU).apply(h));
      h = LayerNormalization.of().apply(Add.of().apply(h, ffn));
      return Model.of(tokens, Dense.of(2).apply(GlobalAveragePooling1D.of().apply(h)));
    }
    MultiHeadAttention mha = switch (name) {
      case "mha_self" -> MultiHeadAttention.of(2, 3);
      case "mha_causal_value_dim" -> MultiHeadAttention.of(2, 3).valueDim(2)
          .useCausalMask(true);
      case "mha_no_bias" -> MultiHeadAttention.of(3, 2).useBias(false);
      default -> throw new IllegalArgumentException(name);
    };
    KerasTensor x = Input.of(5, 4).tensor();
    return Model.of(x, mha.apply(x, x));
  }

  /**
   * MultiHeadAttention (self-attention, causal with its own value size, without biases) and a
   * masked Transformer encoder block (Embedding mask_zero, attention, Add, LayerNormalization,
   * a feed-forward block, the mean over the real steps): forward and one SGD step as Keras.
   */
  @ParameterizedTest
  @ValueSource(strings = {"mha_self", "mha_causal_value_dim", "mha_no_bias",
      "transformer_encoder_masked"})
  void attention_forwardAndOneSgdStepMatchKeras(String name) {
    JsonNode c = cases.get(name);
    FloatNdArray x = array(c.get("input"));
    try (Model model = attentionModel(name)) {
      setWeightsInOrder(model, c.get("weights"));
      assertClose(model.call(x, false), c.get("inference"), name + " inference");
      model.compile(SGD.defaults().learningRate(0.1), Loss.MEAN_SQUARED_ERROR);
      History history = model.fit(x, array(c.get("targets")), Fit.epochs(1)
          .batchSize((int) x.shape().get(0)).shuffle(false).verbose(0));
      assertThat(history.get("loss").get(0)).as(name + " loss").isCloseTo(
          c.get("loss").asDouble(), org.assertj.core.api.Assertions.within(TOLERANCE));
      assertWeights(model, c.get("weights_after_step"), name + " after one step");
    }
  }

  /** Cross-attention: queries of one sequence attending to another of other features. */
  @Test
  void crossAttention_matchesKeras() {
    JsonNode c = cases.get("mha_cross");
    KerasTensor query = Input.of(5, 4).name("query").tensor();
    KerasTensor value = Input.of(3, 6).name("value").tensor();
    try (Model model = Model.of(List.of(query, value),
        List.of(MultiHeadAttention.of(2, 3).name("attention").apply(query, value)))) {
      setWeightsInOrder(model, c.get("weights"));
      Map<String, FloatNdArray> out = model.predict(Map.of("query", array(c.get("input")),
          "value", array(c.get("input_2"))), 2, 0);
      assertClose(out.get("attention"), c.get("inference"), "mha_cross");
    }
  }

  /** Every activation through a Dense layer: forward and one SGD step, as Keras computes. */
  @ParameterizedTest
  @EnumSource(Activations.class)
  void oneTrainingStepThroughEachActivationMatchesKeras(Activations activation) {
    oneSgdStepMatchesKeras("dense_step_" + activation.kerasName(),
        Dense.of(3).activation(activation));
  }

  /** Every activation alone on values around its kinks, as an Activation layer. */
  @ParameterizedTest
  @EnumSource(Activations.class)
  void eachActivationMatchesKeras(Activations activation) {
    JsonNode c = cases.get("activation_" + activation.kerasName());
    FloatNdArray x = array(c.get("input"));
    try (Sequential model = Sequential.of(Input.of(3, 4), Activation.of(activation))) {
      assertClose(model.call(x, false), c.get("inference"), activation.kerasName());
    }
  }

  private static void oneSgdStepMatchesKeras(String name, Layer<?> layer) {
    JsonNode c = cases.get(name);
    FloatNdArray x = array(c.get("input"));
    long[] sample = java.util.Arrays.copyOfRange(x.shape().asArray(), 1,
        x.shape().numDimensions());
    try (Sequential model = Sequential.of(Input.of(sample), layer)) {
      setWeightsInOrder(model, c.get("weights"));
      assertClose(model.call(x, false), c.get("inference"), name + " inference");
      model.compile(SGD.defaults().learningRate(0.1), Loss.MEAN_SQUARED_ERROR);
      History history = model.fit(x, array(c.get("targets")), Fit.epochs(1)
          .batchSize((int) x.shape().get(0)).shuffle(false).verbose(0));
      assertThat(history.get("loss").get(0)).as(name + " loss").isCloseTo(
          c.get("loss").asDouble(), org.assertj.core.api.Assertions.within(TOLERANCE
              * Math.max(1, Math.abs(c.get("loss").asDouble()))));
      assertWeights(model, c.get("weights_after_step"), name + " after one step");
    }
  }

  /** Normalization adapted in Java to the data Keras adapted to, then applied to a probe. */
  @ParameterizedTest
  @ValueSource(strings = {"normalization_adapt", "normalization_adapt_axis_none",
      "normalization_adapt_axes", "normalization_adapt_invert", "normalization_adapt_dataset",
      "normalization_adapt_dataset_axis_1"})
  void normalizationAdaptMatchesKeras(String name) {
    JsonNode c = cases.get(name);
    FloatNdArray data = array(c.get("data"));
    Normalization layer = switch (name) {
      case "normalization_adapt_axis_none" -> Normalization.of().axisNone();
      case "normalization_adapt_axes" -> Normalization.of().axis(1, 2);
      case "normalization_adapt_invert" -> Normalization.of().invert(true);
      case "normalization_adapt_dataset_axis_1" -> Normalization.of().axis(1);
      default -> Normalization.of();
    };
    layer = c.get("batch_size").isNull() ? layer.adapt(data)
        : layer.adapt(Datasets.fromArrays(data, null, c.get("batch_size").asInt()));
    FloatNdArray probe = array(c.get("input"));
    try (Sequential model = Sequential.of(Input.of(4, 3), layer)) {
      assertThat(model.weights().keySet()).containsExactly("normalization/mean",
          "normalization/variance", "normalization/count");
      assertWeights(model, c.get("weights"), name);
      assertClose(model.call(probe, false), c.get("inference"), name + " inference");
    }
  }

  @Test
  void customScaleLayer_addsTheScaledResidual() {
    JsonNode c = cases.get("custom_scale_layer");
    KerasTensor shortcut = Input.of(3, 4, 5).name("shortcut").tensor();
    KerasTensor residual = Input.of(3, 4, 5).name("residual").tensor();
    try (Model model = Model.of(List.of(shortcut, residual),
        List.of(CustomScaleLayer.of(0.17).name("scaled").apply(shortcut, residual)))) {
      Map<String, FloatNdArray> out = model.predict(Map.of("shortcut", array(c.get("input")),
          "residual", array(c.get("input_2"))), 2, 0);
      assertClose(out.get("scaled"), c.get("inference"), "custom_scale_layer");
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
