"""Keras 3's stateful metrics on fixed (seeded) labels and predictions, for Jeras'
MetricReferenceTest.

Usage: make_metric_references.py OUT_JSON

Two batches of a binary problem (16 labels 0/1, probabilities and their logits) and two of a
4-class problem (one-hot and sparse labels, softmax probabilities). Each case names the Keras
class, its arguments and which data it runs on; "result" is metric.result() after
update_state on both batches, "first" after the first batch alone; "weighted_result" and
"weighted_first" the same with sample_weight (one weight per sample, some 0).
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
    "auc": ("AUC", {}, "binary"),
    "auc_pr": ("AUC", {"curve": "PR"}, "binary"),
    "auc_minoring_50": ("AUC", {"num_thresholds": 50, "summation_method": "minoring"},
                        "binary"),
    "auc_pr_majoring": ("AUC", {"curve": "PR", "summation_method": "majoring"}, "binary"),
    "auc_from_logits": ("AUC", {"from_logits": True}, "logits"),
    "auc_multiclass_flattened": ("AUC", {}, "onehot"),
    "precision": ("Precision", {}, "binary"),
    "precision_threshold": ("Precision", {"thresholds": 0.3}, "binary"),
    "precision_class_id": ("Precision", {"class_id": 1}, "onehot"),
    "recall": ("Recall", {}, "binary"),
    "recall_threshold": ("Recall", {"thresholds": 0.7}, "binary"),
    "recall_class_id": ("Recall", {"class_id": 2}, "onehot"),
    "top_k": ("TopKCategoricalAccuracy", {"k": 2}, "onehot"),
    "sparse_top_k": ("SparseTopKCategoricalAccuracy", {"k": 2}, "sparse"),
    "f1_micro": ("F1Score", {"average": "micro"}, "onehot"),
    "f1_macro": ("F1Score", {"average": "macro"}, "onehot"),
    "f1_weighted": ("F1Score", {"average": "weighted"}, "onehot"),
    "fbeta_macro_threshold": ("FBetaScore", {"average": "macro", "beta": 2.0,
                                             "threshold": 0.3}, "onehot"),
    "mean_iou": ("MeanIoU", {"num_classes": 4, "sparse_y_pred": False}, "sparse"),
    "mean_iou_onehot": ("MeanIoU", {"num_classes": 4, "sparse_y_true": False,
                                           "sparse_y_pred": False}, "onehot"),
    "mean_iou_ignore_class": ("MeanIoU", {"num_classes": 4, "sparse_y_pred": False,
                                          "ignore_class": 0}, "sparse"),
    "auc_multi_label": ("AUC", {"multi_label": True}, "onehot"),
    "auc_multi_label_pr_label_weights": ("AUC", {"multi_label": True, "curve": "PR",
                                                 "label_weights": [1.0, 2.0, 0.5, 1.0]},
                                         "onehot"),
    "auc_label_weights_flattened": ("AUC", {"label_weights": [1.0, 2.0, 0.5, 1.0]},
                                    "onehot"),
    "precision_top_k": ("Precision", {"top_k": 2}, "onehot"),
    "precision_top_k_threshold": ("Precision", {"top_k": 1, "thresholds": 0.3}, "onehot"),
    "recall_top_k_class_id": ("Recall", {"top_k": 2, "class_id": 1}, "onehot"),
    "binary_accuracy": ("BinaryAccuracy", {}, "binary"),
    "categorical_accuracy": ("CategoricalAccuracy", {}, "onehot"),
    "mean_absolute_error": ("MeanAbsoluteError", {}, "onehot"),
}


def main(out):
    rng = np.random.default_rng(3)
    binary_true = rng.integers(0, 2, size=(2, 16, 1)).astype(np.float32)
    logits = (rng.normal(size=(2, 16, 1)) + 1.5 * (binary_true - 0.5)).astype(np.float32)
    binary_pred = (1 / (1 + np.exp(-logits.astype(np.float64)))).astype(np.float32)
    sparse = rng.integers(0, 4, size=(2, 16)).astype(np.float32)
    onehot = np.eye(4, dtype=np.float32)[sparse.astype(int)]
    scores = rng.normal(size=(2, 16, 4)) + 1.2 * onehot
    softmax = (np.exp(scores) / np.exp(scores).sum(-1, keepdims=True)).astype(np.float32)
    data = {"binary": (binary_true, binary_pred), "logits": (binary_true, logits),
            "onehot": (onehot, softmax), "sparse": (sparse, softmax)}
    # one weight per sample of each batch, some of them 0
    weights = (rng.uniform(0, 2, size=(2, 16)) * (rng.uniform(size=(2, 16)) > 0.2)).astype(
        np.float32)
    cases = {}
    for name, (kind, args, on) in CASES.items():
        metric = getattr(keras.metrics, kind)(**args)
        y_true, y_pred = data[on]
        metric.update_state(y_true[0], y_pred[0])
        first = float(metric.result())
        metric.update_state(y_true[1], y_pred[1])
        result = float(metric.result())
        weighted = getattr(keras.metrics, kind)(**args)
        weighted.update_state(y_true[0], y_pred[0], sample_weight=weights[0])
        weighted_first = float(weighted.result())
        weighted.update_state(y_true[1], y_pred[1], sample_weight=weights[1])
        cases[name] = {"metric": kind, "args": args, "data": on, "first": first,
                       "result": result, "weighted_first": weighted_first,
                       "weighted_result": float(weighted.result())}
    with open(out, "w") as f:
        json.dump({"keras": keras.__version__, "tensorflow": tf.__version__,
                   "data": {k: [arr(v[0]), arr(v[1])] for k, v in data.items()},
                   "weights": arr(weights),
                   "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
