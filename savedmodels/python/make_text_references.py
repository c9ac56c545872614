"""Keras 3's text and time-series input on fixed data, for Jeras' TextVectorizationReferenceTest,
TextDatasetsReferenceTest and TimeseriesReferenceTest.

Usage: make_text_references.py OUT_JSON

"vectorization": TextVectorization configurations, each adapted on one small corpus (words
tied in count, punctuation, upper case, non-ASCII letters, emoji, a fullwidth letter that
UTF-8 and UTF-16 sort differently, ASCII and non-ASCII whitespace), or given a vocabulary;
each case records its arguments, the vocabulary, the IDF weights in tf_idf mode and the
outputs on a batch of test texts. Cases with split=None are
adapted and called on texts shaped (n, 1), one document per row.
"timeseries": timeseries_dataset_from_array on arange data for several option sets, every
batch's windows and targets, without shuffling; with shuffling, the windows as a sorted set
and the start positions NumPy's RandomState(seed) shuffles before tf.data's buffered shuffle.
"shuffles": np.random.RandomState(seed).shuffle of arange(n) for a few seeds and sizes.
"directory": text_dataset_from_directory on a small folder this script writes to a temporary
directory (its files are recorded in "files": path -> text): class names and every batch
(texts, labels) without shuffling for several option sets, and the (text, label) pairs of a
seeded validation split. Texts are the files' bytes decoded as UTF-8 with errors="replace".
RegeneratedFixturesTest reruns this script and compares with the committed file.
"""
import json
import os
import shutil
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402


def arr(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "values": [float(v) for v in a.reshape(-1)]}


def text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


CORPUS = [
    "The cat sat on the mat.",
    "The DOG sat; the dog ran!",
    "A cat, a dog & a bird...",
    "Éric's café: crème brûlée, ÉCOLE, straße",
    "emoji 😀 and 👍🏽 and 😀 \uff21",
    "tabs\tand\nnewlines\x0bvertical\x0cfeed\rreturn",
    "no\u00a0break and ideographic\u3000space",
    "[UNK] is a token too",
    "zebra yak xylophone",
    "well-known e-mail (at) example.com",
]

TEST_TEXTS = [
    "the cat and the unknown dog",
    "",
    "   ",
    "!!! ... ???",
    "ÉCOLE école École",
    "😀 cat 👍🏽",
    "The quick brown fox jumps over the lazy dog, then the cat sat on the mat again.",
    "well-known\tzebra\nyak",
]

VECTORIZATION = {
    "default": {},
    "int_sequence_length": {"max_tokens": 12, "output_sequence_length": 6},
    "int_sequence_length_long": {"output_sequence_length": 20},
    "lower_character": {"standardize": "lower", "split": "character", "max_tokens": 15},
    "no_standardize": {"standardize": None},
    "strip_punctuation_bigrams_multi_hot": {"standardize": "strip_punctuation", "ngrams": 2,
                                            "output_mode": "multi_hot"},
    "count_padded": {"output_mode": "count", "max_tokens": 20, "pad_to_max_tokens": True},
    "count": {"output_mode": "count"},
    "tf_idf_bigrams": {"output_mode": "tf_idf", "ngrams": 2},
    "tf_idf_max_tokens": {"output_mode": "tf_idf", "max_tokens": 8},
    "int_trigrams": {"ngrams": 3, "max_tokens": 30, "output_sequence_length": 8},
    "int_ngram_widths": {"ngrams": [2, 3]},
    "no_split_int": {"split": None},
    "no_split_multi_hot": {"split": None, "output_mode": "multi_hot"},
    "vocabulary_int": {"vocabulary": ["cat", "dog", "the", "école", "😀"]},
    "vocabulary_with_special_tokens": {"vocabulary": ["", "[UNK]", "cat", "dog", "the"]},
    "vocabulary_multi_hot": {"vocabulary": ["cat", "dog", "the"], "output_mode": "multi_hot"},
    "vocabulary_tf_idf": {"vocabulary": ["cat", "dog", "the"], "output_mode": "tf_idf",
                          "idf_weights": [0.5, 1.25, 2.0]},
    "vocabulary_tf_idf_special": {"vocabulary": ["[UNK]", "cat", "dog", "the"],
                                  "output_mode": "tf_idf",
                                  "idf_weights": [0.75, 0.5, 1.25, 2.0]},
}


def vectorization():
    cases = {}
    for name, args in VECTORIZATION.items():
        kwargs = dict(args)
        if isinstance(kwargs.get("ngrams"), list):
            kwargs["ngrams"] = tuple(kwargs["ngrams"])
        layer = keras.layers.TextVectorization(**kwargs)
        column = "split" in args and args["split"] is None
        corpus = np.array(CORPUS)[:, None] if column else CORPUS
        tests = np.array(TEST_TEXTS)[:, None] if column else TEST_TEXTS
        if "vocabulary" not in args:
            layer.adapt(corpus)
        case = {"args": args, "vocabulary": [text(v) for v in layer.get_vocabulary()],
                "output": arr(layer(tests))}
        if layer._output_mode == "tf_idf":
            case["idf_weights"] = arr(layer._lookup_layer.idf_weights_const)
        cases[name] = case
    return cases


