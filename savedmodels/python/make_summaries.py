"""Prints Keras 3's model.summary() for functional models that Jeras' ModelSummaryTest builds
the same way, as golden files: a residual block and a two-input model with a shared layer
(Keras' four-column layout with "Connected to"), a chain (three columns, with its InputLayer
row) and a frozen nested Sequential.

Usage: make_summaries.py OUT_DIR    (writes NAME.txt at 76 columns, NAME.108.txt at 108)
"""
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# rich crops what it prints at the console width; make room for the 108-column tables.
os.environ["COLUMNS"] = "112"
import keras  # noqa: E402
from keras import layers  # noqa: E402


def residual():
    i = keras.Input((8, 8, 3), name="image")
    x = layers.Conv2D(8, 3, strides=2, padding="same", use_bias=False, name="conv_a")(i)
    x = layers.BatchNormalization(name="bn_a")(x)
    x = layers.Activation("relu", name="relu_a")(x)
    x = layers.Conv2D(8, 3, padding="same", use_bias=False, name="conv_b")(x)
    x = layers.BatchNormalization(name="bn_b")(x)
    s = layers.Conv2D(8, 1, strides=2, use_bias=False, name="projection")(i)
    s = layers.BatchNormalization(name="bn_projection")(s)
    x = layers.Add(name="add")([x, s])
    x = layers.Activation("relu", name="relu_out")(x)
    x = layers.GlobalAveragePooling2D(name="pool")(x)
    return keras.Model(i, layers.Dense(3, activation="softmax", name="classes")(x),
                       name="residual")


def shared():
    a = keras.Input((4,), name="left")
    b = keras.Input((4,), name="right")
    d = layers.Dense(3, name="shared")
    total = layers.Add(name="sum")([d(a), d(b)])
    return keras.Model([a, b], [total, layers.Dense(1, name="aux")(b)], name="siamese")


def chain():
    c = keras.Input((784,), name="pixels")
    h = layers.Dense(32, activation="relu", name="hidden")(c)
    return keras.Model(c, layers.Dense(10, name="logits")(h), name="chain")


def nested():
    base = keras.Sequential([keras.Input((3,)), layers.Dense(4, name="inner")], name="base")
    base.trainable = False
    e = keras.Input((3,), name="features")
    return keras.Model(e, layers.Dense(2, name="head")(base(e)), name="outer")


def main(out):
    os.makedirs(out, exist_ok=True)
    for make in (residual, shared, chain, nested):
        model = make()
        for width, suffix in ((76, ""), (108, ".108")):
            lines = []
            model.summary(line_length=width, print_fn=lambda s, line_break=True: lines.append(s))
            with open(os.path.join(out, f"{make.__name__}{suffix}.txt"), "w") as f:
                f.write("".join(lines))
    print(sorted(os.listdir(out)))


if __name__ == "__main__":
    main(sys.argv[1])
