"""Builds every keras.applications architecture of the installed Keras and checks what Jeras
writes back, for ApplicationsRoundTripTest. A long-lived worker: one TensorFlow import for all
models, one JSON command per line on stdin, one JSON answer per line on stdout (prefixed with
"@@ " so TensorFlow's own log lines cannot be mistaken for answers).

With --tf-keras the worker runs tf_keras (Keras 2), which writes Keras 2 .h5 files and
tf_keras' own .keras zips; "check" is not available there.

Commands:
  {"op": "list"}
      -> {"keras": version, "tensorflow": version, "models": [names of keras.applications
          constructors, found by enumerating the module]}
  {"op": "make", "name": "VGG16", "dir": DIR}
      The architecture with weights=None at a small input size, 10 classes and logits out
      (classifier_activation=None where the constructor takes it), its BatchNormalization
      statistics, Normalization statistics and LayerScale factors set to seeded random values
      (so none of them is the identity), saved as DIR/model.keras and, where Keras can write it,
      DIR/model.h5; DIR/x.npy (2 images, pixels 0..255) and DIR/y.npy (Keras' predictions).
      -> {"input_shape": [...], "params": n, "h5": true|"reason", "layers": {class: count}}
  {"op": "noise", "dir": DIR}
      How far Keras' own two ways of running the model just made in DIR on its x differ (eager
      call against a traced predict): float32 rounding grows with depth, and a very deep
      network at random initialization disagrees with itself by more than 1e-4.
      -> {"max_diff": d}
  {"op": "check", "dir": DIR}
      Loads DIR/jeras_savedmodel (tf.saved_model.load, serving_default) and DIR/jeras.keras
      (keras.models.load_model), predicts DIR/x.npy with both, compares with DIR/y_jeras.npy
      (what Jeras predicts), then trains the loaded .keras model one step.
      -> {"savedmodel_max_diff": d, "keras_max_diff": d, "train_loss": l}
"""
import inspect
import json
import os
import sys
import traceback

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

if "--tf-keras" in sys.argv:
    # Keras 2 as tf_keras: .h5 files as tf.keras writes them, and its applications (RegNet,
    # ResNetRS, MobileNetV3 built from TFOpLambda arithmetic, ...)
    import tf_keras as keras  # noqa: E402
else:
    import keras  # noqa: E402

# Smallest input each family accepts (Keras checks a minimum size per architecture).
MIN_SIZE = {"InceptionV3": 75, "InceptionResNetV2": 75, "Xception": 71}
DEFAULT_SIZE = 32


def constructors():
    """Every architecture constructor keras.applications exports (a new one shows up here)."""
    found = set()
    modules = [keras.applications] + [getattr(keras.applications, n)
                                      for n in dir(keras.applications) if not n.startswith("_")]
    for module in modules:
        if not inspect.ismodule(module):
            continue
        for name in dir(module):
            value = getattr(module, name)
            if (name[:1].isupper() and callable(value)
                    and "include_top" in inspect.signature(value).parameters):
                found.add(name)
    return sorted(found)


def build(name):
    constructor = getattr(keras.applications, name)
    size = MIN_SIZE.get(name, DEFAULT_SIZE)
    kwargs = {"weights": None, "input_shape": (size, size, 3), "classes": 10}
    if "classifier_activation" in inspect.signature(constructor).parameters:
        kwargs["classifier_activation"] = None
    return constructor(**kwargs)


def randomize_statistics(model, rng):
    """Values that are neither the identity nor explosive: BatchNormalization's moving
    statistics are calibrated on random images (a deep network at random initialization otherwise
    grows its activations by orders of magnitude, and float rounding with them), its gamma and
    beta, Normalization's statistics and LayerScale's factors are random."""
    for layer in all_layers(model):
        kind = layer.__class__.__name__
        if kind == "BatchNormalization":
            values = []
            for w in layer.weights:
                n = w.name.split("/")[-1]
                shape = tuple(w.shape)
                if "gamma" in n:
                    values.append(rng.uniform(0.8, 1.2, shape))
                elif "beta" in n:
                    values.append(rng.normal(0, 0.1, shape))
                else:
                    values.append(w.numpy())
            layer.set_weights([v.astype("float32") for v in values])
        elif kind == "Normalization" and layer.weights:
            values = []
            for w in layer.weights:
                n = w.name.split("/")[-1].split(":")[0]  # Keras 2 names end in ":0"
                shape = tuple(w.shape)
                if n == "mean":
                    values.append(rng.uniform(100, 150, shape).astype("float32"))
                elif n == "variance":
                    values.append(rng.uniform(2000, 4000, shape).astype("float32"))
                else:
                    values.append(np.array(1000, dtype=w.numpy().dtype))
            layer.set_weights(values)
            # the layer computes with statistics read from its weights when it is built or
            # loaded; this makes it read the new ones, as a model loaded from the file does
            layer.finalize_state()
        elif kind == "LayerScale":
            layer.set_weights([rng.uniform(0.1, 0.5, tuple(w.shape)).astype("float32")
                               for w in layer.weights])
    shape = [int(d) for d in model.input_shape[1:]]
    calibrate(model, rng.uniform(0, 255, [8] + shape).astype("float32"))


