"""The Keras twin of Jeras' language-classifier example: the same fortunes (the TSV the Java
program writes with --tsv), the same TextVectorization (20,000 tokens, 40 steps), Embedding with
mask_zero, Bidirectional LSTM(32), softmax over the 4 languages, Adam, 3 epochs of batch 64.
Prints `RESULT {json}` with the test accuracy and the seconds fit took.

Usage: keras_text_classifier.py TSV [--epochs 3]
"""
import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tsv")
    parser.add_argument("--epochs", type=int, default=3)
    a = parser.parse_args()
    keras.utils.set_random_seed(7)
    split = {"train": ([], []), "test": ([], [])}
    with open(a.tsv, encoding="utf-8") as f:
        for line in f:
            which, label, text = line.rstrip("\n").split("\t", 2)
            split[which][0].append(text)
            split[which][1].append(int(label))
    vectorizer = layers.TextVectorization(max_tokens=20000, output_sequence_length=40)
    vectorizer.adapt(split["train"][0])
    x = np.asarray(vectorizer(split["train"][0]))
    y = np.asarray(split["train"][1])
    xt = np.asarray(vectorizer(split["test"][0]))
    yt = np.asarray(split["test"][1])
    model = keras.Sequential([keras.Input((40,)),
                              layers.Embedding(vectorizer.vocabulary_size(), 32, mask_zero=True),
                              layers.Bidirectional(layers.LSTM(32)),
                              layers.Dense(4, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(x, y, batch_size=64, epochs=a.epochs, verbose=0)
    seconds = time.perf_counter() - start
    accuracy = float(model.evaluate(xt, yt, batch_size=64, verbose=0)[1])
    print("RESULT " + json.dumps({"test_accuracy": accuracy, "fit_seconds": seconds,
                                  "train": len(y), "test": len(yt),
                                  "keras": keras.__version__}), flush=True)


if __name__ == "__main__":
    main()
