"""Keras 3 under its mixed-precision policies, for Jeras' MixedPrecisionTest: a small CNN
(Conv2D + ReLU, MaxPooling2D, Conv2D, BatchNormalization, ReLU, Flatten, Dense softmax) with
Keras' seeded initial weights, its predictions, evaluate's loss and the weights after three SGD
steps (batch 4, no shuffling), under mixed_bfloat16 (also with the last layer in float32) and
mixed_float16 (where compile wraps the optimizer in a LossScaleOptimizer: its dynamic_scale and
step_counter after the steps too); and two loss-scaling cases: a scale so large the float16
gradients overflow (the step is skipped, the scale halves) and growth after two finite steps.

Usage: make_mixed_precision_references.py OUT_JSON
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402


def arr(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "values": [float(v) for v in a.reshape(-1)]}


def model(policy, last_float32=False):
    keras.mixed_precision.set_global_policy(policy)
    keras.utils.set_random_seed(11)
    m = keras.Sequential([
        keras.Input((8, 8, 1)),
        layers.Conv2D(4, 3, activation="relu", padding="same"),
        layers.MaxPooling2D(2),
        layers.Conv2D(6, 3),
        layers.BatchNormalization(),
        layers.Activation("relu"),
        layers.Flatten(),
        layers.Dense(5, activation="softmax", dtype="float32" if last_float32 else None),
    ])
    keras.mixed_precision.set_global_policy("float32")
    return m


def case(policy, x, y, last_float32=False, optimizer=None, steps=3):
    m = model(policy, last_float32)
    initial = [w.numpy() for w in m.weights]
    opt = optimizer or keras.optimizers.SGD(0.1)
    m.compile(optimizer=opt, loss="sparse_categorical_crossentropy")
    predictions = m.predict(x, verbose=0)
    loss = m.evaluate(x, y, verbose=0)
    m.fit(x[:4 * steps], y[:4 * steps], batch_size=4, epochs=1, shuffle=False, verbose=0)
    out = {"policy": policy, "last_float32": last_float32,
           "initial": [arr(w) for w in initial], "predictions": arr(predictions),
           "loss": float(loss), "trained": [arr(w.numpy()) for w in m.weights],
           "optimizer": type(m.optimizer).__name__,
           "iterations": int(getattr(m.optimizer, "inner_optimizer", m.optimizer)
                             .iterations.numpy())}
    if isinstance(m.optimizer, keras.optimizers.LossScaleOptimizer):
        out["dynamic_scale"] = float(m.optimizer.dynamic_scale.numpy())
        out["step_counter"] = int(m.optimizer.step_counter.numpy())
        out["initial_scale"] = float(m.optimizer.initial_scale)
        out["dynamic_growth_steps"] = int(m.optimizer.dynamic_growth_steps)
    return out


def main():
    rng = np.random.default_rng(5)
    x = rng.random((12, 8, 8, 1), dtype=np.float32)
    y = rng.integers(0, 5, 12)
    cases = {
        "mixed_bfloat16": case("mixed_bfloat16", x, y),
        "mixed_bfloat16_last_float32": case("mixed_bfloat16", x, y, last_float32=True),
        "mixed_float16": case("mixed_float16", x, y),
        "float16_overflow": case("mixed_float16", x, y, optimizer=keras.optimizers.
                                 LossScaleOptimizer(keras.optimizers.SGD(0.1),
                                                    initial_scale=2.0 ** 40), steps=1),
        "float16_growth": case("mixed_float16", x, y, optimizer=keras.optimizers.
                               LossScaleOptimizer(keras.optimizers.SGD(0.1), initial_scale=1.0,
                                                  dynamic_growth_steps=2)),
    }
    with open(sys.argv[1], "w") as f:
        json.dump({"keras": keras.__version__, "x": arr(x), "y": [int(v) for v in y],
                   "cases": cases}, f)


if __name__ == "__main__":
    main()
