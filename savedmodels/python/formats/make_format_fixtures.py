#!/usr/bin/env python3
"""Write small real Keras model files in every format Jeras has to read, each with a
sample input and the predictions of the Keras that wrote it.

Usage
    python make_format_fixtures.py --out DIR [--flavor auto|keras3|tf_keras|tf.keras|handbuilt]
    python make_format_fixtures.py --out DIR --all      # runs itself in every venv below

The older writers' virtualenvs come from the requirements files beside this script:
    for v in keras333 tfkeras218 tf215 tf212; do bash ../venv.sh formats/$v; done
The fixtures the tests read are savedmodels/src/test/resources/io/jeras/savedmodels/fixtures/
formats (written once with --all, plus make_teachable_machine.py; committed, as those Keras
releases are too heavy to install in every CI run).

What is written (DIR/<writer>/...), one manifest.json per writer directory:

  keras3-<ver>/        Keras 3 (run with ~/.cache/jeras/venv = 3.8.0,
                       ~/.cache/jeras/venv-latest = 3.15.1 and a keras==3.3.3 +
                       tensorflow-cpu==2.16.2 venv): <m>.keras, <m>.h5 (legacy
                       HDF5 written by Keras 3), <m>.weights.h5, and for Keras >= 3.10 a
                       sharded <m>.weights.json + <m>_xxxxx.weights.h5.
  tf_keras-<ver>/      tf_keras (Keras 2 API for TF >= 2.16), e.g. 2.18.0: <m>.h5,
                       <m>.keras (Keras-2 "v3" zip), <m>.weights.h5 (new layout),
                       <m>_legacy_weights.h5 (save_weights to plain .h5, legacy layout).
  tf.keras-<ver>/      tf.keras of TF 2.12 / 2.15 (keras 2.12 / 2.15), same set.  With
                       keras 2.12 model.save("x.keras") writes an HDF5 file, and
                       save_weights("x.weights.h5") uses "_layer_checkpoint_dependencies".
  keras-2.2-handbuilt/ Keras 2.2.2 / 2.2.4 / 2.3.1 style .h5 written with h5py: the
                       model_config JSON follows real files of that era (sources named in
                       each entry), weights in that era's layout (fixed-length |S string
                       arrays for layer_names / weight_names, "name:0" weight names,
                       optimizer_weights with Keras 2.2 names), predictions computed in
                       numpy.

For every model <m> there is <m>.io.json: {"inputs": ..., "outputs": [...]} (inputs is a
list of arrays, or a dict name -> array for dict-input models; outputs is always a
list, one entry per model output).  manifest.json lists every file with its format,
writer versions and where its layout comes from.
"""
import argparse
import json
import os
import subprocess
import sys
import zipfile
import zlib

import numpy as np

HERE = os.path.abspath(__file__)
DEFAULT_VENVS = [
    os.path.expanduser("~/.cache/jeras/venv/bin/python"),          # TF 2.18.1 + Keras 3.8.0
    os.path.expanduser("~/.cache/jeras/venv-latest/bin/python"),   # TF 2.21 + Keras 3.15.1
    # made from requirements-*.txt beside this script by ../venv.sh formats/<name>
    os.path.expanduser("~/.cache/jeras/venv-keras333/bin/python"),   # TF 2.16.2 + Keras 3.3.3
    os.path.expanduser("~/.cache/jeras/venv-tfkeras218/bin/python"), # tf_keras 2.18.0
    os.path.expanduser("~/.cache/jeras/venv-tf215/bin/python"),      # TF 2.15.1 / keras 2.15
    os.path.expanduser("~/.cache/jeras/venv-tf212/bin/python"),      # TF 2.12.1 / keras 2.12
]


# --------------------------------------------------------------------------- helpers
def file_kind(path):
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"PK"):
        return "zip"
    if head.startswith(b"\x89HDF"):
        return "hdf5"
    return "other"


