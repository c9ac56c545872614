"""SavedModels with the signature shapes people serve, and what Python TensorFlow returns for
them, for Jeras' LoadedModel.

Usage: make_serving_fixtures.py OUT_DIR

Writes OUT_DIR/signatures (a tf.Module SavedModel) and OUT_DIR/signatures.json: for every
signature, its inputs and the outputs TensorFlow computes from them. Values are lists in
row-major order; strings are UTF-8 text, bytes base64 under "b64" (as TF Serving's REST API
writes them); float16 and bfloat16 values as the float32 they widen to.
"""
import base64
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

# every dtype TensorFlow serves that has a numeric or text value; TensorFlow Java 1.1.0 has
# tensor types for the first ten, so Java feeds those (and reads all fourteen)
DTYPES = ["float16", "bfloat16", "float32", "float64", "int32", "int64", "uint8", "uint16",
          "bool", "string"]
RARE = ["int8", "int16", "uint32", "uint64"]


def spec(dtype, shape, name=None):
    return tf.TensorSpec(shape, tf.as_dtype(dtype), name=name)


class Serving(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], name="w")

    @tf.function(input_signature=[{d: spec(d, [None, 2], d) for d in DTYPES}])
    def every_dtype(self, inputs):
        """Each input changed in its own type: numbers doubled (plus one when unsigned),
        booleans negated, strings suffixed."""
        out = {}
        for d, x in inputs.items():
            if d == "bool":
                out[d] = tf.logical_not(x)
            elif d == "string":
                out[d] = tf.strings.join([x, tf.constant("!")])
            elif d.startswith("uint"):
                out[d] = x * tf.constant(2, x.dtype) + tf.constant(1, x.dtype)
            else:
                out[d] = x * tf.constant(2, x.dtype)
        return out

    @tf.function(input_signature=[{d: spec(d, [None, 2], d) for d in RARE}])
    def rare_dtypes(self, inputs):
        """Inputs of the integer types TensorFlow Java has no tensor type for."""
        return {d: x + tf.constant(1, x.dtype) for d, x in inputs.items()}

    @tf.function(input_signature=[spec("int64", [None])])
    def rare_outputs(self, x):
        """Outputs of those types, from int64 inputs (uint64 wraps as TensorFlow casts)."""
        return {d: tf.cast(x, d) for d in RARE}

    @tf.function(input_signature=[spec("float32", []), spec("float32", [None, 3])])
    def scalar(self, factor, x):
        """A rank-0 input beside a batched one; a rank-0 output beside a batched one."""
        y = x * factor
        return {"y": y, "total": tf.reduce_sum(y)}

    @tf.function(input_signature=[])
    def no_inputs(self):
        """As TF-Agents' get_metadata / get_train_step: no inputs, scalar outputs."""
        return {"version": tf.constant(3, tf.int32), "name": tf.constant("policy"),
                "norm": tf.norm(self.w)}

    @tf.function(input_signature=[spec("int32", [])])
    def initial_state(self, batch_size):
        """As TF-Agents' get_initial_state(batch_size): the batch comes as a scalar."""
        return {"state": tf.zeros(tf.stack([batch_size, 4]), tf.float32),
                "step": tf.zeros(tf.stack([batch_size]), tf.int64)}

    @tf.function(input_signature=[spec("float32", [4, 2])])
    def fixed_batch(self, x):
        """A fixed batch dimension: exactly 4 rows, never split."""
        return {"y": tf.reduce_sum(x, axis=1)}

    @tf.function(input_signature=[spec("float32", [None, 2])])
    def mixed_outputs(self, x):
        """One input, outputs of four types."""
        logits = tf.matmul(x, self.w)
        label = tf.gather(tf.constant(["cat", "dog", "bird"]), tf.argmax(logits, axis=1))
        return {"probs": tf.nn.softmax(logits), "class_id": tf.argmax(logits, axis=1),
                "label": label, "positive": tf.reduce_sum(x, axis=1) > 0,
                "raw": tf.strings.as_string(tf.reduce_sum(x, axis=1), precision=2)}

    @tf.function(input_signature=[spec("string", [None])])
    def bytes_in(self, data):
        """Binary strings (not UTF-8) in; their lengths and first bytes out."""
        return {"length": tf.strings.length(data),
                "head": tf.strings.substr(data, 0, 2)}


