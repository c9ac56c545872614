"""The Python Keras side of Jeras' benchmarks: the same models, data, optimizer and batch sizes
as io.jeras.examples.benchmarks.Worker, measured the same way. Prints `RESULT {json}`.

Usage: keras_benchmark.py MODE [ARG] --data DIR [--policy float32|mixed_bfloat16|mixed_float16]
  train-cnn        samples/s of one epoch of the benchmark CNN (Fashion-MNIST, Adam, batch 128),
                   after a warm-up epoch, median of 3
  train-catsdogs   the same for the cats-vs-dogs CNN on 512 synthetic 150x150x3 images, batch 32
  train-lstm       the same for an LSTM(64) classifier on 4,096 synthetic sequences of 50 steps
                   of 8 features, batch 128 (Keras' LSTM runs its own loop, Jeras' is unrolled)
  infer DIR        single-image latency (p50, p99 of 1,000 calls) and batch-256 throughput of
                   the SavedModel DIR through tf.saved_model.load(...).signatures
  accuracy         test accuracy after 10 epochs of the benchmark CNN
TensorFlow's thread settings are left at their defaults, as Jeras leaves them. --policy sets
Keras' global dtype policy before the model is built (keras.mixed_precision.set_global_policy).
"""
import argparse
import gzip
import json
import os
import resource
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402


def idx(directory, name):
    with gzip.open(os.path.join(directory, name + ".gz")) as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def fashion(directory, subset):
    prefix = "train" if subset == "train" else "t10k"
    x = idx(directory, prefix + "-images-idx3-ubyte").astype("float32")[..., None] / 255.0
    y = idx(directory, prefix + "-labels-idx1-ubyte").astype("int64")
    return x, y


def benchmark_cnn():
    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def cats_vs_dogs_cnn():
    model = keras.Sequential([keras.Input((150, 150, 3)), layers.Rescaling(1 / 255.0)])
    for filters in (32, 64, 128, 128):
        model.add(layers.Conv2D(filters, 3, activation="relu", padding="same"))
        model.add(layers.MaxPooling2D(2))
    model.add(layers.Flatten())
    model.add(layers.Dropout(0.5))
    model.add(layers.Dense(512, activation="relu"))
    model.add(layers.Dense(256, activation="relu"))
    model.add(layers.Dense(1, activation="sigmoid"))
    model.compile(optimizer=keras.optimizers.Adam(), loss="binary_crossentropy",
                  metrics=["accuracy"])
    return model


def lstm_classifier():
    model = keras.Sequential([keras.Input((50, 8)), layers.LSTM(64),
                              layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(), loss="binary_crossentropy",
                  metrics=["accuracy"])
    return model


def throughput(model, x, y, batch):
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
    rates = []
    for _ in range(3):
        start = time.perf_counter()
        model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
        rates.append(len(x) / (time.perf_counter() - start))
    return {"keras_samples_per_s": float(np.median(rates)), "keras_rounds": rates}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode")
    parser.add_argument("arg", nargs="?")
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--policy", default="float32")
    a = parser.parse_args()
    keras.utils.set_random_seed(1)
    keras.mixed_precision.set_global_policy(a.policy)
    if a.mode == "train-cnn":
        x, y = fashion(a.data, "train")
        result = throughput(benchmark_cnn(), x, y, 128)
    elif a.mode == "train-catsdogs":
        rng = np.random.default_rng(3)
        x = rng.integers(0, 256, (512, 150, 150, 3)).astype("float32")
        y = rng.integers(0, 2, (512, 1)).astype("float32")
        result = throughput(cats_vs_dogs_cnn(), x, y, 32)
    elif a.mode == "train-lstm":
        rng = np.random.default_rng(7)
        x = rng.normal(size=(4096, 50, 8)).astype("float32")
        y = (x.sum(axis=(1, 2)) > 0).astype("float32")[:, None]
        result = throughput(lstm_classifier(), x, y, 128)
    elif a.mode == "infer":
        serve = tf.saved_model.load(a.arg).signatures["serving_default"]
        name = list(serve.structured_input_signature[1].keys())[0]
        rng = np.random.default_rng(5)
        batch = rng.random((256, 28, 28, 1), dtype=np.float32)
        one = batch[:1]
        for _ in range(200):
            serve(**{name: tf.constant(one)})
        times = []
        for _ in range(1000):
            start = time.perf_counter()
            {k: v.numpy() for k, v in serve(**{name: tf.constant(one)}).items()}
            times.append(time.perf_counter() - start)
        times.sort()
        for _ in range(5):
            serve(**{name: tf.constant(batch)})
        start = time.perf_counter()
        for _ in range(30):
            {k: v.numpy() for k, v in serve(**{name: tf.constant(batch)}).items()}
        seconds = time.perf_counter() - start
        result = {"p50_ms": times[500] * 1e3, "p99_ms": times[990] * 1e3,
                  "batch256_samples_per_s": 30 * 256 / seconds}
    elif a.mode == "accuracy":
        x, y = fashion(a.data, "train")
        xt, yt = fashion(a.data, "test")
        model = benchmark_cnn()
        start = time.perf_counter()
        model.fit(x, y, batch_size=128, epochs=10, verbose=0)
        seconds = time.perf_counter() - start
        result = {"test_accuracy": float(model.evaluate(xt, yt, batch_size=128, verbose=0)[1]),
                  "fit_seconds": seconds}
    else:
        sys.exit("unknown mode " + a.mode)
    result["policy"] = a.policy
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    result["versions"] = {"tensorflow": tf.__version__, "keras": keras.__version__,
                          "python": sys.version.split()[0]}
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
