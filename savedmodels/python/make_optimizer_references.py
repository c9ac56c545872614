"""Runs Keras 3's optimizers on a fixed 2x3 weight and a fixed sequence of three gradients,
for Jeras' OptimizerReferenceTest: every optimizer Jeras has, with its defaults and with the
options Keras gives it (amsgrad, nesterov, centered, momentum, Ftrl's regularization
strengths) and the base options every optimizer takes (weight_decay, clipnorm, clipvalue,
global_clipnorm, exclude_from_weight_decay by name, use_ema with its momentum and overwrite
frequency, gradient_accumulation_steps).

Usage: make_optimizer_references.py OUT_JSON

Each case holds the Keras class and its arguments (and, for weight decay exclusions, the
optimizer methods called with their var_names), and what Keras computed with
optimizer.apply_gradients: the weight after each of the three steps, and the optimizer's
variables after the last one, keyed by Keras' variable name less the weight's own prefix
("momentum" for "kernel_momentum"; Nadam's unnamed running product is "u_product").
The initial weight and the gradients are shared by every case (seeded). Cases with a bias
also apply the column sums of each gradient to a bias (what Jeras' Dense gets in the test);
with "finalize", "finalized" holds the weights after finalize_variable_values (use_ema: the
averages), which Keras runs at the end of fit. "iterations" is the raw step count
(optimizer._iterations; under gradient accumulation optimizer.iterations counts updates).
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
    # options whose effect needs more than one weight or the end of fit: a bias too (its
    # gradient the column sums of the kernel's), and finalize_variable_values after the steps
    "sgd_global_clipnorm": ("SGD", {"learning_rate": 0.1, "global_clipnorm": 1.0}, {},
                            {"bias": True}),
    "adam_global_clipnorm": ("Adam", {"learning_rate": 0.05, "global_clipnorm": 0.5}, {},
                             {"bias": True}),
    "adam_ema": ("Adam", {"learning_rate": 0.05, "use_ema": True, "ema_momentum": 0.9}, {},
                 {"bias": True, "finalize": True}),
    "sgd_ema_overwrite": ("SGD", {"learning_rate": 0.1, "momentum": 0.5, "use_ema": True,
                                  "ema_momentum": 0.8, "ema_overwrite_frequency": 2}, {},
                          {"finalize": True}),
    "adam_accumulation": ("Adam", {"learning_rate": 0.05, "gradient_accumulation_steps": 2}),
    "nadam_accumulation": ("Nadam", {"learning_rate": 0.05, "gradient_accumulation_steps": 2}),
    "adamw_accumulation_ema": ("AdamW", {"learning_rate": 0.05, "weight_decay": 0.2,
                                         "gradient_accumulation_steps": 2, "use_ema": True,
                                         "global_clipnorm": 1.5}, {},
                               {"bias": True, "finalize": True}),
}


def state_of(optimizer, kind, variable, others=False):
    """The optimizer's variables for one weight (slot names less the weight's prefix). With
    other weights, only the variables named after this one (Adagrad's and Ftrl's accumulators
    are named "accumulator" alone)."""
    prefix = variable.path.replace("/", "_") + "_"
    state = {}
    for v in optimizer.variables:
        if v is optimizer._iterations or v.name == "learning_rate":
            continue
        if kind == "Nadam" and v is optimizer._u_product:
            name = "u_product"
        elif v.name.startswith(prefix) or not others:
            name = v.name.removeprefix(prefix)
        else:
            continue
        assert name not in state, name
        state[name] = arr(v.numpy())
    return state


def run(kind, args, w0, b0, grads, calls=None, options=None):
    options = options or {}
    optimizer = getattr(keras.optimizers, kind)(**args)
    for method, var_names in (calls or {}).items():
        getattr(optimizer, method)(var_names=var_names)
    kernel = keras.Variable(w0, name="kernel")
    bias = keras.Variable(b0, name="bias") if options.get("bias") else None
    steps, bias_steps = [], []
    for g in grads:
        pairs = [(tf.constant(g), kernel)]
        if bias is not None:
            pairs.append((tf.constant(g.sum(axis=0)), bias))
        optimizer.apply_gradients(pairs)
        steps.append(arr(kernel.numpy()))
        if bias is not None:
            bias_steps.append(arr(bias.numpy()))
    case = {"optimizer": kind, "args": args, "steps": steps,
            "state": state_of(optimizer, kind, kernel, bias is not None),
            "iterations": int(optimizer._iterations.numpy())}
    if bias is not None:
        case["bias_steps"] = bias_steps
        case["bias_state"] = state_of(optimizer, kind, bias, True)
    if options.get("finalize"):
        optimizer.finalize_variable_values([kernel] + ([bias] if bias is not None else []))
        case["finalized"] = arr(kernel.numpy())
        if bias is not None:
            case["bias_finalized"] = arr(bias.numpy())
    if calls:
        case["calls"] = calls
    return case


def main(out):
    rng = np.random.default_rng(11)
    w0 = rng.normal(size=(2, 3)).astype(np.float32)
    grads = [rng.normal(size=(2, 3)).astype(np.float32) for _ in range(3)]
    b0 = rng.normal(size=(3,)).astype(np.float32)
    cases = {name: run(kind, args, w0, b0, grads, *rest)
             for name, (kind, args, *rest) in CASES.items()}
    with open(out, "w") as f:
        json.dump({"keras": keras.__version__, "tensorflow": tf.__version__,
                   "weight": arr(w0), "bias": arr(b0), "gradients": [arr(g) for g in grads],
                   "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
