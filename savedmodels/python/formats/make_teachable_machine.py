#!/usr/bin/env python3
"""Rebuild the layout of a Teachable Machine (image project) Keras export.

Teachable Machine's "Export model > Tensorflow > Keras" gives `converted_keras.zip`
with `keras_model.h5` + `labels.txt`.  The .h5 is made server side by
`tensorflowjs_converter --input_format tfjs_layers_model --output_format keras`
(tensorflowjs 2.0.1 on tensorflow 2.3.0, Python 3.6 -- see
googlecreativelab/teachablemachine-community snippets/converter/image/Dockerfile
and api.py), so its attributes say keras_version "2.4.0" (tf.keras of TF 2.3).

Structure of every real file examined (7 files committed 2021-2025 to public repos,
e.g. A-Knight/TeachableMachine, 963n/TeachableMachine-Water-Classification,
0N1cky1/teachable-machine, A11phaBeta/COVID-19-X-Ray-AI, 2tle/rock_sissor_paper):

  Sequential "sequential_4"                      (N differs per export: 4, 12, 24 ...)
    InputLayer "sequential_1_input"  batch_input_shape [null,224,224,3]
    Sequential "sequential_1"
      InputLayer "model1_input"
      Functional "model1"  = MobileNetV2 alpha 0.35, 224, include_top=False
                             (155 layers, input_1 ... out_relu, output 7x7x1280)
      GlobalAveragePooling2D "global_average_pooling2d_GlobalAveragePooling2D1"
    Sequential "sequential_3"
      InputLayer "dense_Dense1_input"  [null,1280]
      Dense "dense_Dense1"  100 relu, VarianceScaling(1, fan_in, truncated_normal)
      Dense "dense_Dense2"  <classes> softmax, use_bias=false

  /model_weights attrs: layer_names = [b"sequential_1", b"sequential_3"]  (fixed-length |S)
  /model_weights/sequential_1  weight_names (260, fixed |S44): the 156 trainable
        variables of model1 in layer order ("Conv1/kernel:0", "bn_Conv1/gamma:0", ...)
        followed by the 104 BN moving_mean/moving_variance ("bn_Conv1/moving_mean:0" ...)
  /model_weights/sequential_3  weight_names: dense_Dense1/kernel:0, dense_Dense1/bias:0,
        dense_Dense2/kernel:0
  root attrs: backend, keras_version ("2.4.0", vlen UTF-8 str), model_config
        (vlen ASCII bytes); no training_config, no optimizer_weights.

This script builds the same model with tf_keras (Keras 2 API) and weights=None, saves
it as .h5 and then edits the file with h5py so that it is laid out like the real one:
keras_version 2.4.0, TF-2.3-style model_config (no "module"/"registered_name"/
"build_config", no "keepdims" in GlobalAveragePooling2D, no "trainable" in the
Functional config, tfjs-style VarianceScaling initializers), no
top_level_model_weights group, fixed-length string arrays for layer_names and
weight_names.  The weights are random (Keras initialisers, BN moving stats set to
random positive values so that BN is not an identity) and the script writes a sample
input and the predictions of tf_keras for it.

Run with a venv holding tf_keras 2.18 + tensorflow-cpu 2.18.1 + h5py:
    python make_teachable_machine.py --out DIR [--classes 3] [--compare REAL.h5]
"""
import argparse
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import h5py
import numpy as np
import tf_keras as keras

TM_KERAS_VERSION = "2.4.0"
INIT_CONV = {"class_name": "VarianceScaling",
             "config": {"scale": 1, "mode": "fan_avg", "distribution": "uniform", "seed": None}}
INIT_DENSE = {"class_name": "VarianceScaling",
              "config": {"scale": 1, "mode": "fan_in", "distribution": "truncated_normal", "seed": None}}
DROP_KEYS = ("module", "registered_name", "build_config", "compile_config", "shared_object_id")


