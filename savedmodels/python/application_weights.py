"""Keras applications with seeded random weights saved as keras.applications downloads them,
for ApplicationsInJavaTest (Jeras builds the same architectures in Java and loads the files).

A long-lived worker: one TensorFlow import for all models, one JSON command per line on stdin,
one JSON answer per line on stdout (prefixed with "@@ " so TensorFlow's own log lines cannot be
mistaken for answers).

Commands:
  {"op": "versions"} -> {"keras": version, "tensorflow": version}
  {"op": "make", "name": "VGG16", "cache": DIR, "out": DIR, "keras3": false}
      keras.applications.<name> at a small input size (32x32, or the architecture's minimum),
      with the top (weights=None, classes=10, classifier_activation=None) and without
      (weights="imagenet", pooling="avg"). BatchNormalization statistics, gammas and betas,
      Normalization statistics and LayerScale factors get seeded random values (randomize);
      each model's weights go to CACHE/models under the name of the file keras.applications
      downloads (legacy HDF5 weights, save_weights_to_hdf5_group). Names and addresses are
      Keras' own: keras.utils.get_file is replaced by a function recording what it is asked
      for. The model with the top asks with Keras' defaults (Keras refuses ImageNet weights
      with 10 classes) and is stopped there; the model without the top is Keras' architecture
      for ImageNet weights, its load_weights replaced by randomize-and-save (imagenet_model).
      OUT/x.npy: 2 images, pixels 0..255; OUT/x_pre.npy: the family's preprocess_input of
      them; OUT/y_top.npy and OUT/y_notop.npy: the two models' predictions of x_pre. With
      "keras3", also OUT/top.weights.h5: the model with the top's weights in Keras 3's format.
      -> {"size": s, "top_file", "top_url", "notop_file", "notop_url",
          "top_layers": [[name, class, is a layer], ...], "notop_layers": [...],
          "params_top": n, "params_notop": n, "seconds": t}
  {"op": "imagenet", "name": "MobileNet", "kwargs": {...}, "size": s, "cache": DIR, "out": DIR}
      Keras' model for weights="imagenet" with the top (1000 classes; kwargs such as alpha) at
      size x size, its random weights written to CACHE/models as above; OUT/x.npy,
      OUT/x_pre.npy and its predictions OUT/y.npy.
      -> {"file", "url", "layers", "params"}

  {"op": "threads", "n": n} (first, before any model) -> {}
      Limits TensorFlow's thread pools to n threads (the Java test runs beside this worker).
"""
import contextlib
import importlib
import inspect
import json
import os
import sys
import time
import traceback

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import h5py  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras.src.layers.layer import Layer  # noqa: E402
from keras.src.legacy.saving import legacy_h5_format  # noqa: E402
from keras.src.utils import file_utils  # noqa: E402

# Smallest input each family accepts (Keras checks a minimum size per architecture).
MIN_SIZE = {"InceptionV3": 75, "InceptionResNetV2": 75, "Xception": 71}
DEFAULT_SIZE = 32
SEED = 7


class Requested(Exception):
    """get_file was asked for a file: its name and address (the model is not needed)."""

    def __init__(self, fname, origin):
        super().__init__(fname)
        self.fname = fname
        self.origin = origin


class FakeGetFile:
    """Stands in for keras.utils.get_file: records the request and answers with the file of
    that name in a folder (or, without a folder, stops the constructor)."""

    def __init__(self, folder=None):
        self.folder = folder
        self.requests = []

    def __call__(self, fname=None, origin=None, *args, **kwargs):
        self.requests.append((fname, origin))
        if self.folder is None:
            raise Requested(fname, origin)
        return os.path.join(self.folder, fname)


def constructor(name):
    return getattr(keras.applications, name)


def module_of(name):
    """The application's module (keras.src.applications.resnet_v2, ...)."""
    return importlib.import_module(constructor(name).__module__)


def with_get_file(fake, build, load_weights=None):
    """Runs build() with keras.utils.get_file (which every application calls) replaced, and
    with the model's load_weights replaced by load_weights(model, path) if given."""
    original_get_file = file_utils.get_file
    original_load_weights = keras.Model.load_weights
    file_utils.get_file = fake
    if load_weights is not None:
        keras.Model.load_weights = load_weights
    try:
        return build()
    finally:
        file_utils.get_file = original_get_file
        keras.Model.load_weights = original_load_weights


