"""Computes reference outputs with Keras 3 for the Jeras layers whose arithmetic is not obvious
by hand: BatchNormalization in training and inference mode (fused and unfused paths in Jeras),
depthwise and separable convolutions, a residual block (forward in both modes and one SGD
step), bilinear up-sampling and the configurable activation layers.

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


def arr(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "values": [float(v) for v in a.reshape(-1)]}


def weights_of(model):
    out = {}
    for layer in model.layers:
        for w in layer.weights:
            out[f"{layer.name}/{w.name}"] = arr(w.numpy())
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

    doc = {"keras": keras.__version__, "tensorflow": tf.__version__, "cases": cases}
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=None, separators=(",", ":"))
        f.write("\n")
    os.replace(tmp, out)
    print(json.dumps({"keras": keras.__version__, "cases": sorted(cases)}))


if __name__ == "__main__":
    main(sys.argv[1])
