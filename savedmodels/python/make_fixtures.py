"""Trains small Keras 3 models and writes them the ways Python users share models, with input
samples and Keras' own predictions, as fixtures for Jeras' import tests.

Usage: make_fixtures.py OUT_DIR

For each model NAME in OUT_DIR:
  NAME/export/           model.export(...)           (Keras 3 SavedModel: serve, serving_default)
  cnn/features/          the cnn's convolutional features (its `flatten` output), exported the same way
  NAME/tf_saved_model/   tf.saved_model.save(model)  (only where it loads in C++, see below)
  NAME.keras             model.save(...)             (Keras 3 zip: config.json + model.weights.h5)
  NAME.h5                model.save(...)             (Keras 2 HDF5)
  NAME.x*.npy, NAME.y.npy  input samples and model.predict on them
  info.json              versions and, per model, input keys and sizes

Models: `cnn` (Fashion-MNIST classes 0-4, also the base for transfer learning), `two_inputs`
(an image and a vector, joined), `bn_dropout` (BatchNormalization and Dropout in inference).
`custom` (a user's own registered layer class with a weight, and a Lambda) is saved only as
custom.keras and custom.h5 with its samples: Jeras reads it through Java implementations
registered with KerasModels.loader().customLayer(...).
The Fashion-MNIST subset is the one embedded in the examples jar, so this runs anywhere.
"""
import gzip
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

HERE = Path(__file__).resolve().parent
SUBSET = HERE.parent.parent / "examples/src/main/resources/io/jeras/examples/fashion-mnist-subset"


def idx(name):
    data = gzip.open(SUBSET / f"{name}.gz").read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def fashion_mnist_classes(lo, hi):
    x = idx("train-images-idx3-ubyte").astype("float32")[..., None] / 255.0
    y = idx("train-labels-idx1-ubyte").astype("int64")
    keep = (y >= lo) & (y <= hi)
    return x[keep], y[keep] - lo


def cnn():
    inputs = keras.Input((28, 28, 1), name="image")
    h = layers.Conv2D(16, 3, activation="relu", name="conv_1")(inputs)
    h = layers.MaxPooling2D(2, name="pool_1")(h)
    h = layers.Conv2D(32, 3, activation="relu", name="conv_2")(h)
    h = layers.MaxPooling2D(2, name="pool_2")(h)
    h = layers.Flatten(name="flatten")(h)
    h = layers.Dense(64, activation="relu", name="features")(h)
    h = layers.Dropout(0.3, name="dropout")(h)
    outputs = layers.Dense(5, activation="softmax", name="classes")(h)
    model = keras.Model(inputs, outputs, name="cnn")
    x, y = fashion_mnist_classes(0, 4)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=8, batch_size=64, verbose=0)
    return model, [x[:16]]


def two_inputs():
    image = keras.Input((8, 8, 1), name="image")
    extra = keras.Input((4,), name="extra")
    h = layers.Conv2D(4, 3, activation="relu", name="conv")(image)
    h = layers.Flatten(name="flatten")(h)
    h = layers.Concatenate(name="join")([h, extra])
    outputs = layers.Dense(3, activation="softmax", name="classes")(h)
    model = keras.Model([image, extra], outputs, name="two_inputs")
    rng = np.random.default_rng(1)
    xi = rng.normal(size=(256, 8, 8, 1)).astype("float32")
    xe = rng.normal(size=(256, 4)).astype("float32")
    y = (xi.mean(axis=(1, 2, 3)) > 0).astype("int64") + (xe[:, 0] > 0.5)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit([xi, xe], y, epochs=2, batch_size=32, verbose=0)
    return model, [xi[:16], xe[:16]]