def tolist(x):
    if isinstance(x, dict):
        return {k: tolist(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [tolist(v) for v in x]
    return np.asarray(x).tolist()


def write_io(outdir, name, inputs, outputs):
    if not isinstance(inputs, (list, tuple, dict)):
        inputs = [inputs]
    if not isinstance(outputs, (list, tuple)):
        outputs = [outputs]
    with open(os.path.join(outdir, f"{name}.io.json"), "w") as f:
        json.dump({"inputs": tolist(inputs), "outputs": tolist(outputs)}, f)


class Manifest:
    def __init__(self, outdir, writer):
        self.outdir, self.writer, self.entries = outdir, writer, []

    def add(self, filename, fmt, model, source, notes="", reload=None):
        path = os.path.join(self.outdir, filename)
        e = {"file": filename, "container": file_kind(path), "format": fmt,
             "model": model, "io": f"{model}.io.json", "source": source, "notes": notes}
        if reload is not None:
            e["reloads_in_writer"] = reload
        self.entries.append(e)

    def write(self):
        with open(os.path.join(self.outdir, "manifest.json"), "w") as f:
            json.dump({"writer": self.writer, "files": self.entries}, f, indent=1)


def perturb(model, seed):
    """Give every float weight a non-trivial deterministic value (BN variances > 0)."""
    rng = np.random.RandomState(seed)
    new = []
    for w, v in zip(model.weights, model.get_weights()):
        name = getattr(w, "path", None) or w.name
        v = np.asarray(v)
        if v.dtype.kind != "f":
            new.append(v)
        elif "moving_variance" in name:
            new.append(rng.uniform(0.5, 1.5, v.shape).astype(v.dtype))
        elif "gamma" in name:
            new.append(rng.uniform(0.7, 1.3, v.shape).astype(v.dtype))
        else:
            new.append((rng.normal(0, 0.4, v.shape)).astype(v.dtype))
    model.set_weights(new)


def sample(shape, seed, kind="float"):
    rng = np.random.RandomState(seed)
    if kind == "int":
        x = rng.randint(1, 20, shape).astype("int32")
        x[:, -2:] = 0  # padding, exercises mask_zero
        return x
    return rng.uniform(-1, 1, shape).astype("float32")


# --------------------------------------------------------------------------- Keras 2 / 3 models
def build_models(keras, flavor):
    """Return [(name, model, inputs, notes)] for Keras 3, tf_keras or tf.keras."""
    L = keras.layers
    k3 = flavor == "keras3"
    models = []

    # 1. plain Sequential MLP; Keras 2: input_shape on the first layer (batch_input_shape
    #    in its config, auto InputLayer "dense_input"); Keras 3: explicit Input.
    if k3:
        m = keras.Sequential([keras.Input((4,)), L.Dense(8, activation="relu", name="d1"),
                              L.Dropout(0.2), L.Dense(3, activation="softmax", name="d2")],
                             name="mlp")
    else:
        m = keras.Sequential([L.Dense(8, activation="relu", input_shape=(4,), name="d1"),
                              L.Dropout(0.2), L.Dense(3, activation="softmax", name="d2")],
                             name="mlp")
    m.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    models.append(("mlp_seq", m, sample((3, 4), 1), "compiled (training_config)"))

    # 2. small CNN Sequential: Conv2D, BatchNormalization, MaxPooling2D, DepthwiseConv2D,
    #    SeparableConv2D, GlobalAveragePooling2D
    m = keras.Sequential([keras.Input((8, 8, 3)),
                          L.Conv2D(4, 3, padding="same", activation="relu", name="conv"),
                          L.BatchNormalization(name="bn"),
                          L.MaxPooling2D(2, name="pool"),
                          L.DepthwiseConv2D(3, padding="same", name="dw"),
                          L.SeparableConv2D(5, 3, padding="valid", name="sep"),
                          L.GlobalAveragePooling2D(name="gap"),
                          L.Dense(2, name="out")], name="cnn")
    models.append(("cnn_seq", m, sample((2, 8, 8, 3), 2), ""))

    # 3. functional: two inputs, a shared layer (used twice), a nested Sequential,
    #    regularizer + constraint, two outputs.  Keras 3: dict inputs.
    a = keras.Input((4,), name="a")
    b = keras.Input((4,), name="b")
    shared = L.Dense(4, name="shared", kernel_regularizer=keras.regularizers.L2(0.01),
                     kernel_constraint=keras.constraints.MaxNorm(2.0))
    sa, sb = shared(a), shared(b)
    inner = keras.Sequential([L.Dense(5, activation="tanh", name="inner_d"), L.Dropout(0.1, name="inner_drop")],
                             name="inner_seq")
    c = L.Concatenate(name="cat")([sa, sb])
    o1 = L.Dense(1, name="out1")(inner(c))
    o2 = L.Add(name="out2")([sa, sb])
    xa, xb = sample((2, 4), 3), sample((2, 4), 4)
    if k3:
        m = keras.Model({"a": a, "b": b}, [o1, o2], name="func")
        x = {"a": xa, "b": xb}
    else:
        m = keras.Model([a, b], [o1, o2], name="func")
        x = [xa, xb]
    m.compile(optimizer="adam", loss="mse")
    models.append(("functional_shared_nested", m, x, "shared layer with 2 inbound nodes; nested Sequential"))

    # 4. Sequential wrapping a frozen Functional base (transfer-learning pattern):
    #    in .h5 the base's weight_names are per-layer interleaved because it is frozen.
    i = keras.Input((6,), name="base_in")
    h = L.Dense(5, name="base_d1")(i)
    h = L.BatchNormalization(name="base_bn")(h)
    h = L.Activation("relu", name="base_relu")(h)
    h = L.Dense(4, name="base_d2")(h)
    base = keras.Model(i, h, name="base")
    base.trainable = False
    m = keras.Sequential([keras.Input((6,)), base, L.Dense(2, activation="softmax", name="head")],
                         name="transfer")
    m.compile(optimizer="adam", loss="categorical_crossentropy")
    models.append(("nested_frozen_base", m, sample((2, 6), 5),
                   "base.trainable=False at save time"))

    # 5. ops in a functional graph (tf.keras: TFOpLambda / SlicingOpLambda; Keras 3:
    #    keras.src.ops.* operations), call kwargs (training=False, MHA value/masks)
    x_in = keras.Input((6,), name="x")
    tok = keras.Input((5,), dtype="int32", name="tok")
    y = x_in * 2.0 + 1.0
    s = x_in[:, 1:4]
    if k3:
        r = keras.ops.sum(s, axis=-1, keepdims=True)
    else:
        import tensorflow as tf
        r = tf.reduce_sum(s, axis=-1, keepdims=True)
    d = L.Dropout(0.5, name="drop")(y, training=False)
    e = L.Embedding(20, 4, mask_zero=True, name="emb")(tok)
    q = L.Dense(4, name="q")(e)
    att = L.MultiHeadAttention(num_heads=1, key_dim=2, name="mha")(q, e)
    g = L.GlobalAveragePooling1D(name="gap")(att)
    o = L.Dense(2, name="out")(L.Concatenate(name="cat")([d, r, g]))
    m = keras.Model([x_in, tok], o, name="ops")
    models.append(("ops_and_kwargs", m, [sample((2, 6), 6), sample((2, 5), 7, "int")],
                   "TFOpLambda/SlicingOpLambda (tf.keras) or keras.src.ops nodes (Keras 3)"))

    # 6. recurrent layers (weight naming lstm/lstm_cell/kernel, GRU reset_after)
    m = keras.Sequential([keras.Input((5,), dtype="int32"),
                          L.Embedding(20, 4, mask_zero=True, name="emb"),
                          L.LSTM(5, return_sequences=True, name="lstm"),
                          L.Bidirectional(L.GRU(3), name="bigru"),
                          L.Dense(2, name="out")], name="rnn")
    models.append(("rnn", m, sample((2, 5), 8, "int"), "Embedding(mask_zero) -> LSTM -> Bidirectional(GRU)"))

    # 7. Lambda with a Python lambda (marshalled bytecode in the config)
    i = keras.Input((3,), name="li")
    o = L.Lambda(lambda t: t * t + 1.0, name="square_plus_one")(i)
    o = L.Dense(2, name="out")(o)
    m = keras.Model(i, o, name="lambda_model")
    models.append(("lambda_bytecode", m, sample((2, 3), 9),
                   "Lambda function is Python-version-specific marshal bytecode (base64)"))

    # 8. mixed precision dtype policy object in configs
    policy = "mixed_float16"
    i = keras.Input((4,), name="mp_in")
    h = L.Dense(6, activation="relu", dtype=policy, name="mp_d1")(i)
    o = L.Dense(2, dtype="float32", name="mp_out")(h)
    m = keras.Model(i, o, name="mixed")
    models.append(("mixed_precision", m, sample((2, 4), 10),
                   "layer dtype = mixed_float16 policy object (float16 compute, float32 variables)"))
    return models


def predict(model, x):
    out = model(x, training=False)
    if isinstance(out, dict):
        out = list(out.values())
    if not isinstance(out, (list, tuple)):
        out = [out]
    return [np.asarray(o, dtype="float32") for o in out]


def reload_check(keras, flavor, path, x, y):
    """Can the Keras that wrote the file load it back and reproduce y?"""
    try:
        kw = {"compile": False}
        if path.endswith(".keras") and (flavor == "keras3" or file_kind(path) == "zip"):
            kw["safe_mode"] = False  # Lambda bytecode
        m = keras.models.load_model(path, **kw)
        y2 = predict(m, x)
        err = max(float(np.abs(a - b).max()) for a, b in zip(y, y2))
        return {"ok": err < 1e-5, "max_abs_diff": err}
    except Exception as e:  # noqa
        return {"ok": False, "error": f"{type(e).__name__}: {str(e)[:300]}"}


def run_keras(outroot, flavor):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import h5py
    if flavor == "keras3":
        import keras
        version = keras.__version__
        tfv = None
        try:
            import tensorflow as tf
            tfv = tf.__version__
        except Exception:
            pass
    elif flavor == "tf_keras":
        import tf_keras as keras
        import tensorflow as tf
        version, tfv = keras.__version__, tf.__version__
    else:
        import tensorflow as tf
        keras = tf.keras
        import keras as kpkg
        version, tfv = kpkg.__version__, tf.__version__
    keras.utils.set_random_seed(1234)
    outdir = os.path.join(outroot, f"{flavor}-{version}")
    os.makedirs(outdir, exist_ok=True)
    writer = {"flavor": flavor, "keras": version, "tensorflow": tfv, "h5py": h5py.__version__,
              "python": sys.version.split()[0]}
    man = Manifest(outdir, writer)
    src = f"written by {flavor} {version}" + (f" (TF {tfv})" if tfv else "")
    for name, model, x, notes in build_models(keras, flavor):
        predict(model, x)  # build
        perturb(model, seed=zlib.crc32(name.encode()) % 1000)
        y = predict(model, x)
        write_io(outdir, name, x, y)
        saved = []
        # legacy HDF5 full model
        model.save(os.path.join(outdir, f"{name}.h5"))
        man.add(f"{name}.h5", "HDF5 full model (model_config + model_weights)", name, src, notes,
                reload=reload_check(keras, flavor, os.path.join(outdir, f"{name}.h5"), x, y))
        # native .keras
        try:
            model.save(os.path.join(outdir, f"{name}.keras"))
            kind = file_kind(os.path.join(outdir, f"{name}.keras"))
            fmt = ("Keras v3 zip (config.json, metadata.json, model.weights.h5)" if kind == "zip"
                   else "HDF5 full model despite the .keras extension")
            man.add(f"{name}.keras", fmt, name, src, notes,
                    reload=reload_check(keras, flavor, os.path.join(outdir, f"{name}.keras"), x, y))
        except Exception as e:  # noqa
            print(f"  {name}.keras not written: {e}")
        # weights only
        try:
            model.save_weights(os.path.join(outdir, f"{name}.weights.h5"))
            with h5py.File(os.path.join(outdir, f"{name}.weights.h5"), "r") as f:
                layout = "legacy (layer_names/weight_names)" if "layer_names" in f.attrs else \
                    ("v3 layers/<snake_case>/vars/<i>" if "layers" in f else
                     "v3 with _layer_checkpoint_dependencies (keras 2.12)" if "_layer_checkpoint_dependencies" in f else "?")
            man.add(f"{name}.weights.h5", f"weights only, {layout}", name, src, notes)
        except Exception as e:  # noqa
            print(f"  {name}.weights.h5 not written: {e}")
        if flavor != "keras3":
            model.save_weights(os.path.join(outdir, f"{name}_legacy_weights.h5"), save_format="h5")
            man.add(f"{name}_legacy_weights.h5", "weights only, legacy HDF5 layout (save_weights('x.h5'))",
                    name, src, notes)
        if flavor == "keras3" and name == "cnn_seq":
            try:
                model.save_weights(os.path.join(outdir, f"{name}.weights.json"), max_shard_size=5e-7)
                for fn in sorted(os.listdir(outdir)):
                    if fn.startswith(f"{name}_") and fn.endswith(".weights.h5"):
                        man.add(fn, "weights shard (ShardedH5IOStore)", name, src, "see .weights.json")
                man.add(f"{name}.weights.json", "sharded weights index (weight_map -> shard file)", name, src,
                        "max_shard_size=5e-7 GB (~540 bytes) to force several shards")
            except TypeError as e:
                print(f"  sharding not supported by Keras {version}: {e}")
        print(f"{flavor}-{version}: {name} ok")
    man.write()
    return outdir


# --------------------------------------------------------------------------- hand-built Keras 2.2
def np_dense(x, k, b=None, act="linear"):
    y = x @ k
    if b is not None:
        y = y + b
    return ACT[act](y)


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


ACT = {"linear": lambda x: x, "relu": lambda x: np.maximum(x, 0), "softmax": softmax,
       "tanh": np.tanh, "relu6": lambda x: np.clip(x, 0, 6)}


def np_conv2d(x, k, stride=1, padding="valid"):
    """x: (N,H,W,C) k: (kh,kw,C,F) channels_last, TF 'same' semantics."""
    n, h, w, c = x.shape
    kh, kw, _, f = k.shape
    if padding == "same":
        oh, ow = -(-h // stride), -(-w // stride)
        ph = max((oh - 1) * stride + kh - h, 0)
        pw = max((ow - 1) * stride + kw - w, 0)
        x = np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    oh = (x.shape[1] - kh) // stride + 1
    ow = (x.shape[2] - kw) // stride + 1
    y = np.zeros((n, oh, ow, f), dtype=np.float64)
    for i in range(oh):
        for j in range(ow):
            patch = x[:, i * stride:i * stride + kh, j * stride:j * stride + kw, :]
            y[:, i, j, :] = np.tensordot(patch, k, axes=([1, 2, 3], [0, 1, 2]))
    return y


def np_depthwise(x, k, stride=1, padding="same"):
    """k: (kh,kw,C,1)"""
    n, h, w, c = x.shape
    kh, kw = k.shape[:2]
    if padding == "same":
        oh, ow = -(-h // stride), -(-w // stride)
        ph = max((oh - 1) * stride + kh - h, 0)
        pw = max((ow - 1) * stride + kw - w, 0)
        x = np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    oh = (x.shape[1] - kh) // stride + 1
    ow = (x.shape[2] - kw) // stride + 1
    y = np.zeros((n, oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, i * stride:i * stride + kh, j * stride:j * stride + kw, :]
            y[:, i, j, :] = (patch * k[:, :, :, 0]).sum(axis=(1, 2))
    return y


def np_bn(x, gamma, beta, mean, var, eps=1e-3):
    return gamma * (x - mean) / np.sqrt(var + eps) + beta


def np_maxpool(x, p=2):
    n, h, w, c = x.shape
    oh, ow = h // p, w // p
    return x[:, :oh * p, :ow * p, :].reshape(n, oh, p, ow, p, c).max(axis=(2, 4))


def fixed_strings(strings):
    """What h5py 2.x wrote for a list of bytes: a fixed-length |S array attribute.
    An empty list became an empty float64 array (np.asarray([]))."""
    if not strings:
        return np.zeros((0,), dtype="float64")
    b = [s.encode("utf8") for s in strings]
    return np.array(b, dtype=f"S{max(len(s) for s in b)}")


def write_k2_h5(path, keras_version, model_config, layer_weights, training_config=None,
                optimizer_weights=None):
    """layer_weights: list of (layer_name, [(weight_name, array), ...]) in model.layers order.
    Mirrors keras 2.2.4 keras/engine/saving.py _serialize_model + io_utils.H5Dict:
    root attrs keras_version/backend/model_config(/training_config) are scalar strings
    (h5py stored bytes as variable-length ASCII), layer_names/weight_names are arrays of
    fixed-length strings."""
    import h5py
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = keras_version.encode("utf8")
        f.attrs["backend"] = b"tensorflow"
        f.attrs["model_config"] = json.dumps(model_config).encode("utf8")
        mw = f.create_group("model_weights")
        mw.attrs["layer_names"] = fixed_strings([n for n, _ in layer_weights])
        mw.attrs["backend"] = b"tensorflow"
        mw.attrs["keras_version"] = keras_version.encode("utf8")
        for lname, ws in layer_weights:
            g = mw.create_group(lname)
            g.attrs["weight_names"] = fixed_strings([n for n, _ in ws])
            for wname, val in ws:
                g.create_dataset(wname, data=np.asarray(val))
        if training_config is not None:
            f.attrs["training_config"] = json.dumps(training_config).encode("utf8")
        if optimizer_weights:
            og = f.create_group("optimizer_weights")
            og.attrs["weight_names"] = fixed_strings([n for n, _ in optimizer_weights])
            for wname, val in optimizer_weights:
                og.create_dataset(wname, data=np.asarray(val))


def vs_init():
    # How standalone Keras 2.2.x / 2.3.x serialized glorot_uniform.
    return {"class_name": "VarianceScaling",
            "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": None}}


def zeros_init():
    return {"class_name": "Zeros", "config": {}}


def k22_dense(name, units, activation, batch_input_shape=None, trainable=True, dtype=False):
    c = {"name": name, "trainable": trainable}
    if batch_input_shape is not None:
        c["batch_input_shape"] = batch_input_shape
        c["dtype"] = "float32"
    elif dtype:
        c["dtype"] = "float32"
    c.update({"units": units, "activation": activation, "use_bias": True,
              "kernel_initializer": vs_init(), "bias_initializer": zeros_init(),
              "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
              "kernel_constraint": None, "bias_constraint": None})
    return {"class_name": "Dense", "config": c}


def adam_optimizer_weights(params, rng):
    """Keras 2.2.4 Adam.get_updates: weights = [iterations] + ms + vs + vhats, TF backend
    names 'Adam/iterations:0' and 'training/Adam/Variable[_n]:0' (cf. keras-team/keras#11104)."""
    out = [("Adam/iterations:0", np.array(37, dtype="int64"))]
    arrays = [rng.normal(0, 0.01, p.shape).astype("float32") for p in params] + \
             [rng.uniform(0, 0.01, p.shape).astype("float32") for p in params] + \
             [np.zeros((1,), "float32") for _ in params]
    for i, a in enumerate(arrays):
        out.append((f"training/Adam/Variable{'' if i == 0 else '_' + str(i)}:0", a))
    return out


def run_handbuilt(outroot):
    import h5py
    outdir = os.path.join(outroot, "keras-2.2-handbuilt")
    os.makedirs(outdir, exist_ok=True)
    man = Manifest(outdir, {"flavor": "handbuilt", "h5py": h5py.__version__, "numpy": np.__version__})
    rng = np.random.RandomState(2024)
    f32 = lambda *s, sc=0.5: rng.normal(0, sc, s).astype("float32")

    # A. Keras 2.2.4 Sequential (config dict with name+layers), first layer carries
    #    batch_input_shape + dtype, no InputLayer, Dropout between Dense layers.
    #    Config keys copied from a real Keras 2.2.4 model JSON (Dense/Dropout, "sequential_1",
    #    keras_version 2.2.4) found in a public repo's Django view (dotaPrediction) --
    #    only sizes changed.
    cfg = {"class_name": "Sequential", "config": {"name": "sequential_1", "layers": [
        k22_dense("dense_1", 8, "relu", batch_input_shape=[None, 6]),
        {"class_name": "Dropout", "config": {"name": "dropout_1", "trainable": True, "rate": 0.3,
                                             "noise_shape": None, "seed": None}},
        k22_dense("dense_2", 4, "softmax")]}}
    k1, b1, k2, b2 = f32(6, 8), f32(8, sc=0.1), f32(8, 4), f32(4, sc=0.1)
    tc = {"optimizer_config": {"class_name": "Adam", "config": {
        "lr": 0.0010000000474974513, "beta_1": 0.8999999761581421, "beta_2": 0.9990000128746033,
        "decay": 0.0, "epsilon": 1e-07, "amsgrad": False}},
        "loss": "categorical_crossentropy", "metrics": ["accuracy"],
        "sample_weight_mode": None, "loss_weights": None}   # keras 2.2.4 saving.py: no weighted_metrics
    write_k2_h5(os.path.join(outdir, "k224_sequential_mlp.h5"), "2.2.4", cfg,
                [("dense_1", [("dense_1/kernel:0", k1), ("dense_1/bias:0", b1)]),
                 ("dropout_1", []),
                 ("dense_2", [("dense_2/kernel:0", k2), ("dense_2/bias:0", b2)])],
                training_config=tc, optimizer_weights=adam_optimizer_weights([k1, b1, k2, b2], rng))
    x = sample((3, 6), 11)
    y = np_dense(np_dense(x, k1, b1, "relu"), k2, b2, "softmax")
    write_io(outdir, "k224_sequential_mlp", [x], [y])
    man.add("k224_sequential_mlp.h5", "HDF5 full model, Keras 2.2.4 Sequential (dict config), compiled with Adam",
            "k224_sequential_mlp",
            "model_config keys from a real Keras 2.2.4 to_json() (Sequential 'sequential_1', Dense+Dropout, "
            "VarianceScaling glorot); h5 layout from keras 2.2.4 keras/engine/saving.py; optimizer weight names "
            "per keras 2.2.4 Adam (see keras-team/keras#11104)",
            "layer_names excludes the implicit InputLayer (Keras 2.2 Sequential.layers); dropout_1 group has "
            "an empty float64 weight_names attribute")

    # B. Keras 2.2.2 Sequential whose config is a bare LIST of layers (Keras <= 2.2.2).
    #    Taken from a real tfjs model.json converted from a Keras 2.2.2 .h5 (modelTopology
    #    {keras_version 2.2.2, model_config {class_name Sequential, config [ ... ]},
    #    training_config Adam}) -- shubham-ai digit recogniser; sizes shrunk 28x28x1 -> 8x8x1.
    conv_cfg = {"class_name": "Conv2D", "config": {
        "name": "conv2d_1", "trainable": True, "batch_input_shape": [None, 8, 8, 1], "dtype": "float32",
        "filters": 3, "kernel_size": [3, 3], "strides": [1, 1], "padding": "valid",
        "data_format": "channels_last", "dilation_rate": [1, 1], "activation": "relu", "use_bias": True,
        "kernel_initializer": vs_init(), "bias_initializer": zeros_init(), "kernel_regularizer": None,
        "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None,
        "bias_constraint": None}}
    cfg = {"class_name": "Sequential", "config": [
        conv_cfg,
        {"class_name": "MaxPooling2D", "config": {"name": "max_pooling2d_1", "trainable": True,
                                                  "pool_size": [2, 2], "padding": "valid", "strides": [2, 2],
                                                  "data_format": "channels_last"}},
        {"class_name": "Dropout", "config": {"name": "dropout_1", "trainable": True, "rate": 0.2,
                                             "noise_shape": None, "seed": None}},
        {"class_name": "Flatten", "config": {"name": "flatten_1", "trainable": True, "data_format": "channels_last"}},
        k22_dense("dense_1", 5, "relu"),
        k22_dense("dense_2", 3, "softmax")]}
    ck, cb, d1k, d1b, d2k, d2b = f32(3, 3, 1, 3), f32(3, sc=0.1), f32(27, 5), f32(5, sc=0.1), f32(5, 3), f32(3, sc=0.1)
    tc = {"optimizer_config": {"class_name": "Adam", "config": {
        "lr": 0.0010000000474974513, "beta_1": 0.8999999761581421, "beta_2": 0.9990000128746033,
        "decay": 0.0, "epsilon": 1e-07, "amsgrad": False}},
        "loss": "categorical_crossentropy", "metrics": ["accuracy"], "sample_weight_mode": None,
        "loss_weights": None}
    write_k2_h5(os.path.join(outdir, "k222_sequential_list_cnn.h5"), "2.2.2", cfg,
                [("conv2d_1", [("conv2d_1/kernel:0", ck), ("conv2d_1/bias:0", cb)]),
                 ("max_pooling2d_1", []), ("dropout_1", []), ("flatten_1", []),
                 ("dense_1", [("dense_1/kernel:0", d1k), ("dense_1/bias:0", d1b)]),
                 ("dense_2", [("dense_2/kernel:0", d2k), ("dense_2/bias:0", d2b)])],
                training_config=tc)
    x = sample((2, 8, 8, 1), 12)
    h = ACT["relu"](np_conv2d(x, ck) + cb)
    h = np_maxpool(h).reshape(2, -1)
    y = np_dense(np_dense(h, d1k, d1b, "relu"), d2k, d2b, "softmax")
    write_io(outdir, "k222_sequential_list_cnn", [x], [y])
    man.add("k222_sequential_list_cnn.h5", "HDF5 full model, Keras 2.2.2 Sequential with LIST config",
            "k222_sequential_list_cnn",
            "model_config/training_config from a real tfjs model.json converted from a Keras 2.2.2 h5 "
            "(keras_version 2.2.2, Sequential config = list); Sequential.get_config in keras 2.2.0-2.2.2 "
            "returns a list (keras tag 2.2.2 keras/engine/sequential.py)", "training_config without weighted_metrics")

    # C. Keras 2.2.4 functional "Model" = flattened MobileNet-style transfer model.  Layer
    #    classes and config keys copied from a real Keras 2.2.4 tfjs export of a
    #    MobileNet(224) + GlobalAveragePooling2D + Dropout + Dense(7) skin-lesion model
    #    ("class_name": "Model", first layers "trainable": false, custom metrics
    #    top_2_accuracy/top_3_accuracy in training_config); shrunk to 8x8x3 input.
    def bn_cfg(name, trainable):
        return {"name": name, "class_name": "BatchNormalization", "config": {
            "name": name, "trainable": trainable, "axis": -1, "momentum": 0.99, "epsilon": 0.001,
            "center": True, "scale": True, "beta_initializer": zeros_init(),
            "gamma_initializer": {"class_name": "Ones", "config": {}},
            "moving_mean_initializer": zeros_init(),
            "moving_variance_initializer": {"class_name": "Ones", "config": {}},
            "beta_regularizer": None, "gamma_regularizer": None, "beta_constraint": None,
            "gamma_constraint": None}}

    def relu_cfg(name, trainable):
        return {"name": name, "class_name": "ReLU", "config": {
            "name": name, "trainable": trainable, "max_value": 6.0, "negative_slope": 0.0, "threshold": 0.0}}

    def conv_cfg2(name, filters, k, s, pad, trainable):
        return {"name": name, "class_name": "Conv2D", "config": {
            "name": name, "trainable": trainable, "filters": filters, "kernel_size": [k, k],
            "strides": [s, s], "padding": pad, "data_format": "channels_last", "dilation_rate": [1, 1],
            "activation": "linear", "use_bias": False, "kernel_initializer": vs_init(),
            "bias_initializer": zeros_init(), "kernel_regularizer": None, "bias_regularizer": None,
            "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}}

    def dw_cfg(name, trainable):
        return {"name": name, "class_name": "DepthwiseConv2D", "config": {
            "name": name, "trainable": trainable, "kernel_size": [3, 3], "strides": [1, 1],
            "padding": "same", "data_format": "channels_last", "dilation_rate": [1, 1],
            "activation": "linear", "use_bias": False, "bias_initializer": zeros_init(),
            "bias_regularizer": None, "activity_regularizer": None, "bias_constraint": None,
            "depth_multiplier": 1, "depthwise_initializer": vs_init(), "depthwise_regularizer": None,
            "depthwise_constraint": None}}

    def chain(entries):
        prev = None
        for e in entries:
            e["inbound_nodes"] = [] if prev is None else [[[prev, 0, 0, {}]]]
            prev = e["name"]
        return entries

    def mobilenet_body(frozen):
        return [
            {"name": "input_1", "class_name": "InputLayer", "config": {
                "batch_input_shape": [None, 8, 8, 3], "dtype": "float32", "sparse": False, "name": "input_1"}},
            {"name": "conv1_pad", "class_name": "ZeroPadding2D", "config": {
                "name": "conv1_pad", "trainable": not frozen["conv1"], "padding": [[0, 1], [0, 1]],
                "data_format": "channels_last"}},
            conv_cfg2("conv1", 4, 3, 2, "valid", not frozen["conv1"]),
            bn_cfg("conv1_bn", not frozen["conv1"]), relu_cfg("conv1_relu", not frozen["conv1"]),
            dw_cfg("conv_dw_1", not frozen["dw"]), bn_cfg("conv_dw_1_bn", not frozen["dw"]),
            relu_cfg("conv_dw_1_relu", not frozen["dw"]),
            conv_cfg2("conv_pw_1", 6, 1, 1, "same", True), bn_cfg("conv_pw_1_bn", True),
            relu_cfg("conv_pw_1_relu", True)]

    W = {"conv1/kernel:0": f32(3, 3, 3, 4), "conv_dw_1/depthwise_kernel:0": f32(3, 3, 4, 1),
         "conv_pw_1/kernel:0": f32(1, 1, 4, 6)}
    for bn, c in (("conv1_bn", 4), ("conv_dw_1_bn", 4), ("conv_pw_1_bn", 6)):
        W[f"{bn}/gamma:0"] = rng.uniform(0.7, 1.3, c).astype("float32")
        W[f"{bn}/beta:0"] = f32(c, sc=0.1)
        W[f"{bn}/moving_mean:0"] = f32(c, sc=0.2)
        W[f"{bn}/moving_variance:0"] = rng.uniform(0.5, 1.5, c).astype("float32")
    W["dense_1/kernel:0"], W["dense_1/bias:0"] = f32(6, 3), f32(3, sc=0.1)

    def forward_body(x):
        h = np.pad(x, ((0, 0), (0, 1), (0, 1), (0, 0)))
        h = np_conv2d(h, W["conv1/kernel:0"], stride=2)
        bnp = lambda n: [W[f"{n}/{v}:0"] for v in ("gamma", "beta", "moving_mean", "moving_variance")]
        h = ACT["relu6"](np_bn(h, *bnp("conv1_bn")))
        h = ACT["relu6"](np_bn(np_depthwise(h, W["conv_dw_1/depthwise_kernel:0"]), *bnp("conv_dw_1_bn")))
        h = ACT["relu6"](np_bn(np_conv2d(h, W["conv_pw_1/kernel:0"], padding="same"), *bnp("conv_pw_1_bn")))
        return h

    def group(*names):
        return [(n, W[n]) for n in names]

    def bn_w(n):
        return group(*[f"{n}/{v}:0" for v in ("gamma", "beta", "moving_mean", "moving_variance")])

    frozen = {"conv1": True, "dw": False}
    layers = chain(mobilenet_body(frozen) + [
        {"name": "global_average_pooling2d_1", "class_name": "GlobalAveragePooling2D", "config": {
            "name": "global_average_pooling2d_1", "trainable": True, "data_format": "channels_last"}},
        {"name": "dropout_1", "class_name": "Dropout", "config": {
            "name": "dropout_1", "trainable": True, "rate": 0.25, "noise_shape": None, "seed": None}},
        dict(k22_dense("dense_1", 3, "softmax"), name="dense_1")])
    cfg = {"class_name": "Model", "config": {"name": "model_1", "layers": layers,
                                             "input_layers": [["input_1", 0, 0]],
                                             "output_layers": [["dense_1", 0, 0]]}}
    tc = {"optimizer_config": {"class_name": "Adam", "config": {
        "lr": 9.999999747378752e-06, "beta_1": 0.8999999761581421, "beta_2": 0.9990000128746033,
        "decay": 0.0, "epsilon": 1e-07, "amsgrad": False}},
        "loss": "categorical_crossentropy",
        "metrics": ["categorical_accuracy", "top_2_accuracy", "top_3_accuracy"],
        "weighted_metrics": None, "sample_weight_mode": None, "loss_weights": None}
    lw = [("input_1", []), ("conv1_pad", []), ("conv1", group("conv1/kernel:0")), ("conv1_bn", bn_w("conv1_bn")),
          ("conv1_relu", []), ("conv_dw_1", group("conv_dw_1/depthwise_kernel:0")),
          ("conv_dw_1_bn", bn_w("conv_dw_1_bn")), ("conv_dw_1_relu", []),
          ("conv_pw_1", group("conv_pw_1/kernel:0")), ("conv_pw_1_bn", bn_w("conv_pw_1_bn")),
          ("conv_pw_1_relu", []), ("global_average_pooling2d_1", []), ("dropout_1", []),
          ("dense_1", group("dense_1/kernel:0", "dense_1/bias:0"))]
    write_k2_h5(os.path.join(outdir, "k224_functional_mobilenet_style.h5"), "2.2.4", cfg, lw, training_config=tc)
    x = sample((2, 8, 8, 3), 13)
    y = np_dense(forward_body(x).mean(axis=(1, 2)), W["dense_1/kernel:0"], W["dense_1/bias:0"], "softmax")
    write_io(outdir, "k224_functional_mobilenet_style", [x], [y])
    man.add("k224_functional_mobilenet_style.h5", "HDF5 full model, Keras 2.2.4 functional ('Model')",
            "k224_functional_mobilenet_style",
            "layer classes/config keys from a real Keras 2.2.4 MobileNet transfer model (tfjs modelTopology, "
            "class_name Model, name model_1, per-layer trainable false, custom metric names in training_config)",
            "ZeroPadding2D+valid Conv2D, BN, ReLU(max_value 6), DepthwiseConv2D, GAP, Dropout, Dense; "
            "training_config copied from the real file incl. weighted_metrics, which keras 2.2.4's saving.py "
            "does not write (2.2.5+ does) -- the real file says 2.2.4 anyway")

    # D. Keras 2.2.4 Sequential containing a nested functional "Model" (the
    #    Sequential([base_model, GlobalAveragePooling2D(), Dense()]) pattern), with the
    #    first base layers frozen one by one (layer.trainable = False).  The nested
    #    group's weight_names follow keras 2.2.4 Network.weights = trainable_weights +
    #    non_trainable_weights, each concatenated over layers: trainable layers'
    #    trainable weights first, then every frozen layer's weights and the moving
    #    statistics of trainable BN layers -- NOT layer by layer.
    body = chain(mobilenet_body(frozen))
    base_cfg = {"class_name": "Model", "config": {"name": "mobilenet_1.00_224", "layers": body,
                                                  "input_layers": [["input_1", 0, 0]],
                                                  "output_layers": [["conv_pw_1_relu", 0, 0]]}}
    cfg = {"class_name": "Sequential", "config": {"name": "sequential_1", "layers": [
        base_cfg,
        {"class_name": "GlobalAveragePooling2D", "config": {"name": "global_average_pooling2d_1",
                                                            "trainable": True, "data_format": "channels_last"}},
        k22_dense("dense_1", 3, "softmax")]}}
    # keras 2.2.4 ordering (see keras/engine/network.py trainable_weights/non_trainable_weights)
    per_layer = [("conv1", ["conv1/kernel:0"], [], True), ("conv1_bn", ["conv1_bn/gamma:0", "conv1_bn/beta:0"],
                  ["conv1_bn/moving_mean:0", "conv1_bn/moving_variance:0"], True),
                 ("conv_dw_1", ["conv_dw_1/depthwise_kernel:0"], [], False),
                 ("conv_dw_1_bn", ["conv_dw_1_bn/gamma:0", "conv_dw_1_bn/beta:0"],
                  ["conv_dw_1_bn/moving_mean:0", "conv_dw_1_bn/moving_variance:0"], False),
                 ("conv_pw_1", ["conv_pw_1/kernel:0"], [], False),
                 ("conv_pw_1_bn", ["conv_pw_1_bn/gamma:0", "conv_pw_1_bn/beta:0"],
                  ["conv_pw_1_bn/moving_mean:0", "conv_pw_1_bn/moving_variance:0"], False)]
    trainable = [w for _, tw, _, fz in per_layer if not fz for w in tw]
    non_trainable = [w for _, tw, nw, fz in per_layer for w in ((tw + nw) if fz else nw)]
    nested_names = trainable + non_trainable
    write_k2_h5(os.path.join(outdir, "k224_sequential_nested_model.h5"), "2.2.4", cfg,
                [("mobilenet_1.00_224", group(*nested_names)), ("global_average_pooling2d_1", []),
                 ("dense_1", group("dense_1/kernel:0", "dense_1/bias:0"))])
    y = np_dense(forward_body(x).mean(axis=(1, 2)), W["dense_1/kernel:0"], W["dense_1/bias:0"], "softmax")
    write_io(outdir, "k224_sequential_nested_model", [x], [y])
    man.add("k224_sequential_nested_model.h5", "HDF5 full model, Keras 2.2.4 Sequential with a nested Model",
            "k224_sequential_nested_model",
            "Sequential dict config (keras 2.2.3+), nested 'Model' entry as Sequential.get_config writes it; "
            "weight order from keras 2.2.4 Network.trainable_weights/non_trainable_weights",
            "nested group weight_names order: " + ", ".join(nested_names))

    # E. Keras 2.3.1 functional with two inputs and a shared layer (two inbound nodes);
    #    2.3.x writes "dtype" on every layer and "learning_rate" in the optimizer config
    #    (keras tag 2.3.1 base_layer.get_config / optimizers.py); real 2.3.1 to_json()
    #    snippets show the same key sets.
    def k23_dense(name, units, act):
        d = k22_dense(name, units, act, dtype=True)
        d["name"] = name
        return d
    inl = lambda n: {"name": n, "class_name": "InputLayer", "config": {
        "batch_input_shape": [None, 3], "dtype": "float32", "sparse": False, "name": n}, "inbound_nodes": []}
    shared = k23_dense("shared_dense", 4, "tanh")
    shared["inbound_nodes"] = [[["input_a", 0, 0, {}]], [["input_b", 0, 0, {}]]]
    cat = {"name": "concatenate_1", "class_name": "Concatenate", "config": {
        "name": "concatenate_1", "trainable": True, "dtype": "float32", "axis": -1},
        "inbound_nodes": [[["shared_dense", 0, 0, {}], ["shared_dense", 1, 0, {}]]]}
    out = k23_dense("dense_out", 2, "sigmoid")
    out["inbound_nodes"] = [[["concatenate_1", 0, 0, {}]]]
    cfg = {"class_name": "Model", "config": {"name": "model_1", "layers": [inl("input_a"), inl("input_b"), shared, cat, out],
                                             "input_layers": [["input_a", 0, 0], ["input_b", 0, 0]],
                                             "output_layers": [["dense_out", 0, 0]]}}
    sk, sbias, ok, ob = f32(3, 4), f32(4, sc=0.1), f32(8, 2), f32(2, sc=0.1)
    tc = {"optimizer_config": {"class_name": "RMSprop", "config": {
        "learning_rate": 0.0010000000474974513, "rho": 0.8999999761581421, "decay": 0.0, "epsilon": 1e-07}},
        "loss": "binary_crossentropy", "metrics": ["accuracy"], "weighted_metrics": None,
        "sample_weight_mode": None, "loss_weights": None}
    write_k2_h5(os.path.join(outdir, "k231_functional_shared.h5"), "2.3.1", cfg,
                [("input_a", []), ("input_b", []),
                 ("shared_dense", [("shared_dense/kernel:0", sk), ("shared_dense/bias:0", sbias)]),
                 ("concatenate_1", []), ("dense_out", [("dense_out/kernel:0", ok), ("dense_out/bias:0", ob)])],
                training_config=tc)
    xa, xb = sample((2, 3), 14), sample((2, 3), 15)
    ha, hb = np_dense(xa, sk, sbias, "tanh"), np_dense(xb, sk, sbias, "tanh")
    y = 1 / (1 + np.exp(-(np.concatenate([ha, hb], -1) @ ok + ob)))
    write_io(outdir, "k231_functional_shared", [xa, xb], [y])
    man.add("k231_functional_shared.h5", "HDF5 full model, Keras 2.3.1 functional ('Model') with a shared layer",
            "k231_functional_shared",
            "Keras 2.3.1 conventions from keras tag 2.3.1 source and real 2.3.1 to_json() snippets",
            "shared_dense has two inbound nodes; concatenate_1 reads node 0 and node 1")
    man.write()
    print("handbuilt ok")
    return outdir


# --------------------------------------------------------------------------- main
def detect():
    try:
        import keras
        if int(keras.__version__.split(".")[0]) >= 3:
            try:
                import tf_keras  # noqa
                return ["tf_keras"]   # a tf_keras venv: its keras 3 is just TF's dependency
            except ImportError:
                return ["keras3"]
        return ["tf.keras"]
    except ImportError:
        return []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--flavor", default="auto")
    ap.add_argument("--all", action="store_true", help="run in every known venv, plus handbuilt")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if args.all:
        for py in DEFAULT_VENVS:
            if os.path.exists(py):
                print("==", py)
                subprocess.run([py, HERE, "--out", args.out, "--flavor", "auto"], check=True)
        run_handbuilt(args.out)
        return
    flavors = detect() if args.flavor == "auto" else [args.flavor]
    for fl in flavors:
        if fl == "handbuilt":
            run_handbuilt(args.out)
        else:
            run_keras(args.out, fl)


if __name__ == "__main__":
    main()
