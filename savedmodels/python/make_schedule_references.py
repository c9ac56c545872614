"""Computes Keras 3's learning-rate schedules at a range of steps, and the weights of a tiny
model after a few SGD steps with a scheduled rate, for Jeras' LearningRateScheduleTest.

Usage: make_schedule_references.py OUT_JSON

Each schedule case holds its arguments (as Jeras' builders take them), the steps, and the rates
Keras computed. The training case holds the data, the initial weights, the schedule, and the
kernel and bias after each of its steps. RegeneratedFixturesTest reruns this script and
compares with the committed file.
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras.optimizers import schedules  # noqa: E402

STEPS = [0, 1, 2, 5, 9, 10, 11, 15, 20, 29, 30, 31, 45, 100]


def rates(schedule):
    return [float(keras.ops.convert_to_numpy(schedule(step))) for step in STEPS]


def main(out):
    cases = {}
    specs = {
        "exponential": ("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=10,
                                                 decay_rate=0.5)),
        "exponential_staircase": ("ExponentialDecay", dict(initial_learning_rate=0.1,
                                                           decay_steps=10, decay_rate=0.5,
                                                           staircase=True)),
        "piecewise": ("PiecewiseConstantDecay", dict(boundaries=[10, 30],
                                                     values=[1.0, 0.5, 0.1])),
        "cosine": ("CosineDecay", dict(initial_learning_rate=0.1, decay_steps=30)),
        "cosine_alpha": ("CosineDecay", dict(initial_learning_rate=0.1, decay_steps=30,
                                             alpha=0.2)),
        "cosine_warmup": ("CosineDecay", dict(initial_learning_rate=0.0, decay_steps=20,
                                              warmup_target=0.1, warmup_steps=10)),
        "cosine_warmup_alpha": ("CosineDecay", dict(initial_learning_rate=0.01, decay_steps=20,
                                                    alpha=0.1, warmup_target=0.2,
                                                    warmup_steps=10)),
    }
    for name, (kind, args) in specs.items():
        schedule = getattr(schedules, kind)(**args)
        cases[name] = {"kind": kind, "args": args, "steps": STEPS, "rates": rates(schedule)}

    # Training: Dense(2) on 4 features, mean squared error, SGD momentum 0.9 with a warm-up
    # cosine schedule, batch 4 (one step per epoch), no shuffling.
    rng = np.random.default_rng(3)
    x = rng.normal(size=(4, 4)).astype(np.float32)
    y = rng.normal(size=(4, 2)).astype(np.float32)
    kernel = rng.normal(size=(4, 2)).astype(np.float32) * 0.5
    bias = np.zeros(2, np.float32)
    schedule_args = dict(initial_learning_rate=0.0, decay_steps=4, warmup_target=0.2,
                         warmup_steps=2)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    model.layers[0].set_weights([kernel, bias])
    model.compile(optimizer=keras.optimizers.SGD(
        learning_rate=schedules.CosineDecay(**schedule_args), momentum=0.9), loss="mse")
    after = []
    for _ in range(6):
        model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
        k, b = model.layers[0].get_weights()
        after.append({"kernel": k.reshape(-1).tolist(), "bias": b.tolist(),
                      "learning_rate": float(keras.ops.convert_to_numpy(
                          model.optimizer.learning_rate))})
    cases["training"] = {"x": x.reshape(-1).tolist(), "y": y.reshape(-1).tolist(),
                         "kernel": kernel.reshape(-1).tolist(), "bias": bias.tolist(),
                         "schedule": schedule_args, "after_each_step": after}
    with open(out, "w") as f:
        json.dump({"keras": keras.__version__, "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
