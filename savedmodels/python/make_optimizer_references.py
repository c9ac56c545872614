"""Runs Keras 3's optimizers on a fixed 2x3 weight and a fixed sequence of three gradients,
for Jeras' OptimizerReferenceTest: every optimizer Jeras has, with its defaults and with the
options Keras gives it (amsgrad, nesterov, centered, momentum, Ftrl's regularization
strengths) and the base options every optimizer takes (weight_decay, clipnorm, clipvalue,
exclude_from_weight_decay by name).

Usage: make_optimizer_references.py OUT_JSON

Each case holds the Keras class and its arguments (and, for weight decay exclusions, the
optimizer methods called with their var_names), and what Keras computed with
optimizer.apply_gradients: the weight after each of the three steps, and the optimizer's
variables after the last one, keyed by Keras' variable name less the weight's own prefix
("momentum" for "kernel_momentum"; Nadam's unnamed running product is "u_product").
The initial weight and the gradients are shared by every case (seeded).
RegeneratedFixturesTest reruns this script and compares with the committed file.
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402


def arr(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "values": [float(v) for v in a.reshape(-1)]}


CASES = {
    "sgd": ("SGD", {}),
    "sgd_momentum": ("SGD", {"learning_rate": 0.1, "momentum": 0.9}),
    "sgd_nesterov": ("SGD", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}),
    "sgd_clipvalue": ("SGD", {"learning_rate": 0.1, "clipvalue": 0.5}),
    "rmsprop": ("RMSprop", {"learning_rate": 0.01}),
    "rmsprop_centered": ("RMSprop", {"learning_rate": 0.01, "centered": True}),
    "rmsprop_centered_momentum": ("RMSprop", {"learning_rate": 0.01, "centered": True,
                                              "momentum": 0.5}),
    "adam": ("Adam", {}),
    "adam_weight_decay": ("Adam", {"learning_rate": 0.01, "weight_decay": 0.1}),
    "adam_clipnorm": ("Adam", {"learning_rate": 0.01, "clipnorm": 0.8}),
    "adamw": ("AdamW", {}),
    "adamw_lr_decay": ("AdamW", {"learning_rate": 0.05, "weight_decay": 0.2}),
    "adamw_amsgrad": ("AdamW", {"learning_rate": 0.05, "amsgrad": True}),
    "adamw_excluded": ("AdamW", {"learning_rate": 0.05, "weight_decay": 0.2},
                       {"exclude_from_weight_decay": ["ker"]}),
    "adamw_not_excluded": ("AdamW", {"learning_rate": 0.05, "weight_decay": 0.2},
                           {"exclude_from_weight_decay": ["bias", "gamma"]}),
    "nadam": ("Nadam", {}),
    "nadam_clipnorm": ("Nadam", {"learning_rate": 0.05, "beta_1": 0.8, "clipnorm": 1.0}),
    "nadam_weight_decay": ("Nadam", {"learning_rate": 0.05, "weight_decay": 0.1}),
    "adamax": ("Adamax", {}),
    "adamax_options": ("Adamax", {"learning_rate": 0.05, "beta_1": 0.8, "beta_2": 0.9,
                                  "epsilon": 1e-3}),
    "adagrad": ("Adagrad", {}),
    "adagrad_options": ("Adagrad", {"learning_rate": 0.1, "initial_accumulator_value": 0.5,
                                    "epsilon": 1e-4, "clipvalue": 0.7}),
    "adadelta": ("Adadelta", {}),
    "adadelta_options": ("Adadelta", {"learning_rate": 1.0, "rho": 0.9, "epsilon": 1e-4}),
    "lion": ("Lion", {}),
    "lion_options": ("Lion", {"learning_rate": 0.01, "beta_1": 0.5, "beta_2": 0.9,
                              "weight_decay": 0.5}),
    "ftrl": ("Ftrl", {}),
    "ftrl_options": ("Ftrl", {"learning_rate": 0.1, "learning_rate_power": -0.3,
                              "initial_accumulator_value": 0.2,
                              "l1_regularization_strength": 0.01,
                              "l2_regularization_strength": 0.02,
                              "l2_shrinkage_regularization_strength": 0.03, "beta": 0.5}),
}


def run(kind, args, w0, grads, calls=None):
    optimizer = getattr(keras.optimizers, kind)(**args)
    for method, var_names in (calls or {}).items():
        getattr(optimizer, method)(var_names=var_names)
    kernel = keras.Variable(w0, name="kernel")
    steps = []
    for g in grads:
        optimizer.apply_gradients([(tf.constant(g), kernel)])
        steps.append(arr(kernel.numpy()))
    state = {}
    for v in optimizer.variables:
        if v is optimizer.iterations or v.name == "learning_rate":
            continue
        if kind == "Nadam" and v is optimizer._u_product:
            name = "u_product"
        else:
            name = v.name.removeprefix(kernel.path.replace("/", "_") + "_")
        assert name not in state, name
        state[name] = arr(v.numpy())
    case = {"optimizer": kind, "args": args, "steps": steps, "state": state,
            "iterations": int(optimizer.iterations.numpy())}
    if calls:
        case["calls"] = calls
    return case


def main(out):
    rng = np.random.default_rng(11)
    w0 = rng.normal(size=(2, 3)).astype(np.float32)
    grads = [rng.normal(size=(2, 3)).astype(np.float32) for _ in range(3)]
    cases = {name: run(kind, args, w0, grads, *rest)
             for name, (kind, args, *rest) in CASES.items()}
    with open(out, "w") as f:
        json.dump({"keras": keras.__version__, "tensorflow": tf.__version__,
                   "weight": arr(w0), "gradients": [arr(g) for g in grads], "cases": cases},
                  f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
