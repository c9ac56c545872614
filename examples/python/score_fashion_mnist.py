"""Scores a SavedModel exported by Jeras on Fashion-MNIST's test set with Python TensorFlow.

Usage: score_fashion_mnist.py MODEL_DIR [DATA_DIR]

DATA_DIR (default /usr/share/datasets/fashion-mnist, Debian's dataset-fashion-mnist) holds the
gzipped IDX files, read as the Keras benchmark reads them: float32 in [0, 1], shape
(n, 28, 28, 1), as Jeras' FashionMnist gives them. They are fed to signatures["serving_default"];
the predicted class is output_0's argmax. Prints the number and share of correct test images.
"""
import sys

from keras_benchmark import fashion  # first: it quiets TensorFlow's C++ log before the import

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

BATCH = 500


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    x, y = fashion(sys.argv[2] if len(sys.argv) == 3 else "/usr/share/datasets/fashion-mnist",
                   "test")
    serve = tf.saved_model.load(sys.argv[1]).signatures["serving_default"]
    (key,) = serve.structured_input_signature[1].keys()
    scores = np.concatenate([serve(**{key: tf.constant(x[i:i + BATCH])})["output_0"].numpy()
                             for i in range(0, len(x), BATCH)])
    correct = int((scores.argmax(axis=1) == y).sum())
    print(f"TensorFlow {tf.__version__}: {correct}/{len(y)} test images correct,"
          f" accuracy {correct / len(y):.4f}")


if __name__ == "__main__":
    main()