def build(num_classes, seed=0):
    keras.utils.set_random_seed(seed)
    base = keras.applications.MobileNetV2(input_shape=(224, 224, 3), alpha=0.35,
                                          include_top=False, weights=None)
    cfg = base.get_config()
    cfg["name"] = "model1"
    # The tfjs MobileNetV2 that TM truncates (built from Keras 2.2-era
    # keras.applications) has an explicit "Conv1_pad" ZeroPadding2D((0,1),(0,1)) and a
    # "valid" Conv1; current keras.applications use padding="same" instead.
    layers = cfg["layers"]
    i = next(k for k, l in enumerate(layers) if l["name"] == "Conv1")
    src = layers[i]["inbound_nodes"]
    layers[i]["config"]["padding"] = "valid"
    layers[i]["inbound_nodes"] = [[["Conv1_pad", 0, 0, {}]]]
    layers.insert(i, {"class_name": "ZeroPadding2D", "name": "Conv1_pad",
                      "config": {"name": "Conv1_pad", "trainable": True, "dtype": "float32",
                                 "padding": [[0, 1], [0, 1]], "data_format": "channels_last"},
                      "inbound_nodes": src})
    for layer in cfg["layers"]:
        c = layer["config"]
        for k in ("kernel_initializer", "depthwise_initializer"):
            if k in c:
                c[k] = json.loads(json.dumps(INIT_CONV))
    model1 = keras.Model.from_config(cfg)

    seq1 = keras.Sequential(name="sequential_1")
    seq1.add(keras.layers.InputLayer(input_shape=(224, 224, 3), name="model1_input"))
    seq1.add(model1)
    seq1.add(keras.layers.GlobalAveragePooling2D(
        name="global_average_pooling2d_GlobalAveragePooling2D1"))

    init = lambda: keras.initializers.VarianceScaling(1, "fan_in", "truncated_normal")
    head = keras.Sequential(name="sequential_3")
    head.add(keras.layers.InputLayer(input_shape=(1280,), name="dense_Dense1_input"))
    head.add(keras.layers.Dense(100, activation="relu", name="dense_Dense1",
                                kernel_initializer=init(), batch_input_shape=(None, 1280)))
    head.add(keras.layers.Dense(num_classes, activation="softmax", use_bias=False,
                                name="dense_Dense2", kernel_initializer=init()))

    top = keras.Sequential(name="sequential_4")
    top.add(keras.layers.InputLayer(input_shape=(224, 224, 3), name="sequential_1_input"))
    top.add(seq1)
    top.add(head)

    # Non-trivial BN statistics so that a loader that ignores them is caught:
    # moving mean/variance are calibrated on random images (so activations neither
    # vanish nor saturate ReLU6), gamma/beta are random.
    rng = np.random.RandomState(seed)
    calib = rng.uniform(-1, 1, (4, 224, 224, 3)).astype("float32")
    for layer in model1.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            probe = keras.Model(model1.input, layer.input)
            a = probe(calib, training=False).numpy()
            g, b, m, v = layer.get_weights()
            layer.set_weights([rng.uniform(0.8, 1.2, g.shape).astype("float32"),
                               rng.uniform(-0.1, 0.3, b.shape).astype("float32"),
                               a.mean(axis=(0, 1, 2)).astype("float32"),
                               (a.var(axis=(0, 1, 2)) + 1e-3).astype("float32")])
    return top


def tf23_style(obj, parent_key=None):
    """Rewrite a tf_keras 2.18 config into the key layout TF 2.3 wrote."""
    if isinstance(obj, list):
        return [tf23_style(x, parent_key) for x in obj]
    if not isinstance(obj, dict):
        return obj
    out = {}
    for k, v in obj.items():
        if k in DROP_KEYS:
            continue
        out[k] = tf23_style(v, k)
    cls = out.get("class_name")
    cfg = out.get("config")
    if isinstance(cfg, dict):
        if cls in ("GlobalAveragePooling2D", "GlobalMaxPooling2D"):
            cfg.pop("keepdims", None)
        if cls == "Functional":
            cfg.pop("trainable", None)
        if cls == "VarianceScaling" and cfg.get("scale") == 1.0:
            cfg["scale"] = 1  # tfjs writes 1, not 1.0
    return out


def fixed(strings):
    strings = [s if isinstance(s, bytes) else s.encode() for s in strings]
    n = max([len(s) for s in strings] + [1])
    return np.array(strings, dtype=f"S{n}")


def retouch(path, model):
    cfg = json.loads(model.to_json())
    tm_cfg = {"class_name": cfg["class_name"], "config": tf23_style(cfg["config"])}
    with h5py.File(path, "r+") as f:
        for k in list(f.attrs):
            del f.attrs[k]
        f.attrs["backend"] = "tensorflow"                       # vlen UTF-8 str
        f.attrs["keras_version"] = TM_KERAS_VERSION             # vlen UTF-8 str
        f.attrs["model_config"] = json.dumps(tm_cfg).encode()   # vlen ASCII bytes
        for k in ("training_config", "optimizer_weights"):
            if k in f.attrs:
                del f.attrs[k]
            if k in f:
                del f[k]
        mw = f["model_weights"]
        if "top_level_model_weights" in mw:
            del mw["top_level_model_weights"]
        names = [n.decode() if isinstance(n, bytes) else n for n in mw.attrs["layer_names"]]
        names = [n for n in names if n != "top_level_model_weights"]
        del mw.attrs["layer_names"]
        mw.attrs["layer_names"] = fixed(names)
        mw.attrs["backend"] = b"tensorflow"                     # vlen ASCII bytes
        mw.attrs["keras_version"] = TM_KERAS_VERSION.encode()
        for n in names:
            g = mw[n]
            wn = list(g.attrs["weight_names"])
            del g.attrs["weight_names"]
            g.attrs["weight_names"] = fixed(wn) if len(wn) else np.zeros((0,), "float64")