class Parsing(tf.Module):
    """A TFX-style model: serialized tf.train.Example protos in, parsed with
    tf.io.parse_example; a vocabulary asset file behind a lookup table, a hashed feature."""

    def __init__(self, vocabulary_file):
        super().__init__()
        self.vocabulary = tf.saved_model.Asset(vocabulary_file)
        self.table = tf.lookup.StaticHashTable(
            tf.lookup.TextFileInitializer(self.vocabulary, tf.string,
                                          tf.lookup.TextFileIndex.WHOLE_LINE, tf.int64,
                                          tf.lookup.TextFileIndex.LINE_NUMBER), -1)

    @tf.function(input_signature=[spec("string", [None], "examples")])
    def serve(self, examples):
        features = tf.io.parse_example(examples, {
            "age": tf.io.FixedLenFeature([], tf.float32, default_value=30.0),
            "clicks": tf.io.VarLenFeature(tf.int64),
            "city": tf.io.FixedLenFeature([], tf.string, default_value=""),
            "tags": tf.io.VarLenFeature(tf.string),
            "scores": tf.io.FixedLenFeature([2], tf.float32, default_value=[0.0, 0.0]),
        })
        clicks = tf.sparse.reduce_sum(features["clicks"], axis=1)
        tags = features["tags"]
        return {"score": features["age"] * 0.1 + tf.cast(clicks, tf.float32)
                         + tf.reduce_sum(features["scores"], axis=1),
                "city_id": self.table.lookup(features["city"]),
                "city_bucket": tf.strings.to_hash_bucket_fast(features["city"], 100),
                "tag_count": tf.sparse.reduce_sum(tf.SparseTensor(
                    tags.indices, tf.ones_like(tags.values, tf.int64), tags.dense_shape),
                    axis=1)}


def example(features):
    """A tf.train.Example from {"name": {"float"|"int64"|"bytes": [values]}}."""
    feature = {}
    for name, typed in features.items():
        (kind, values), = typed.items()
        if kind == "float":
            feature[name] = tf.train.Feature(float_list=tf.train.FloatList(value=values))
        elif kind == "int64":
            feature[name] = tf.train.Feature(int64_list=tf.train.Int64List(value=values))
        else:
            feature[name] = tf.train.Feature(bytes_list=tf.train.BytesList(
                value=[v.encode("utf-8") for v in values]))
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


EXAMPLES = [
    {"age": {"float": [31.5]}, "clicks": {"int64": [1, 2, 3]}, "city": {"bytes": ["paris"]},
     "tags": {"bytes": ["a", "b"]}, "scores": {"float": [0.25, -1.0]}},
    {"clicks": {"int64": []}, "city": {"bytes": ["oslo"]}},
    {"age": {"float": [70.0]}, "city": {"bytes": ["nowhere"]}, "clicks": {"int64": [10]},
     "scores": {"float": [2.0, 3.5]}},
]


def parsing_model(out):
    path = os.path.join(out, "parsing")
    vocabulary = os.path.join(out, "cities.txt")
    with open(vocabulary, "w") as f:
        f.write("london\nparis\noslo\n")
    module = Parsing(vocabulary)
    tf.saved_model.save(module, path, signatures={"serving_default": module.serve})
    os.remove(vocabulary)
    loaded = tf.saved_model.load(path)
    outputs = loaded.signatures["serving_default"](
        examples=tf.constant([example(e) for e in EXAMPLES]))
    return {"examples": EXAMPLES,
            "outputs": {k: encode(v.numpy(), dtype_name(v)) for k, v in outputs.items()}}


