"""Computes reference outputs with Keras 3 for the Jeras layers whose arithmetic is not obvious
by hand: BatchNormalization in training and inference mode (fused and unfused paths in Jeras),
depthwise and separable convolutions, a residual block (forward in both modes and one SGD
step), bilinear up-sampling and the configurable activation layers; then the activations and
layers keras.applications models use: every keras.activations function (alone, and through a
Dense layer trained one SGD step), LayerNormalization, GroupNormalization, Normalization (given
statistics, adapted to an array and to a batched tf.data.Dataset), Identity, Permute, grouped
Conv2D, Dense on N-D input, per-channel Rescaling, ConvNeXt's LayerScale and StochasticDepth and
InceptionResNetV2's CustomScaleLayer, and dilated convolutions trained. Layers with trainable
weights also get one SGD step (learning rate 0.1, mean squared error to random targets), so
gradients are checked too.

Usage: make_layer_references.py OUT_JSON

Every case holds its inputs, the layer weights keyed "layer/weight" (Keras' values after its
own seeded initialization, or set here), and the outputs Keras computed. Jeras' KerasReferenceTest
reads the committed file; RegeneratedFixturesTest reruns this script and compares.
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import layers  # noqa: E402
from keras.src.applications.convnext import LayerScale, StochasticDepth  # noqa: E402
from keras.src.applications.inception_resnet_v2 import CustomScaleLayer  # noqa: E402


def arr(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "values": [float(v) for v in a.reshape(-1)]}


def weights_of(model):
    out = {}
    for layer in model.layers:
        for w in layer.weights:
            if isinstance(layer, (layers.Bidirectional, layers.MultiHeadAttention)):
                # forward_lstm/kernel, query/kernel: the sublayer from the path
                parts = w.path.split("/")
                key = f"{layer.name}/{parts[parts.index(layer.name) + 1]}/{w.name}"
            else:
                key = f"{layer.name}/{w.name}"
            out[key] = arr(w.numpy())
    return out


def randomize(model, rng):
    """Sets every weight to random values (moving variances positive)."""
    for layer in model.layers:
        values = []
        for w in layer.weights:
            v = rng.normal(0, 0.5, w.shape).astype("float32")
            if "variance" in w.name:
                v = rng.uniform(0.5, 2.0, w.shape).astype("float32")
            values.append(v)
        if values:
            layer.set_weights(values)


def single_layer(name, layer, x, rng, train_too=False):
    """A model of one layer on input x: inference output, and training output + new weights."""
    inputs = keras.Input(x.shape[1:])
    model = keras.Model(inputs, layer(inputs))
    randomize(model, rng)
    case = {"input": arr(x), "weights": weights_of(model),
            "inference": arr(model(x, training=False))}
    if train_too:
        case["training"] = arr(model(x, training=True))
        case["weights_after_training_call"] = weights_of(model)
    return name, case


def residual_block():
    inputs = keras.Input((8, 8, 3), name="image")
    x = layers.Conv2D(8, 3, strides=2, padding="same", use_bias=False, name="conv_a")(inputs)
    x = layers.BatchNormalization(name="bn_a")(x)
    x = layers.Activation("relu", name="relu_a")(x)
    x = layers.Conv2D(8, 3, padding="same", use_bias=False, name="conv_b")(x)
    x = layers.BatchNormalization(name="bn_b")(x)
    shortcut = layers.Conv2D(8, 1, strides=2, use_bias=False, name="projection")(inputs)
    shortcut = layers.BatchNormalization(name="bn_projection")(shortcut)
    x = layers.Add(name="add")([x, shortcut])
    x = layers.Activation("relu", name="relu_out")(x)
    x = layers.GlobalAveragePooling2D(name="pool")(x)
    outputs = layers.Dense(3, activation="softmax", name="classes")(x)
    return keras.Model(inputs, outputs, name="residual")


ACTIVATIONS = [
    "linear", "relu", "sigmoid", "tanh", "softmax", "softplus", "elu", "selu", "leaky_relu",
    "silu", "gelu", "relu6", "hard_sigmoid", "hard_silu", "mish", "softsign", "exponential",
    "log_softmax", "celu", "hard_tanh", "log_sigmoid", "soft_shrink", "hard_shrink",
    "tanh_shrink", "sparse_plus", "squareplus",
]


def activation_function(name):
    """Keras' function for a Jeras activation name (gelu_approximate has no Keras name)."""
    if name == "gelu_approximate":
        return lambda x: keras.activations.gelu(x, approximate=True)
    return keras.activations.get(name)