def structure(path):
    """(attr name, kind) and dataset shapes, with per-export names normalised."""
    rows = []
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            for a in obj.attrs:
                if a == "model_config":
                    continue
                t = h5py.h5a.open(obj.id, a.encode()).get_type()
                kind = ("vlen" if t.is_variable_str() else "fixed") if isinstance(t, h5py.h5t.TypeStringID) else t.__class__.__name__
                rows.append(("attr", name, a, kind))
            if isinstance(obj, h5py.Dataset):
                # the classifier kernel (100, n_classes) differs per export: compare (100,)
                shp = obj.shape[:-1] if (len(obj.shape) == 2 and obj.shape[0] == 100) else obj.shape
                rows.append(("dset", name, shp, str(obj.dtype)))
        visit("/", f)
        f.visititems(visit)
    return rows


def normalise_names(s):
    import re
    s = re.sub(r"sequential_\d+", "sequential_N", s)
    s = re.sub(r"model\d+", "modelN", s)
    s = re.sub(r"dense_Dense\d+", "dense_DenseK", s)
    s = re.sub(r"GlobalAveragePooling2D\d+", "GlobalAveragePooling2DN", s)
    return s


def compare(real, mine):
    ra = {normalise_names(repr(r)) for r in structure(real)}
    ma = {normalise_names(repr(r)) for r in structure(mine)}
    print("only in real file:", sorted(ra - ma) or "nothing")
    print("only in rebuilt file:", sorted(ma - ra) or "nothing")
    with h5py.File(real) as f1, h5py.File(mine) as f2:
        c1 = normalise_names(f1.attrs["model_config"] if isinstance(f1.attrs["model_config"], str) else f1.attrs["model_config"].decode())
        c2 = normalise_names(f2.attrs["model_config"] if isinstance(f2.attrs["model_config"], str) else f2.attrs["model_config"].decode())
        j1, j2 = json.loads(c1), json.loads(c2)
        diffs = []

        def walk(a, b, p):
            if isinstance(a, dict) and isinstance(b, dict):
                for k in sorted(set(a) | set(b)):
                    if k not in a or k not in b:
                        diffs.append(f"{p}/{k}: {'missing in rebuilt' if k not in b else 'extra in rebuilt'}")
                    else:
                        walk(a[k], b[k], f"{p}/{k}")
            elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
                for i, (x, y) in enumerate(zip(a, b)):
                    walk(x, y, f"{p}[{i}]")
            elif a != b:
                diffs.append(f"{p}: real={json.dumps(a)[:80]} rebuilt={json.dumps(b)[:80]}")
        walk(j1, j2, "")
        print(f"model_config differences ({len(diffs)}):")
        for d in diffs[:40]:
            print("  ", d)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--classes", type=int, default=2)
    ap.add_argument("--compare", help="a real Teachable Machine keras_model.h5 to diff against")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    model = build(args.classes)
    path = os.path.join(args.out, "keras_model.h5")
    model.save(path, include_optimizer=False)
    retouch(path, model)
    with open(os.path.join(args.out, "labels.txt"), "w") as f:
        for i in range(args.classes):
            f.write(f"{i} Class {i + 1}\n")
    # Sample input in TM's preprocessing range: (pixel / 127.5) - 1
    x = (np.random.RandomState(1).randint(0, 256, (1, 224, 224, 3)).astype("float32") / 127.5) - 1
    reloaded = keras.models.load_model(path, compile=False)
    y = reloaded(x, training=False).numpy()
    y0 = model(x, training=False).numpy()
    assert np.allclose(y, y0, atol=1e-5), "reloaded file predicts differently"
    np.save(os.path.join(args.out, "keras_model.input.npy"), x)
    np.save(os.path.join(args.out, "keras_model.expected.npy"), y)
    with open(os.path.join(args.out, "keras_model.json"), "w") as f:
        json.dump({"file": "keras_model.h5", "format": "Teachable Machine image export (tf.keras 2.4.0 HDF5 layout)",
                   "writer": f"tf_keras {keras.__version__}, retouched with h5py {h5py.__version__}",
                   "input_file": "keras_model.input.npy", "expected_file": "keras_model.expected.npy",
                   "input_shape": list(x.shape), "expected": y.tolist()}, f, indent=1)
    print("wrote", path, "predictions", y)
    if args.compare:
        compare(args.compare, path)


if __name__ == "__main__":
    main()