def calibrate(model, x):
    """Sets every BatchNormalization's moving statistics from its input for batch x, in one
    inference pass: each layer, when called, first takes the mean and the variance (plus 1, so
    no channel is amplified) of what reaches it through the layers before it, already
    calibrated."""
    original = keras.layers.BatchNormalization.call

    def calibrating_call(self, inputs, training=None, **kwargs):
        rank = len(inputs.shape)
        axis = self.axis if isinstance(self.axis, int) else self.axis[0]
        axes = [i for i in range(rank) if i != axis % rank]
        self.moving_mean.assign(tf.reduce_mean(inputs, axis=axes))
        self.moving_variance.assign(tf.math.reduce_variance(inputs, axis=axes) + 1.0)
        return original(self, inputs, training=False, **kwargs)

    keras.layers.BatchNormalization.call = calibrating_call
    try:
        model(x, training=False)
    finally:
        keras.layers.BatchNormalization.call = original


def all_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from all_layers(layer)
        else:
            yield layer


# the model "make" built last, for "noise" (loading a deep model back is much slower)
LAST = {"model": None, "x": None, "dir": None}


def make(name, out):
    LAST.update(model=None, x=None, dir=None)
    keras.backend.clear_session()
    os.makedirs(out, exist_ok=True)
    keras.utils.set_random_seed(11)
    model = build(name)
    rng = np.random.default_rng(11)
    shape = [int(d) for d in model.input_shape[1:]]
    randomize_statistics(model, rng)
    x = rng.uniform(0, 255, [2] + shape).astype("float32")
    # eager calls: tracing a graph for one batch costs more than it saves
    y = np.asarray(model(x, training=False))
    np.save(os.path.join(out, "x.npy"), x)
    np.save(os.path.join(out, "y.npy"), np.asarray(y, dtype="float32"))
    model.save(os.path.join(out, "model.keras"))
    try:
        model.save(os.path.join(out, "model.h5"))
        h5 = True
    except Exception as e:  # noqa: BLE001
        h5 = f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"
        if os.path.exists(os.path.join(out, "model.h5")):
            os.remove(os.path.join(out, "model.h5"))
    layers = {}
    for layer in all_layers(model):
        layers[layer.__class__.__name__] = layers.get(layer.__class__.__name__, 0) + 1
    answer = {"input_shape": shape, "params": int(model.count_params()), "h5": h5,
              "layers": layers}
    LAST.update(model=model, x=x, dir=out)
    return answer


def noise(out):
    model, x = LAST["model"], LAST["x"]
    if model is None or LAST["dir"] != out:
        raise ValueError(f"noise needs the model just made in {out}")
    eager = np.asarray(model(x, training=False))
    traced = model.predict(x, verbose=0)
    return {"max_diff": float(np.max(np.abs(eager - traced)))}


def check(out):
    x = np.load(os.path.join(out, "x.npy"))
    expected = np.load(os.path.join(out, "y_jeras.npy"))
    loaded = tf.saved_model.load(os.path.join(out, "jeras_savedmodel"))
    serve = loaded.signatures["serving_default"]
    key = list(serve.structured_input_signature[1].keys())[0]
    served = list(serve(**{key: tf.constant(x)}).values())[0].numpy()
    del loaded, serve
    model = keras.models.load_model(os.path.join(out, "jeras.keras"), compile=False)
    predicted = np.asarray(model(x, training=False))
    model.compile(optimizer=keras.optimizers.SGD(1e-4),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  run_eagerly=True)
    history = model.fit(x, np.array([1, 2]), epochs=1, batch_size=2, verbose=0)
    answer = {"savedmodel_max_diff": float(np.max(np.abs(served - expected))),
              "keras_max_diff": float(np.max(np.abs(predicted - expected))),
              "scale": float(np.max(np.abs(expected))),
              "train_loss": float(history.history["loss"][0])}
    del model
    keras.backend.clear_session()
    return answer


def finite(value):
    """NaN and infinities as strings, so the answer stays valid JSON (and fails the check)."""
    if isinstance(value, float) and not np.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [finite(v) for v in value]
    return value


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        command = json.loads(line)
        try:
            if command["op"] == "list":
                answer = {"keras": keras.__version__, "tensorflow": tf.__version__,
                          "models": constructors()}
            elif command["op"] == "make":
                answer = make(command["name"], command["dir"])
            elif command["op"] == "noise":
                answer = noise(command["dir"])
            elif command["op"] == "check":
                answer = check(command["dir"])
            else:
                raise ValueError(f"unknown op {command['op']}")
        except Exception as e:  # noqa: BLE001
            answer = {"error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc()}
        print("@@ " + json.dumps(finite(answer)), flush=True)


if __name__ == "__main__":
    main()