def bn_dropout():
    model = keras.Sequential([
        keras.Input((12, 12, 1), name="image"),
        layers.Conv2D(6, 3, use_bias=False, name="conv"),
        layers.BatchNormalization(name="bn"),
        layers.Activation("relu", name="relu"),
        layers.MaxPooling2D(2, name="pool"),
        layers.Flatten(name="flatten"),
        layers.Dropout(0.5, name="dropout"),
        layers.Dense(2, activation="softmax", name="classes"),
    ], name="bn_dropout")
    rng = np.random.default_rng(2)
    x = (rng.normal(size=(256, 12, 12, 1)) * 3 + 1).astype("float32")
    y = (x[:, :6].mean(axis=(1, 2, 3)) > x[:, 6:].mean(axis=(1, 2, 3))).astype("int64")
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=3, batch_size=32, verbose=0)
    return model, [x[:16]]


@keras.saving.register_keras_serializable(package="demo")
class ScaledSum(layers.Layer):
    """scale * x * w + sum(x): a user's own layer, with an option and a weight."""

    def __init__(self, scale=1.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")

    def call(self, x):
        return self.scale * x * self.w + keras.ops.sum(x, axis=-1, keepdims=True)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}


def custom():
    inputs = keras.Input((4,), name="x")
    h = layers.Dense(4, activation="tanh", name="dense")(inputs)
    h = ScaledSum(0.5, name="scaled_sum")(h)
    h = layers.Lambda(lambda t: t * 2.0, name="double")(h)
    outputs = layers.Dense(2, name="out")(h)
    model = keras.Model(inputs, outputs, name="custom")
    rng = np.random.default_rng(3)
    model.get_layer("scaled_sum").set_weights([rng.uniform(0.5, 1.5, 4).astype("float32")])
    return model, [rng.normal(size=(8, 4)).astype("float32")]


def loads_in_cpp(path):
    """tf.saved_model.save of a Keras 3 model may not restore in TF's C++ loader."""
    try:
        tf.compat.v1.saved_model.load(tf.compat.v1.Session(graph=tf.Graph()), ["serve"], str(path))
        return True
    except Exception as e:  # noqa: BLE001
        print(f"  {path.name}: C++-style load fails: {str(e).splitlines()[0][:160]}")
        return False


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    keras.utils.set_random_seed(7)
    tf.config.experimental.enable_op_determinism()
    info = {"tensorflow": tf.__version__, "keras": keras.__version__, "models": {}}
    for build in (cnn, two_inputs, bn_dropout):
        model, xs = build()
        name = model.name
        y = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
        for i, x in enumerate(xs):
            np.save(out / f"{name}.x{i}.npy", x)
        np.save(out / f"{name}.y.npy", y.astype("float32"))
        model.export(str(out / name / "export"), verbose=False)
        if name == "cnn":
            # the base for transfer learning: the convolutional features (the flatten
            # output, 5x5x32 = 800 values), which carry over to other classes far better
            # than the 64-unit dense layer trained for these five
            features = keras.Model(model.inputs, model.get_layer("flatten").output,
                                   name="cnn_features")
            features.export(str(out / name / "features"), verbose=False)
            np.save(out / "cnn.features.npy", features.predict(xs[0], verbose=0))
        tf.saved_model.save(model, str(out / name / "tf_saved_model"))
        entry = {"inputs": [t.name for t in model.inputs], "samples": int(len(xs[0])),
                 "tf_saved_model_loads_in_cpp": loads_in_cpp(out / name / "tf_saved_model")}
        # saved without the optimizer's state (a third of the size, and Jeras imports weights)
        plain = keras.models.clone_model(model)
        plain.set_weights(model.get_weights())
        plain.save(out / f"{name}.keras")
        plain.save(out / f"{name}.h5")
        info["models"][name] = entry
        print(f"{name}: exported, inputs {entry['inputs']}")
    model, xs = custom()
    np.save(out / "custom.x0.npy", xs[0])
    np.save(out / "custom.y.npy", model.predict(xs[0], verbose=0).astype("float32"))
    model.save(out / "custom.keras")
    model.save(out / "custom.h5")
    (out / "info.json").write_text(json.dumps(info, indent=2) + "\n")


if __name__ == "__main__":
    main()
