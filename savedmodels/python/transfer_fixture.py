"""The usual transfer-learning save (a frozen VGG16 base in a Sequential), made by Keras and checked after Jeras fine-tuned it.

Usage:
  transfer_fixture.py make DIR   DIR/transfer.keras: a frozen VGG16 base (include_top=False,
                                 weights=None, 32x32 inputs) inside a Sequential with a new head,
                                 as `conv_base.trainable = False; Sequential([conv_base, ...])`
  transfer_fixture.py check DIR  loads DIR/fine_tuned.keras (written by Jeras), predicts
                                 DIR/x.npy, compares with DIR/y_jeras.npy and prints, as JSON,
                                 the largest difference and which layers of the base train
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import keras  # noqa: E402


def make(out):
    keras.utils.set_random_seed(5)
    base = keras.applications.VGG16(include_top=False, weights=None, input_shape=(32, 32, 3))
    base.trainable = False
    model = keras.Sequential([
        keras.Input((32, 32, 3), name="image"),
        keras.layers.Rescaling(1 / 255.0, name="rescaling"),
        base,
        keras.layers.Flatten(name="flatten"),
        keras.layers.Dense(16, activation="relu", name="dense"),
        keras.layers.Dense(1, activation="sigmoid", name="output"),
    ], name="transfer")
    model.save(os.path.join(out, "transfer.keras"))
    return {"layers": [layer.name for layer in model.layers]}


def check(out):
    model = keras.models.load_model(os.path.join(out, "fine_tuned.keras"), compile=False)
    x = np.load(os.path.join(out, "x.npy"))
    expected = np.load(os.path.join(out, "y_jeras.npy"))
    predicted = np.asarray(model(x, training=False))
    base = model.get_layer("vgg16")
    return {"max_diff": float(np.max(np.abs(predicted - expected))),
            "trainable": sorted(layer.name for layer in base.layers
                                if layer.trainable and layer.weights),
            "frozen": sorted(layer.name for layer in base.layers
                             if not layer.trainable and layer.weights)}


if __name__ == "__main__":
    answer = make(sys.argv[2]) if sys.argv[1] == "make" else check(sys.argv[2])
    print("@@ " + json.dumps(answer))
