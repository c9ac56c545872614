"""Exports SavedModels with the newest TensorFlow on PyPI, to see how TensorFlow 2.18 (inside
TensorFlow Java 1.1.0) copes with newer releases.

Usage: make_latest_fixture.py OUT_DIR
  OUT_DIR/export          a small Keras CNN (model.export), with x.npy and its predictions y.npy
  OUT_DIR/webp_decoder    a tf.Module whose signature decodes WebP images with DecodeWebP, an op
                          newer than TensorFlow 2.18 (absent when this TensorFlow lacks it too)
  OUT_DIR/info.json       versions
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
    info = {"tensorflow": tf.__version__, "keras": keras.__version__, "webp_decoder": False}
    if hasattr(tf.raw_ops, "DecodeWebP"):
        class WebpDecoder(tf.Module):
            @tf.function(input_signature=[tf.TensorSpec([], tf.string, name="webp")])
            def decode(self, webp):
                return {"pixels": tf.raw_ops.DecodeWebP(contents=webp, channels=3)}

        decoder = WebpDecoder()
        tf.saved_model.save(decoder, str(out / "webp_decoder"),
                            signatures={"serving_default": decoder.decode})
        info["webp_decoder"] = True
    (out / "info.json").write_text(json.dumps(info, indent=2) + "\n")
    print(json.dumps(info))


if __name__ == "__main__":
    main()