TIMESERIES = {
    "doc_example": {"n": 99, "features": 1, "targets": True,
                    "args": {"sequence_length": 10, "sampling_rate": 2, "sequence_stride": 3,
                             "batch_size": 8}},
    "defaults_no_targets": {"n": 30, "features": 2, "targets": False,
                            "args": {"sequence_length": 5}},
    "start_end": {"n": 50, "features": 3, "targets": True,
                  "args": {"sequence_length": 4, "sequence_stride": 2, "batch_size": 5,
                           "start_index": 7, "end_index": 40}},
    "scalar_series_targets_2d": {"n": 25, "features": 0, "targets": "2d",
                                 "args": {"sequence_length": 6, "batch_size": 4}},
    "short_targets": {"n": 40, "features": 1, "targets": 12,
                      "args": {"sequence_length": 3, "batch_size": 5}},
    "shuffled": {"n": 60, "features": 2, "targets": True,
                 "args": {"sequence_length": 5, "sequence_stride": 2, "batch_size": 4,
                          "shuffle": True, "seed": 1337}},
}


def series(spec):
    n, features = spec["n"], spec["features"]
    data = np.arange(n * max(features, 1), dtype=np.float32)
    data = data.reshape((n,) if features == 0 else (n, features))
    targets = spec["targets"]
    if targets is True:
        targets = np.arange(n, dtype=np.float32) * 10
    elif targets == "2d":
        targets = np.stack([np.arange(n), -np.arange(n)], axis=1).astype(np.float32)
    elif isinstance(targets, int) and not isinstance(targets, bool):
        targets = np.arange(targets, dtype=np.float32) * 10
    else:
        targets = None
    return data, targets


def timeseries():
    cases = {}
    for name, spec in TIMESERIES.items():
        data, targets = series(spec)
        ds = keras.utils.timeseries_dataset_from_array(data, targets, **spec["args"])
        case = dict(spec)
        case["data"] = arr(data)
        if targets is not None:
            case["target_values"] = arr(targets)
        batches = []
        for batch in ds:
            x, y = batch if targets is not None else (batch, None)
            batches.append({"x": arr(x), "y": None if y is None else arr(y)})
        if spec["args"].get("shuffle"):
            windows = sorted(tuple(np.asarray(b["x"]["values"]).reshape(-1)) for b in [
                {"x": arr(w)} for batch in batches
                for w in np.asarray(batch["x"]["values"], np.float32).reshape(
                    batch["x"]["shape"])])
            case["window_set"] = [list(w) for w in windows]
            args = spec["args"]
            num = len(data) - (args["sequence_length"] - 1) * args.get("sampling_rate", 1)
            positions = np.arange(0, num, args.get("sequence_stride", 1), dtype="int32")
            np.random.RandomState(args["seed"]).shuffle(positions)
            case["numpy_positions"] = [int(p) for p in positions]
        else:
            case["batches"] = batches
        cases[name] = case
    return cases


def shuffles():
    cases = []
    for seed, n in [(0, 10), (1, 1), (1337, 37), (42, 1000), (2**32 - 1, 100), (123456, 3000)]:
        order = np.arange(n)
        np.random.RandomState(seed).shuffle(order)
        cases.append({"seed": seed, "n": n, "order": [int(i) for i in order]})
    return cases


FILES = {
    "neg/b.txt": "bad movie",
    "neg/a.txt": "awful, truly awful",
    "neg/notes.md": "not a text file",
    "neg/deep/c.txt": "nested negative",
    "pos/zz.TXT": "upper-case extension counts",
    "pos/b.txt": "a fine café",
    "pos/a.txt": "abcdeé and more",
    "pos/sub/x.txt": "nested deeper",
    "pos/a/y.txt": "nested under a",
    "pos/.hidden.txt": "a hidden file is read",
    "unsup/u1.txt": "no label at all",
    "unsup/u0.txt": "first unlabeled",
    ".git/ignored.txt": "hidden folders are not classes",
    "top.txt": "a file beside the classes",
}

DIRECTORY = {
    "int": {"batch_size": 3, "shuffle": False},
    "categorical_max_length": {"label_mode": "categorical", "batch_size": 4, "max_length": 6,
                               "shuffle": False},
    "binary_two_classes": {"label_mode": "binary", "class_names": ["pos", "neg"],
                           "batch_size": 5, "shuffle": False},
    "no_labels": {"label_mode": None, "batch_size": 32, "shuffle": False},
    "class_names_subset": {"class_names": ["unsup", "neg"], "batch_size": 2, "shuffle": False},
}

SPLIT = {"validation_split": 0.3, "seed": 1337, "batch_size": 4}


def directory():
    root = tempfile.mkdtemp()
    try:
        for path, content in FILES.items():
            full = os.path.join(root, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w", encoding="utf-8") as f:
                f.write(content)
        cases = {}
        for name, args in DIRECTORY.items():
            ds = keras.utils.text_dataset_from_directory(root, verbose=False, **args)
            batches = []
            for batch in ds:
                x, y = batch if args.get("label_mode", "int") is not None else (batch, None)
                batches.append({"texts": [text(t) for t in x.numpy()],
                                "labels": None if y is None else arr(y)})
            cases[name] = {"args": args, "class_names": ds.class_names, "batches": batches}
        split = {"args": SPLIT}
        for subset in ("training", "validation"):
            ds = keras.utils.text_dataset_from_directory(root, subset=subset, verbose=False,
                                                         **SPLIT)
            pairs = sorted((text(t), int(label)) for x, y in ds for t, label in zip(
                x.numpy(), y.numpy()))
            split[subset] = [{"text": t, "label": label} for t, label in pairs]
        cases["validation_split"] = split
        return cases
    finally:
        shutil.rmtree(root)


def main(out):
    with open(out, "w") as f:
        json.dump({"keras": keras.__version__, "tensorflow": tf.__version__,
                   "corpus": CORPUS, "test_texts": TEST_TEXTS,
                   "vectorization": vectorization(), "timeseries": timeseries(),
                   "shuffles": shuffles(), "files": FILES, "directory": directory()},
                  f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
