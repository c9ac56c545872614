"""Computes Keras 3's losses on small fixed inputs, for Jeras' LossReferenceTest: every loss
Jeras has, with the options Keras gives it (from_logits, label_smoothing, alpha, gamma,
apply_class_balancing, axis), on edge values (zeros and ones in probabilities, zeros in the
labels of MAPE, zero vectors for the cosine, 0/1 and -1/1 labels for the hinges), and one
training epoch of a tiny softmax classifier compiled with CategoricalFocalCrossentropy.

Usage: make_loss_references.py OUT_JSON

Each loss case holds the Keras class and its arguments, the labels, the input x and the
activation applied to it (none, sigmoid or softmax: Keras then computes cross-entropies from x,
its _keras_logits), and what Keras computed: the per-sample losses (reduction "none"), the
loss with Keras' default reduction (sum_over_batch_size) and its gradient with respect to x.
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


def f32(a):
    return np.asarray(a, dtype=np.float32)


def loss_case(kind, args, y_true, x, activation=None):
    y_true = tf.constant(f32(y_true))
    x = tf.constant(f32(x))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y_pred = x if activation is None else getattr(keras.activations, activation)(x)
        value = getattr(keras.losses, kind)(**args)(y_true, y_pred)
    gradient = tape.gradient(value, x)
    y_pred = x if activation is None else getattr(keras.activations, activation)(x)
    per_sample = getattr(keras.losses, kind)(reduction="none", **args)(y_true, y_pred)
    return {"loss": kind, "args": args, "y_true": arr(y_true), "x": arr(x),
            "activation": activation, "per_sample": arr(per_sample),
            "value": float(value), "gradient": arr(gradient)}


def main(out):
    rng = np.random.default_rng(7)
    cases = {}

    # Binary labels and probabilities with exact 0 and 1 (clipped), logits with large values.
    b_true = [[1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 0, 0]]
    b_prob = [[0.9, 0.2, 0.0, 1.0], [0.3, 0.6, 0.5, 0.99], [0.01, 0.7, 0.45, 0.05]]
    b_logits = [[2.0, -1.0, -30.0, 25.0], [0.5, -0.3, 1.5, -2.0], [-4.0, 3.0, 0.2, -0.7]]
    for name, args in {
        "bce": {},
        "bce_smoothing": {"label_smoothing": 0.1},
    }.items():
        cases[name] = loss_case("BinaryCrossentropy", args, b_true, b_prob)
        cases[name + "_from_logits"] = loss_case(
            "BinaryCrossentropy", dict(args, from_logits=True), b_true, b_logits)
        cases[name + "_sigmoid"] = loss_case("BinaryCrossentropy", args, b_true, b_logits,
                                             "sigmoid")
    focal = {
        "binary_focal": {},
        "binary_focal_gamma_0": {"gamma": 0.0},
        "binary_focal_balanced": {"apply_class_balancing": True},
        "binary_focal_balanced_alpha_gamma": {"apply_class_balancing": True, "alpha": 0.4,
                                              "gamma": 3.0},
        "binary_focal_smoothing": {"label_smoothing": 0.1},
        "binary_focal_balanced_smoothing": {"apply_class_balancing": True,
                                            "label_smoothing": 0.1, "gamma": 1.5},
    }
    for name, args in focal.items():
        cases[name] = loss_case("BinaryFocalCrossentropy", args, b_true, b_prob)
        cases[name + "_from_logits"] = loss_case(
            "BinaryFocalCrossentropy", dict(args, from_logits=True), b_true, b_logits)
        cases[name + "_sigmoid"] = loss_case("BinaryFocalCrossentropy", args, b_true, b_logits,
                                             "sigmoid")

    # One-hot labels; probabilities unnormalized, with zeros; logits with a large gap.
    c_true = [[0, 0, 1], [0, 1, 0], [1, 0, 0], [0, 0, 1]]
    c_prob = [[0.2, 0.3, 0.5], [1.0, 1.0, 2.0], [0.0, 0.5, 0.5], [0.05, 0.05, 0.9]]
    c_logits = [[1.0, 2.0, 3.0], [0.0, 40.0, -3.0], [-1.0, 0.5, 2.0], [0.3, -0.2, 0.1]]
    for name, args in {
        "cce": {},
        "cce_smoothing": {"label_smoothing": 0.1},
    }.items():
        cases[name] = loss_case("CategoricalCrossentropy", args, c_true, c_prob)
        cases[name + "_from_logits"] = loss_case(
            "CategoricalCrossentropy", dict(args, from_logits=True), c_true, c_logits)
        cases[name + "_softmax"] = loss_case("CategoricalCrossentropy", args, c_true, c_logits,
                                             "softmax")
    c3_true = np.eye(4, dtype=np.float32)[rng.integers(0, 4, size=(2, 3))]
    c3_logits = rng.normal(size=(2, 3, 4)).astype(np.float32)
    cases["cce_smoothing_3d_softmax"] = loss_case(
        "CategoricalCrossentropy", {"label_smoothing": 0.2}, c3_true, c3_logits, "softmax")
    cfocal = {
        "categorical_focal": {},
        "categorical_focal_alpha_gamma": {"alpha": 0.6, "gamma": 1.0},
        "categorical_focal_alpha_list": {"alpha": [0.2, 0.3, 0.5]},
        "categorical_focal_gamma_0_alpha_1": {"alpha": 1.0, "gamma": 0.0},
        "categorical_focal_smoothing": {"label_smoothing": 0.1},
    }
    for name, args in cfocal.items():
        cases[name] = loss_case("CategoricalFocalCrossentropy", args, c_true, c_prob)
        cases[name + "_from_logits"] = loss_case(
            "CategoricalFocalCrossentropy", dict(args, from_logits=True), c_true, c_logits)
        cases[name + "_softmax"] = loss_case("CategoricalFocalCrossentropy", args, c_true,
                                             c_logits, "softmax")
    cases["categorical_focal_3d_softmax"] = loss_case(
        "CategoricalFocalCrossentropy", {"gamma": 2.5, "label_smoothing": 0.05}, c3_true,
        c3_logits, "softmax")

    # Hinges: 0/1 labels (Keras maps them to -1/1), -1/1 labels, and mixed -1/0/1 labels (not
    # mapped, since they are not all 0 or 1).
    h_pred = [[0.3, -1.2, 2.0, 0.9], [-0.4, 0.1, 1.6, -2.5], [1.1, -0.6, -0.2, 0.7]]
    h01 = b_true
    hpm = [[1, -1, 1, -1], [-1, -1, 1, 1], [1, 1, -1, -1]]
    hmixed = [[1, 0, -1, 1], [0, -1, 1, 1], [1, 0, 0, -1]]
    for kind, prefix in (("Hinge", "hinge"), ("SquaredHinge", "squared_hinge")):
        cases[prefix + "_01"] = loss_case(kind, {}, h01, h_pred)
        cases[prefix + "_pm1"] = loss_case(kind, {}, hpm, h_pred)
        cases[prefix + "_mixed"] = loss_case(kind, {}, hmixed, h_pred)
    cases["hinge_3d"] = loss_case("Hinge", {}, rng.integers(0, 2, size=(2, 3, 4)),
                                  rng.normal(size=(2, 3, 4)))
    cases["categorical_hinge"] = loss_case("CategoricalHinge", {}, c_true, c_logits)
    cases["categorical_hinge_pm1"] = loss_case(
        "CategoricalHinge", {}, [[-1, -1, 1], [-1, 1, -1], [1, -1, -1], [-1, -1, 1]], c_prob)

    # Distributions with zeros (clipped to 1e-7) and a value above 1 (clipped to 1).
    k_true = [[0.2, 0.3, 0.5], [0.0, 1.0, 0.0], [0.25, 0.25, 0.5], [0.1, 0.0, 0.9]]
    k_pred = [[0.3, 0.3, 0.4], [0.1, 0.8, 0.1], [0.0, 0.4, 0.6], [1.2, 0.3, 0.2]]
    cases["kl_divergence"] = loss_case("KLDivergence", {}, k_true, k_pred)
    cases["kl_divergence_softmax"] = loss_case("KLDivergence", {}, k_true, c_logits, "softmax")

    r_true = [[1.0, -2.0, 0.5, 3.0], [0.0, 0.0, 10.0, -4.0], [2.0, 2.0, -1.0, 0.3]]
    r_pred = [[1.5, -1.0, 0.4, 60.0], [0.2, -0.3, 9.0, -4.5], [-50.0, 2.1, -0.9, 0.0]]
    cases["log_cosh"] = loss_case("LogCosh", {}, r_true, r_pred)
    cases["mean_absolute_percentage_error"] = loss_case("MeanAbsolutePercentageError", {},
                                                        r_true, r_pred)
    cases["mean_squared_logarithmic_error"] = loss_case("MeanSquaredLogarithmicError", {},
                                                        r_true, r_pred)
    cases["mean_squared_error"] = loss_case("MeanSquaredError", {}, r_true, r_pred)
    cases["mean_absolute_error"] = loss_case("MeanAbsoluteError", {}, r_true, r_pred)
    cases["huber"] = loss_case("Huber", {}, r_true, r_pred)
    cases["huber_delta"] = loss_case("Huber", {"delta": 2.5}, r_true, r_pred)
    p_true = [[1.0, 0.0, 3.0], [2.0, 5.0, 0.0], [0.0, 0.0, 1.0]]
    p_pred = [[0.5, 0.0, 2.0], [2.5, 4.0, 0.1], [0.3, 1.0, 1.0]]
    cases["poisson"] = loss_case("Poisson", {}, p_true, p_pred)
    cases["poisson_exp"] = loss_case("Poisson", {}, p_true, [[0.3, -1.2, 2.0], [-0.4, 0.1, 1.6],
                                                            [1.1, -0.6, -0.2]], "exponential")
    cases["cosine_similarity"] = loss_case(
        "CosineSimilarity", {}, [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [1.0, -1.0, 0.5],
                                 [3.0, 0.0, 0.0]],
        [[2.0, 4.0, 6.0], [0.5, -0.2, 1.0], [-1.0, 1.0, -0.5], [0.1, 2.0, -0.3]])
    cases["cosine_similarity_3d"] = loss_case("CosineSimilarity", {},
                                              rng.normal(size=(2, 3, 4)),
                                              rng.normal(size=(2, 3, 4)))
    cases["cosine_similarity_axis_1"] = loss_case("CosineSimilarity", {"axis": 1},
                                                  rng.normal(size=(2, 3, 4)),
                                                  rng.normal(size=(2, 3, 4)))
    cases["sparse_cce"] = loss_case("SparseCategoricalCrossentropy", {}, [2, 1, 0, 2], c_prob)
    cases["sparse_cce_softmax"] = loss_case("SparseCategoricalCrossentropy", {}, [2, 1, 0, 2],
                                            c_logits, "softmax")

    # Training: Dense(3, softmax) on 5 features, CategoricalFocalCrossentropy (label smoothing
    # 0.1), SGD 0.5, batch 4, 2 steps in 1 epoch, no shuffling.
    x = rng.normal(size=(8, 5)).astype(np.float32)
    y = np.eye(3, dtype=np.float32)[rng.integers(0, 3, size=8)]
    kernel = rng.normal(size=(5, 3)).astype(np.float32)
    bias = rng.normal(size=3).astype(np.float32) * 0.1
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3, activation="softmax")])
    model.layers[0].set_weights([kernel, bias])
    model.compile(keras.optimizers.SGD(0.5),
                  keras.losses.CategoricalFocalCrossentropy(label_smoothing=0.1))
    history = model.fit(x, y, epochs=1, batch_size=4, shuffle=False, verbose=0)
    training = {"x": arr(x), "y": arr(y), "kernel": arr(kernel), "bias": arr(bias),
                "loss": float(history.history["loss"][0]),
                "kernel_after": arr(model.layers[0].get_weights()[0]),
                "bias_after": arr(model.layers[0].get_weights()[1])}

    with open(out, "w") as f:
        json.dump({"keras": keras.__version__, "tensorflow": tf.__version__, "cases": cases,
                   "training": training}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
