"""Exports a small Keras CNN with the newest TensorFlow on PyPI, with samples and predictions.

Usage: make_latest_fixture.py OUT_DIR   (writes OUT_DIR/export, x.npy, y.npy, info.json)
"""
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    keras.utils.set_random_seed(3)
    model = keras.Sequential([
        keras.Input((10, 10, 1), name="image"),
        layers.Conv2D(4, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(3, activation="softmax"),
    ])
    x = np.random.default_rng(3).normal(size=(8, 10, 10, 1)).astype("float32")
    np.save(out / "x.npy", x)
    np.save(out / "y.npy", model.predict(x, verbose=0).astype("float32"))
    model.export(str(out / "export"), verbose=False)
    info = {"tensorflow": tf.__version__, "keras": keras.__version__}
    (out / "info.json").write_text(json.dumps(info, indent=2) + "\n")
    print(json.dumps(info))


if __name__ == "__main__":
    main()
