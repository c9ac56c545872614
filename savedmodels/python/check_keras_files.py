"""Loads every .keras file Jeras wrote into DIR with Keras, as a Python user would, and checks
it: predictions on NAME.x0.npy (and NAME.x1.npy, ... for several inputs) equal NAME.y.npy (what
Jeras predicted), and the model trains one step. Prints one JSON line per file.

Usage: check_keras_files.py DIR
"""
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import keras  # noqa: E402


def check(path):
    name = path.name[:-len(".keras")]
    xs = [np.load(p) for p in sorted(path.parent.glob(name + ".x*.npy"))]
    expected = np.load(path.parent / (name + ".y.npy"))
    model = keras.models.load_model(path, compile=False)
    inputs = xs if len(xs) > 1 else xs[0]
    predicted = np.asarray(model(inputs, training=False))
    model.compile(optimizer=keras.optimizers.SGD(1e-3), loss="mse", run_eagerly=True)
    history = model.fit(inputs, np.zeros_like(expected), epochs=1, batch_size=len(xs[0]),
                        verbose=0)
    loss = float(history.history["loss"][0])
    return {"file": path.name, "classes": sorted({layer.__class__.__name__
                                                 for layer in model.layers}),
            "max_diff": float(np.max(np.abs(predicted - expected))),
            "scale": float(np.max(np.abs(expected))),
            "train_loss": loss if np.isfinite(loss) else str(loss)}


def main(directory):
    for path in sorted(Path(directory).glob("*.keras")):
        try:
            answer = check(path)
        except Exception as e:  # noqa: BLE001
            answer = {"file": path.name, "error": f"{type(e).__name__}: {e}"}
        print("@@ " + json.dumps(answer), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