@contextlib.contextmanager
def zero_initializers():
    """Layers create their weights filled with zeros (faster than random values)."""
    original = Layer.add_weight

    def add_weight(self, *args, **kwargs):
        kwargs["initializer"] = "zeros"
        return original(self, *args, **kwargs)

    Layer.add_weight = add_weight
    try:
        yield
    finally:
        Layer.add_weight = original


def build(name, **kwargs):
    keras.backend.clear_session()  # Keras' automatic names as in a fresh session
    return constructor(name)(**kwargs)


def all_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from all_layers(layer)
        else:
            yield layer


def residual_ends(model):
    """The BatchNormalization layers whose output is added to a residual stream.

    Followed back from each Add through Dropout (EfficientNet drops whole branches there).
    """
    ends = set()
    for op in model.operations:
        if op.__class__.__name__ != "Add" or not isinstance(op, keras.layers.Layer):
            continue
        for node in op._inbound_nodes:
            for tensor in node.input_tensors:
                source = tensor._keras_history.operation
                while source.__class__.__name__ == "Dropout":
                    source = source._inbound_nodes[0].input_tensors[0]._keras_history.operation
                if source.__class__.__name__ == "BatchNormalization":
                    ends.add(id(source))
    return ends


def randomize(model, rng):
    """BatchNormalization, Normalization and LayerScale values that are not the identity.

    With Keras' random initial kernels, the deepest networks (EfficientNetV2M and L) are
    chaotic: their logits change completely when an input changes by one part in a million, so
    no two programs can agree on them. The batch normalizations ending residual branches get
    smaller gammas (0.3 to 0.6, as trained networks tend to have them), which keeps every
    architecture well-conditioned; the others get 0.8 to 1.2.
    """
    ends = residual_ends(model)
    for layer in all_layers(model):
        kind = layer.__class__.__name__
        if kind == "BatchNormalization":
            values = []
            for w in layer.weights:
                n = w.name.split("/")[-1]
                shape = tuple(w.shape)
                if "moving_variance" in n:
                    values.append(rng.uniform(0.5, 1.5, shape))
                elif "moving_mean" in n:
                    values.append(rng.normal(0, 0.1, shape))
                elif "gamma" in n and id(layer) in ends:
                    values.append(rng.uniform(0.3, 0.6, shape))
                elif "gamma" in n:
                    values.append(rng.uniform(0.8, 1.2, shape))
                else:
                    values.append(rng.normal(0, 0.1, shape))
            layer.set_weights([v.astype("float32") for v in values])
        elif kind == "Normalization" and layer.weights:
            # EfficientNet's: after Rescaling(1/255), so statistics of values in [0, 1]
            values = []
            for w in layer.weights:
                n = w.name.split("/")[-1]
                shape = tuple(w.shape)
                if n == "mean":
                    values.append(rng.uniform(0.3, 0.6, shape).astype("float32"))
                elif n == "variance":
                    values.append(rng.uniform(0.04, 0.1, shape).astype("float32"))
                else:
                    values.append(np.array(0, dtype=w.dtype))
            layer.set_weights(values)
            # the layer computes with statistics read from its weights when it is built or
            # loaded; this makes it read the new ones, as a model loaded from the file does
            layer.finalize_state()
        elif kind == "LayerScale":
            layer.set_weights([rng.uniform(0.1, 0.5, tuple(w.shape)).astype("float32")
                               for w in layer.weights])


def save_legacy_weights(model, path):
    """The weights as keras.applications' .h5 files hold them (Keras' legacy format)."""
    with h5py.File(path, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, model)


def layer_names(model):
    """The model's operations in order, inputs left out: [name, class, is a layer]."""
    return [[op.name, op.__class__.__name__, isinstance(op, keras.layers.Layer)]
            for op in model.operations if op.__class__.__name__ != "InputLayer"]


def takes(name, argument):
    return argument in inspect.signature(constructor(name)).parameters


def imagenet_model(name, cache, rng, **kwargs):
    """Keras' model for weights="imagenet" with seeded random weights written to the file
    Keras downloads, in CACHE/models.

    The constructor asks get_file for its file (answered with that path in the cache) and
    then calls model.load_weights(path): instead, the model gets random values (randomize) and
    its weights are written to that path, so the file holds exactly the weights of the model
    returned, and is named and addressed as Keras' own. Returns the model, the file name and
    the address.
    """
    models = os.path.join(cache, "models")
    os.makedirs(models, exist_ok=True)
    fake = FakeGetFile(models)

    def load_weights(model, path, *args, **kwargs):
        randomize(model, rng)
        save_legacy_weights(model, path)

    model = with_get_file(fake, lambda: build(name, weights="imagenet", **kwargs),
                          load_weights)
    fname, origin = fake.requests[-1]
    return model, fname, origin