def sgd_step(model, x, y, case):
    """One SGD step (learning rate 0.1, mean squared error) from the weights in case."""
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mean_squared_error")
    case["targets"] = arr(y)
    case["loss"] = float(model.train_on_batch(x, y))
    case["weights_after_step"] = weights_of(model)


def trained_layer(layer, x, rng, randomized=True):
    """A one-layer model on x: weights, inference output and one SGD step to random targets."""
    inputs = keras.Input(x.shape[1:])
    model = keras.Model(inputs, layer(inputs))
    if randomized:
        randomize(model, rng)
    case = {"input": arr(x), "weights": weights_of(model),
            "inference": arr(model(x, training=False))}
    if not model.trainable_weights:
        return case
    sgd_step(model, x, rng.normal(0, 1, model.output.shape[1:]).astype("float32")[None]
             .repeat(x.shape[0], 0) + rng.normal(0, 0.1, (x.shape[0],) + tuple(
                 model.output.shape[1:])).astype("float32"), case)
    return case


def applications_cases(cases):
    """The activations and layers keras.applications needs (Jeras' second batch of layers)."""
    rng = np.random.default_rng(11)
    # every activation, on values around its kinks (-3, -1, -0.5, 0, 0.5, 1, 3) and beyond
    points = np.array([-3, -1, -0.5, 0, 0.5, 1, 3, -6], dtype="float32")
    values = np.concatenate([points, rng.normal(0, 3, 16).astype("float32")]).reshape(2, 3, 4)
    for name in ACTIVATIONS + ["gelu_approximate"]:
        inputs = keras.Input(values.shape[1:])
        model = keras.Model(inputs, layers.Activation(activation_function(name))(inputs))
        cases[f"activation_{name}"] = {"input": arr(values), "weights": {},
                                       "inference": arr(model(values, training=False))}
        x = rng.normal(0, 1, (4, 5)).astype("float32")
        cases[f"dense_step_{name}"] = trained_layer(
            layers.Dense(3, activation=activation_function(name)), x, rng)

    x = rng.normal(1.0, 2.0, (4, 3, 5)).astype("float32")
    for name, layer in [
        ("layer_norm", layers.LayerNormalization()),
        ("layer_norm_axes", layers.LayerNormalization(axis=[1, 2])),
        ("layer_norm_axes_unsorted", layers.LayerNormalization(axis=[2, 1])),
        ("layer_norm_axis_1", layers.LayerNormalization(axis=1, epsilon=0.01)),
        ("layer_norm_rms_scaling", layers.LayerNormalization(rms_scaling=True)),
        ("layer_norm_no_center", layers.LayerNormalization(center=False)),
        ("layer_norm_no_scale", layers.LayerNormalization(scale=False)),
    ]:
        cases[name] = trained_layer(layer, x, rng)
    image = rng.normal(0.5, 1.5, (2, 3, 3, 8)).astype("float32")
    cases["layer_norm_image"] = trained_layer(layers.LayerNormalization(epsilon=1e-6), image, rng)
    cases["layer_norm_no_center_scale"] = {
        "input": arr(x), "weights": {},
        "inference": arr(keras.Sequential([keras.Input(x.shape[1:]), layers.LayerNormalization(
            center=False, scale=False)])(x))}

    for name, layer in [
        ("group_norm", layers.GroupNormalization(groups=2)),
        ("group_norm_instance", layers.GroupNormalization(groups=-1, epsilon=1e-5)),
        ("group_norm_one_group", layers.GroupNormalization(groups=1)),
        ("group_norm_no_center_scale",
         layers.GroupNormalization(groups=4, center=False, scale=False)),
    ]:
        cases[name] = trained_layer(layer, image, rng)
    cases["group_norm_axis_1"] = trained_layer(
        layers.GroupNormalization(groups=2, axis=1),
        rng.normal(0, 1, (3, 4, 6)).astype("float32"), rng)
    cases["group_norm_dense"] = trained_layer(
        layers.GroupNormalization(groups=3), rng.normal(0, 1, (5, 6)).astype("float32"), rng)

    # Normalization: given statistics (constants) and adapted ones (weights)
    pixels = rng.uniform(0, 255, (2, 3, 3, 3)).astype("float32")
    for name, layer in [
        ("normalization_given", layers.Normalization(
            mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
            variance=[(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2])),
        ("normalization_given_scalar", layers.Normalization(mean=100.0, variance=900.0)),
        ("normalization_given_invert", layers.Normalization(
            mean=[1.0, 2.0, 3.0], variance=[4.0, 0.0, 0.25], invert=True)),
    ]:
        cases[name] = {"input": arr(pixels), "weights": {},
                       "inference": arr(keras.Sequential([keras.Input(pixels.shape[1:]), layer])(
                           pixels))}
    data = rng.normal(3.0, 2.0, (10, 4, 3)).astype("float32")
    probe = rng.normal(3.0, 2.0, (2, 4, 3)).astype("float32")
    for name, axis, invert, batch in [
        ("normalization_adapt", -1, False, None),
        ("normalization_adapt_axis_none", None, False, None),
        ("normalization_adapt_axes", (1, 2), False, None),
        ("normalization_adapt_invert", -1, True, None),
        ("normalization_adapt_dataset", -1, False, 4),
        ("normalization_adapt_dataset_axis_1", 1, False, 3),
    ]:
        layer = layers.Normalization(axis=axis, invert=invert)
        if batch is None:
            layer.adapt(data)
        else:
            layer.adapt(tf.data.Dataset.from_tensor_slices(data).batch(batch))
        model = keras.Sequential([keras.Input(data.shape[1:]), layer])
        cases[name] = {"data": arr(data), "batch_size": batch, "input": arr(probe),
                       "weights": weights_of(model),
                       "inference": arr(model(probe, training=False))}

    blocks = rng.normal(0, 1, (2, 3, 4, 5)).astype("float32")
    for name, layer in [
        ("identity", layers.Identity()),
        ("permute", layers.Permute((3, 1, 2))),
        ("permute_swap", layers.Permute((1, 3, 2))),
        ("rescaling_per_channel", layers.Rescaling([0.5, 2.0, -1.0, 0.25, 3.0])),
        ("rescaling_per_channel_offset",
         layers.Rescaling([0.5, 2.0, -1.0, 0.25, 3.0], offset=[1.0, 0.0, -2.0, 0.5, 0.1])),
        ("rescaling_offset_list", layers.Rescaling(0.5, offset=[1.0, 0.0, -2.0, 0.5, 0.1])),
        ("dropout_noise_shape", layers.Dropout(0.5, noise_shape=(None, 1, 1, 5))),
        ("stochastic_depth", StochasticDepth(0.3)),
    ]:
        cases[name] = {"input": arr(blocks), "weights": {},
                       "inference": arr(keras.Sequential([keras.Input(blocks.shape[1:]), layer])(
                           blocks, training=False))}

    # LayerScale's weight has no name, so Keras numbers it per session (variable, variable_1,
    # ...); a fresh session for each names it "variable", as Jeras does.
    keras.backend.clear_session()
    cases["layer_scale"] = trained_layer(LayerScale(1e-6, 5), blocks, rng)
    keras.backend.clear_session()
    cases["layer_scale_initial"] = trained_layer(LayerScale(0.5, 5), blocks, rng,
                                                 randomized=False)

    shortcut = keras.Input((3, 4, 5), name="shortcut")
    residual = keras.Input((3, 4, 5), name="residual")
    model = keras.Model([shortcut, residual], CustomScaleLayer(0.17)([shortcut, residual]))
    other = rng.normal(0, 1, blocks.shape).astype("float32")
    cases["custom_scale_layer"] = {"input": arr(blocks), "input_2": arr(other), "weights": {},
                                   "inference": arr(model([blocks, other]))}

    image = rng.normal(0, 1, (2, 7, 7, 4)).astype("float32")
    for name, layer in [
        ("conv_groups", layers.Conv2D(6, 3, groups=2)),
        ("conv_groups_depthwise", layers.Conv2D(8, 3, padding="same", groups=4)),
        ("conv_groups_channels", layers.Conv2D(4, 3, strides=2, groups=4, activation="gelu")),
        ("conv_groups_dilated", layers.Conv2D(4, 2, dilation_rate=2, groups=2, use_bias=False)),
        ("conv_groups_strided", layers.Conv2D(2, (3, 2), strides=2, padding="same", groups=2)),
        # dilated convolutions trained (TensorFlow builds them with SpaceToBatchND)
        ("conv_dilated", layers.Conv2D(3, 3, dilation_rate=2, padding="same")),
        ("conv_dilated_valid", layers.Conv2D(3, (2, 3), dilation_rate=(2, 3))),
        ("depthwise_conv_dilated", layers.DepthwiseConv2D(3, dilation_rate=2, padding="same",
                                                          depth_multiplier=2)),
        ("separable_conv_dilated_step", layers.SeparableConv2D(5, 2, dilation_rate=3)),
    ]:
        cases[name] = trained_layer(layer, image, rng)

    cases["dense_3d"] = trained_layer(layers.Dense(3, activation="relu"),
                                      rng.normal(0, 1, (2, 4, 5)).astype("float32"), rng)
    cases["dense_4d"] = trained_layer(layers.Dense(2), rng.normal(0, 1, (2, 3, 3, 5))
                                      .astype("float32"), rng)


def sequence_cases(cases):
    """1-D, transposed and noise layers (sequences and upsampling), with a generator of their own."""
    rng = np.random.default_rng(13)
    sequence = rng.normal(0, 1, (2, 9, 3)).astype("float32")
    for name, layer in [
        ("conv1d", layers.Conv1D(4, 3)),
        ("conv1d_same_strided", layers.Conv1D(3, 3, strides=2, padding="same",
                                              activation="relu")),
        ("conv1d_causal_dilated", layers.Conv1D(2, 2, padding="causal", dilation_rate=2)),
        ("conv1d_same_dilated", layers.Conv1D(3, 3, padding="same", dilation_rate=2,
                                              use_bias=False)),
        ("conv1d_causal", layers.Conv1D(2, 3, padding="causal", activation="tanh")),
    ]:
        cases[name] = trained_layer(layer, sequence, rng)
    image = rng.normal(0, 1, (2, 4, 5, 3)).astype("float32")
    for name, layer in [
        ("conv2d_transpose", layers.Conv2DTranspose(4, 3)),
        ("conv2d_transpose_same_strided", layers.Conv2DTranspose(3, 3, strides=2,
                                                                 padding="same",
                                                                 activation="relu")),
        ("conv2d_transpose_valid_strided", layers.Conv2DTranspose(2, (2, 3), strides=(2, 1))),
        ("conv2d_transpose_stride_over_kernel", layers.Conv2DTranspose(2, 2, strides=3)),
        ("conv2d_transpose_output_padding", layers.Conv2DTranspose(2, 3, strides=2,
                                                                   padding="same",
                                                                   output_padding=1)),
        ("conv2d_transpose_valid_output_padding", layers.Conv2DTranspose(
            2, 3, strides=2, output_padding=(1, 1), use_bias=False)),
    ]:
        cases[name] = trained_layer(layer, image, rng)
    for name, layer in [
        ("max_pooling1d", layers.MaxPooling1D()),
        ("max_pooling1d_same_strided", layers.MaxPooling1D(3, strides=2, padding="same")),
        ("average_pooling1d", layers.AveragePooling1D(2)),
        ("average_pooling1d_same", layers.AveragePooling1D(3, strides=1, padding="same")),
        ("global_max_pooling1d", layers.GlobalMaxPooling1D()),
        ("global_average_pooling1d_keepdims", layers.GlobalAveragePooling1D(keepdims=True)),
        ("upsampling1d", layers.UpSampling1D(3)),
        ("zero_padding1d", layers.ZeroPadding1D((2, 1))),
        ("cropping1d", layers.Cropping1D((1, 2))),
        ("spatial_dropout1d", layers.SpatialDropout1D(0.5)),
        ("gaussian_noise", layers.GaussianNoise(0.3)),
        ("gaussian_dropout", layers.GaussianDropout(0.3)),
    ]:
        cases[name] = trained_layer(layer, sequence, rng)
    cases["spatial_dropout2d"] = trained_layer(layers.SpatialDropout2D(0.5), image, rng)
    cases["repeat_vector"] = trained_layer(layers.RepeatVector(3),
                                           rng.normal(0, 1, (2, 4)).astype("float32"), rng)


def trained_model(model, x, rng):
    """A whole model on x: weights, inference output and one SGD step to random targets."""
    randomize(model, rng)
    case = {"input": arr(x), "weights": weights_of(model),
            "inference": arr(model(x, training=False))}
    sgd_step(model, x, rng.normal(0, 1, (x.shape[0],) + tuple(model.outputs[0].shape[1:]))
             .astype("float32"), case)
    return case


def recurrent_cases(cases):
    """Embedding, masking and the recurrent layers (unrolled in Jeras), with their own generator."""
    rng = np.random.default_rng(17)
    sequence = rng.normal(0, 1, (2, 6, 3)).astype("float32")
    for name, layer in [
        ("simple_rnn", layers.SimpleRNN(3)),
        ("simple_rnn_sequences_backwards", layers.SimpleRNN(2, activation="relu",
                                                            return_sequences=True,
                                                            go_backwards=True)),
        ("lstm", layers.LSTM(4)),
        ("lstm_sequences", layers.LSTM(3, return_sequences=True)),
        ("lstm_backwards_hard_sigmoid", layers.LSTM(2, go_backwards=True,
                                                    recurrent_activation="hard_sigmoid")),
        ("gru", layers.GRU(4)),
        ("gru_sequences_reset_before", layers.GRU(3, return_sequences=True, reset_after=False)),
        ("gru_no_bias", layers.GRU(2, use_bias=False)),
        ("bidirectional_lstm", layers.Bidirectional(layers.LSTM(3, return_sequences=True,
                                                                name="lstm"))),
        ("bidirectional_gru_sum", layers.Bidirectional(layers.GRU(2, name="gru"),
                                                       merge_mode="sum")),
    ]:
        cases[name] = trained_layer(layer, sequence, rng)
    ids = np.array([[3, 1, 4, 1, 5], [9, 2, 6, 5, 3]], dtype="float32")
    cases["embedding"] = trained_layer(layers.Embedding(10, 3), ids, rng)
    # padded batches: ids 0 are padding; the masked models must give each sequence's own result
    padded = np.array([[4, 7, 2, 0, 0, 0], [5, 3, 8, 1, 6, 2], [9, 0, 0, 0, 0, 0]],
                      dtype="float32")
    def masked(*middle):
        return keras.Sequential([keras.Input((6,)), layers.Embedding(10, 3, mask_zero=True),
                                 *middle, layers.Dense(2)])
    for name, middle in [
        ("masked_lstm", [layers.LSTM(3)]),
        ("masked_gru_sequences", [layers.GRU(3, return_sequences=True),
                                  layers.GlobalAveragePooling1D()]),
        ("masked_bidirectional_lstm", [layers.Bidirectional(layers.LSTM(
            2, return_sequences=True, name="lstm")), layers.LSTM(2)]),
        ("masked_simple_rnn_backwards", [layers.SimpleRNN(3, go_backwards=True)]),
        ("masked_dense_average", [layers.Dense(4, activation="relu"), layers.Activation("tanh"),
                                  layers.GlobalAveragePooling1D()]),
    ]:
        cases[name] = trained_model(masked(*middle), padded, rng)
    values = rng.normal(0, 1, (2, 5, 3)).astype("float32")
    values[0, 3:] = 0  # two padded steps, masked by Masking
    cases["masking_lstm"] = trained_model(keras.Sequential([
        keras.Input((5, 3)), layers.Masking(), layers.LSTM(2), layers.Dense(1)]), values, rng)


def attention_cases(cases):
    """MultiHeadAttention alone and in a masked Transformer encoder block, its own generator."""
    rng = np.random.default_rng(19)
    x = rng.normal(0, 1, (2, 5, 4)).astype("float32")
    for name, layer, causal in [
        ("mha_self", layers.MultiHeadAttention(2, 3), False),
        ("mha_causal_value_dim", layers.MultiHeadAttention(2, 3, value_dim=2), True),
        ("mha_no_bias", layers.MultiHeadAttention(3, 2, use_bias=False), False),
    ]:
        inputs = keras.Input((5, 4))
        model = keras.Model(inputs, layer(inputs, inputs, use_causal_mask=causal))
        cases[name] = trained_model(model, x, rng)
    query = keras.Input((5, 4))
    value = keras.Input((3, 6))
    model = keras.Model([query, value], layers.MultiHeadAttention(2, 3)(query, value))
    randomize(model, rng)
    xv = rng.normal(0, 1, (2, 3, 6)).astype("float32")
    cases["mha_cross"] = {"input": arr(x), "input_2": arr(xv), "weights": weights_of(model),
                          "inference": arr(model([x, xv], training=False))}
    ids = np.array([[4, 7, 2, 0, 0, 0], [5, 3, 8, 1, 6, 2], [9, 11, 0, 0, 0, 0]],
                   dtype="float32")
    tokens = keras.Input((6,))
    h = layers.Embedding(12, 8, mask_zero=True)(tokens)
    attended = layers.MultiHeadAttention(2, 4)(h, h)
    h = layers.LayerNormalization()(layers.Add()([h, attended]))
    ffn = layers.Dense(8)(layers.Dense(16, activation="relu")(h))
    h = layers.LayerNormalization()(layers.Add()([h, ffn]))
    out = layers.Dense(2)(layers.GlobalAveragePooling1D()(h))
    cases["transformer_encoder_masked"] = trained_model(keras.Model(tokens, out), ids, rng)


def main(out):
    keras.utils.set_random_seed(7)
    rng = np.random.default_rng(7)
    cases = {}

    x = rng.normal(1.0, 2.0, (6, 5, 5, 3)).astype("float32")
    for name, layer in [
        ("batch_norm", layers.BatchNormalization()),
        ("batch_norm_momentum_epsilon", layers.BatchNormalization(momentum=0.9, epsilon=0.01)),
        ("batch_norm_small_epsilon", layers.BatchNormalization(epsilon=1e-6)),
        ("batch_norm_no_center_scale", layers.BatchNormalization(center=False, scale=False)),
    ]:
        k, v = single_layer(name, layer, x, rng, train_too=True)
        cases[k] = v
    k, v = single_layer("batch_norm_dense", layers.BatchNormalization(),
                        rng.normal(-1.0, 3.0, (7, 4)).astype("float32"), rng, train_too=True)
    cases[k] = v
    k, v = single_layer("batch_norm_axis_1", layers.BatchNormalization(axis=1),
                        rng.normal(0.5, 1.5, (4, 3, 5)).astype("float32"), rng, train_too=True)
    cases[k] = v

    image = rng.normal(0, 1, (2, 7, 7, 3)).astype("float32")
    for name, layer in [
        ("separable_conv", layers.SeparableConv2D(4, 3, strides=2, padding="same",
                                                  depth_multiplier=2, activation="relu")),
        ("separable_conv_dilated", layers.SeparableConv2D(5, 3, dilation_rate=2)),
        ("depthwise_conv", layers.DepthwiseConv2D(3, padding="same", depth_multiplier=2)),
        ("depthwise_conv_strided", layers.DepthwiseConv2D((2, 3), strides=2, use_bias=False)),
    ]:
        k, v = single_layer(name, layer, image, rng)
        cases[k] = v

    small = rng.normal(0, 1, (2, 3, 4, 2)).astype("float32")
    k, v = single_layer("upsampling_bilinear",
                        layers.UpSampling2D((2, 3), interpolation="bilinear"), small, rng)
    cases[k] = v
    k, v = single_layer("upsampling_nearest", layers.UpSampling2D((3, 2)), small, rng)
    cases[k] = v
    values = rng.normal(0, 4, (2, 3, 4)).astype("float32")
    for name, layer in [
        ("relu6", layers.ReLU(max_value=6.0)),
        ("relu_threshold", layers.ReLU(max_value=4.0, negative_slope=0.1, threshold=0.5)),
        ("relu_negative_slope", layers.ReLU(negative_slope=0.2)),
        ("leaky_relu", layers.LeakyReLU()),
        ("elu_alpha", layers.ELU(alpha=0.5)),
        ("softmax_axis_1", layers.Softmax(axis=1)),
    ]:
        k, v = single_layer(name, layer, values, rng)
        cases[k] = v

    model = residual_block()
    randomize(model, rng)
    xs = rng.normal(0, 1, (4, 8, 8, 3)).astype("float32")
    ys = np.array([0, 2, 1, 2], dtype="int64")
    case = {"input": arr(xs), "labels": arr(ys), "weights": weights_of(model),
            "inference": arr(model(xs, training=False)),
            "training": arr(model(xs, training=True))}
    # model(x, training=True) updated the moving statistics; restore them for a clean step
    model.set_weights([np.asarray(case["weights"][f"{l.name}/{w.name}"]["values"], "float32")
                       .reshape(w.shape) for l in model.layers for w in l.weights])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1),
                  loss="sparse_categorical_crossentropy")
    case["loss"] = float(model.train_on_batch(xs, ys))
    case["weights_after_step"] = weights_of(model)
    cases["residual_block"] = case

    applications_cases(cases)
    sequence_cases(cases)
    recurrent_cases(cases)
    attention_cases(cases)

    doc = {"keras": keras.__version__, "tensorflow": tf.__version__, "cases": cases}
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=None, separators=(",", ":"))
        f.write("\n")
    os.replace(tmp, out)
    print(json.dumps({"keras": keras.__version__, "cases": sorted(cases)}))


if __name__ == "__main__":
    main(sys.argv[1])
