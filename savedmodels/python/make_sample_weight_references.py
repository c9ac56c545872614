"""Keras 3's sample_weight and class_weight on a small softmax model, for Jeras'
SampleWeightReferenceTest.

Usage: make_sample_weight_references.py OUT_JSON

A Dense(3, softmax) layer on 4 features with a fixed (seeded) kernel and bias, 10 samples.
Cases: evaluate with sample weights (batches of 4: the last batch has 2 samples), also with
weighted_metrics (accuracy, then logged as weighted_accuracy, and sparse top-2 accuracy), and
fit with class weights and those weighted metrics; fit for one
epoch (SGD 0.1, batches of 4, no shuffling) with sample weights, and with class weights on
sparse and on one-hot labels, and with the losses' reductions "sum" and
"mean_with_sample_weight"; train_on_batch, train_on_batch with sample weights,
test_on_batch, reset_metrics, test_on_batch (the logs each returned), predict_on_batch. Each
records the loss and accuracy Keras reports and, for fit,
the weights after the epoch. RegeneratedFixturesTest reruns this script and compares with the
committed file.
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


def model(kernel, bias, loss, weighted_metrics=None):
    m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    m.layers[0].set_weights([kernel, bias])
    m.compile(keras.optimizers.SGD(0.1), loss, metrics=["accuracy"],
              weighted_metrics=weighted_metrics)
    return m


def main(out):
    rng = np.random.default_rng(5)
    kernel = rng.normal(size=(4, 3)).astype(np.float32)
    bias = rng.normal(size=(3,)).astype(np.float32) * 0.1
    x = rng.normal(size=(10, 4)).astype(np.float32)
    labels = rng.integers(0, 3, size=(10,)).astype(np.float32)
    onehot = np.eye(3, dtype=np.float32)[labels.astype(int)]
    sample_weight = rng.uniform(0, 2, size=(10,)).astype(np.float32)
    class_weight = {0: 1.0, 1: 3.0, 2: 0.25}
    sparse = "sparse_categorical_crossentropy"
    cases = {}
    m = model(kernel, bias, sparse)
    result = m.evaluate(x, labels, sample_weight=sample_weight, batch_size=4, verbose=0,
                        return_dict=True)
    cases["evaluate_sample_weight"] = {"loss": float(result["loss"]),
                                       "accuracy": float(result["accuracy"])}
    # weighted_metrics: "accuracy" again is logged as weighted_accuracy (a new metric object
    # for each model: Keras does not reset one shared with an earlier model)
    def weighted():
        return ["accuracy", keras.metrics.SparseTopKCategoricalAccuracy(k=2)]
    m = model(kernel, bias, sparse, weighted())
    result = m.evaluate(x, labels, sample_weight=sample_weight, batch_size=4, verbose=0,
                        return_dict=True)
    cases["evaluate_weighted_metrics"] = {k: float(v) for k, v in result.items()}
    m = model(kernel, bias, sparse, weighted())
    history = m.fit(x, labels, batch_size=4, epochs=1, shuffle=False, verbose=0,
                    class_weight=class_weight)
    cases["fit_class_weight_weighted_metrics"] = {k: float(v[0])
                                                  for k, v in history.history.items()}
    for name, y, loss, kwargs in [
            ("fit_sample_weight", labels, sparse, {"sample_weight": sample_weight}),
            ("fit_class_weight_sparse", labels, sparse, {"class_weight": class_weight}),
            ("fit_class_weight_onehot", onehot, "categorical_crossentropy",
             {"class_weight": class_weight}),
            ("fit_reduction_sum", labels,
             keras.losses.SparseCategoricalCrossentropy(reduction="sum"), {}),
            ("fit_reduction_mean_with_sample_weight", labels,
             keras.losses.SparseCategoricalCrossentropy(reduction="mean_with_sample_weight"),
             {"sample_weight": sample_weight})]:
        m = model(kernel, bias, loss)
        history = m.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0, **kwargs)
        k, b = m.layers[0].get_weights()
        cases[name] = {"loss": float(history.history["loss"][0]),
                       "accuracy": float(history.history["accuracy"][0]),
                       "kernel": arr(k), "bias": arr(b)}
    # train_on_batch / test_on_batch: Keras 3 keeps the metrics running across the calls
    m = model(kernel, bias, sparse)
    first = m.train_on_batch(x[:4], labels[:4], return_dict=True)
    second = m.train_on_batch(x[4:8], labels[4:8], sample_weight=sample_weight[4:8],
                              return_dict=True)
    third = m.test_on_batch(x[8:], labels[8:], return_dict=True)
    m.reset_metrics()
    fourth = m.test_on_batch(x[8:], labels[8:], return_dict=True)
    k, b = m.layers[0].get_weights()
    cases["on_batch"] = {"logs": [{key: float(v) for key, v in logs.items()}
                                  for logs in (first, second, third, fourth)],
                         "kernel": arr(k), "bias": arr(b),
                         "predict_on_batch": arr(m.predict_on_batch(x[:3]))}
    with open(out, "w") as f:
        json.dump({"keras": keras.__version__, "tensorflow": tf.__version__,
                   "kernel": arr(kernel), "bias": arr(bias), "x": arr(x), "labels": arr(labels),
                   "sample_weight": arr(sample_weight),
                   "class_weight": {str(k): v for k, v in class_weight.items()},
                   "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