def encode(value, dtype):
    a = np.asarray(value)
    if dtype == "string":
        flat = []
        for v in a.reshape(-1):
            v = bytes(v)
            try:
                flat.append(v.decode("utf-8"))
            except UnicodeDecodeError:
                flat.append({"b64": base64.b64encode(v).decode("ascii")})
        return {"dtype": dtype, "shape": list(a.shape), "values": flat}
    if dtype == "bool":
        return {"dtype": dtype, "shape": list(a.shape), "values": [bool(v) for v in a.reshape(-1)]}
    if dtype in ("float16", "bfloat16", "float32", "float64"):
        return {"dtype": dtype, "shape": list(a.shape),
                "values": [float(v) for v in a.astype("float64").reshape(-1)]}
    return {"dtype": dtype, "shape": list(a.shape), "values": [int(v) for v in a.reshape(-1)]}


def dtype_name(t):
    return "string" if t.dtype == tf.string else t.dtype.name


def main(out):
    os.makedirs(out, exist_ok=True)
    module = Serving()
    signatures = {name: getattr(module, name).get_concrete_function() for name in
                  ("every_dtype", "rare_dtypes", "rare_outputs", "scalar", "no_inputs", "initial_state", "fixed_batch",
                   "mixed_outputs", "bytes_in")}
    signatures["serving_default"] = signatures["mixed_outputs"]
    path = os.path.join(out, "signatures")
    tf.saved_model.save(module, path, signatures=signatures)

    rng = np.random.default_rng(5)
    every = {}
    for d in DTYPES:
        if d == "string":
            every[d] = np.array([["a", "bc"], ["", "déjà"], ["x", "yz"]], dtype=object)
        elif d == "bool":
            every[d] = np.array([[True, False], [False, False], [True, True]])
        elif d in ("float16", "bfloat16", "float32", "float64"):
            every[d] = tf.cast(rng.uniform(-4, 4, (3, 2)).round(2), d).numpy()
        else:
            info = np.iinfo(d)
            lo, hi = max(info.min // 2, -1000), min(info.max // 2, 1000)
            every[d] = rng.integers(lo, hi, (3, 2)).astype(d)
    cases = {
        "every_dtype": {d: tf.constant(v, tf.as_dtype(d)) for d, v in every.items()},
        "rare_dtypes": {d: tf.constant([[1, -2], [3, 4]] if d.startswith("int")
                                        else [[1, 2], [3, 4]], tf.as_dtype(d)) for d in RARE},
        "rare_outputs": {"x": tf.constant([-129, 5, 70000, -1], tf.int64)},
        "scalar": {"factor": tf.constant(2.5), "x": tf.constant([[1., 2., 3.], [-1., 0., 4.]])},
        "no_inputs": {},
        "initial_state": {"batch_size": tf.constant(3)},
        "fixed_batch": {"x": tf.constant(np.arange(8, dtype="float32").reshape(4, 2))},
        "mixed_outputs": {"x": tf.constant(rng.uniform(-2, 2, (5, 2)).astype("float32"))},
        "bytes_in": {"data": tf.constant([b"\x00\xff\x10", b"ok", b"\xc3\x28zz"])},
    }
    loaded = tf.saved_model.load(path)
    doc = {"tensorflow": tf.__version__, "signatures": {}}
    for name, inputs in cases.items():
        outputs = loaded.signatures[name](**inputs)
        doc["signatures"][name] = {
            "inputs": {k: encode(v.numpy(), dtype_name(v)) for k, v in inputs.items()},
            "outputs": {k: encode(v.numpy(), dtype_name(v)) for k, v in outputs.items()},
        }
    doc["parsing"] = parsing_model(out)
    target = os.path.join(out, "signatures.json")
    with open(target + ".tmp", "w") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")
    os.replace(target + ".tmp", target)
    print(json.dumps({k: sorted(v["outputs"]) for k, v in doc["signatures"].items()}))


if __name__ == "__main__":
    main(sys.argv[1])