def images(rng, size):
    return rng.uniform(0, 255, (2, size, size, 3)).astype("float32")


def predict(model, x):
    """Keras' predictions (the model called on the batch, in inference mode)."""
    return np.asarray(model(x, training=False), dtype="float32")


def prepare(name, size, out, rng):
    """OUT/x.npy and OUT/x_pre.npy: 2 images and the family's preprocess_input of them."""
    os.makedirs(out, exist_ok=True)
    x = images(rng, size)
    x_pre = np.asarray(module_of(name).preprocess_input(x.copy()), dtype="float32")
    np.save(os.path.join(out, "x.npy"), x)
    np.save(os.path.join(out, "x_pre.npy"), x_pre)
    return x_pre


def make(name, cache, out, keras3=False):
    start = time.time()
    size = MIN_SIZE.get(name, DEFAULT_SIZE)
    shape = (size, size, 3)
    rng = np.random.default_rng(SEED)
    x_pre = prepare(name, size, out, rng)

    # With the top: 10 classes and logits, saved under the name of Keras' top download (Keras
    # refuses ImageNet weights with 10 classes, so the name is asked for with Keras' defaults,
    # the build stopping at get_file).
    kwargs = {"input_shape": shape, "classes": 10}
    if takes(name, "classifier_activation"):
        kwargs["classifier_activation"] = None
    keras.utils.set_random_seed(SEED)
    top = build(name, weights=None, **kwargs)
    randomize(top, rng)
    answer = {"size": size, "top_layers": layer_names(top),
              "params_top": int(top.count_params())}
    np.save(os.path.join(out, "y_top.npy"), predict(top, x_pre))
    if keras3:
        top.save_weights(os.path.join(out, "top.weights.h5"))
    try:
        with zero_initializers():  # this model is thrown away: no random values needed
            with_get_file(FakeGetFile(), lambda: build(name, weights="imagenet"))
        raise AssertionError(f"{name}(weights='imagenet') did not ask for a file")
    except Requested as requested:
        answer["top_file"], answer["top_url"] = requested.fname, requested.origin
    models = os.path.join(cache, "models")
    os.makedirs(models, exist_ok=True)
    save_legacy_weights(top, os.path.join(models, answer["top_file"]))
    del top

    # Without the top: Keras' model for weights="imagenet", its weights written to the file
    keras.utils.set_random_seed(SEED + 1)
    notop, answer["notop_file"], answer["notop_url"] = imagenet_model(
        name, cache, rng, include_top=False, pooling="avg", input_shape=shape)
    answer["notop_layers"] = layer_names(notop)
    answer["params_notop"] = int(notop.count_params())
    np.save(os.path.join(out, "y_notop.npy"), predict(notop, x_pre))
    del notop
    keras.backend.clear_session()
    answer["seconds"] = time.time() - start
    return answer


def imagenet_top(name, kwargs, size, cache, out):
    """A model with the top as Keras allows ImageNet weights: 1000 classes, Keras' sizes."""
    rng = np.random.default_rng(SEED)
    x_pre = prepare(name, size, out, rng)
    keras.utils.set_random_seed(SEED)
    model, fname, origin = imagenet_model(name, cache, rng, input_shape=(size, size, 3),
                                          **kwargs)
    np.save(os.path.join(out, "y.npy"), predict(model, x_pre))
    answer = {"file": fname, "url": origin, "layers": layer_names(model),
              "params": int(model.count_params())}
    del model
    keras.backend.clear_session()
    return answer


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        command = json.loads(line)
        try:
            if command["op"] == "threads":
                tf.config.threading.set_intra_op_parallelism_threads(command["n"])
                tf.config.threading.set_inter_op_parallelism_threads(command["n"])
                answer = {}
            elif command["op"] == "versions":
                answer = {"keras": keras.__version__, "tensorflow": tf.__version__}
            elif command["op"] == "make":
                answer = make(command["name"], command["cache"], command["out"],
                              command.get("keras3", False))
            elif command["op"] == "imagenet":
                answer = imagenet_top(command["name"], command.get("kwargs", {}),
                                      command["size"], command["cache"], command["out"])
            else:
                raise ValueError(f"unknown op {command['op']}")
        except Exception as e:  # noqa: BLE001
            answer = {"error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc()}
        print("@@ " + json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
