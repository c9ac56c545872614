"""Scores a SavedModel exported by Jeras on Fashion-MNIST's test set with Python TensorFlow.

Usage: score_fashion_mnist.py MODEL_DIR [DATA_DIR]

DATA_DIR (default /usr/share/datasets/fashion-mnist, Debian's dataset-fashion-mnist) holds the
IDX files. Images are fed as Jeras' FashionMnist gives them: float32 in [0, 1], shape
(n, 28, 28, 1), to signatures["serving_default"]; the predicted class is output_0's argmax.
Prints the number and share of correctly classified test images.
"""
import gzip
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

BATCH = 500


def read_idx(path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        data = f.read()
    if data[:2] != b"\0\0" or data[2] != 0x08:
        sys.exit(f"{path}: not an IDX file of unsigned bytes")
    rank = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * rank).reshape(shape)


def one(data_dir, prefix):
    found = sorted(data_dir.glob(prefix + "*"))
    if not found:
        sys.exit(f"no {prefix}* file in {data_dir}")
    return read_idx(found[0])


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    data_dir = Path(sys.argv[2] if len(sys.argv) == 3 else "/usr/share/datasets/fashion-mnist")
    x = one(data_dir, "t10k-images").reshape(-1, 28, 28, 1).astype(np.float32) / 255
    y = one(data_dir, "t10k-labels").astype(np.int64)
    serve = tf.saved_model.load(sys.argv[1]).signatures["serving_default"]
    (key,) = serve.structured_input_signature[1].keys()
    scores = np.concatenate([serve(**{key: tf.constant(x[i:i + BATCH])})["output_0"].numpy()
                             for i in range(0, len(x), BATCH)])
    correct = int((scores.argmax(axis=1) == y).sum())
    print(f"TensorFlow {tf.__version__}: {correct}/{len(y)} test images correct,"
          f" accuracy {correct / len(y):.4f}")


if __name__ == "__main__":
    main()
