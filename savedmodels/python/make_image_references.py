"""Reference outputs of TensorFlow's image decoding and resizing and of Keras 3's image
preprocessing layers, for Jeras' image pipeline and augmentation layers.

Usage: make_image_references.py OUT_DIR

Writes OUT_DIR/image-references.json and the images it decodes (rgb.png, gray.png, photo.jpg).
Random layers are called with factors whose lower and upper bounds are equal, so the random
draw is fixed and the output comparable. Run with the newest Keras (venv.sh latest), whose
layers Jeras follows.
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402


def arr(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "values": [float(v) for v in a.reshape(-1)]}


def erasing_statistics():
    """RandomErasing at its defaults on 4,000 flat 28x28 images in [0, 1]: its draws cannot be
    fixed, so Jeras is compared on the statistics of what it erases (share of images erased,
    mean rows and columns of the rectangle, share of erased pixels clipped to 0 and to 1)."""
    images = np.full((4000, 28, 28, 1), 0.5, np.float32)
    out = np.asarray(layers.RandomErasing(value_range=(0, 1), seed=7)(images, training=True))
    erased = out[..., 0] != 0.5
    hit = erased.any(axis=(1, 2))
    rows = erased.any(axis=2).sum(axis=1)[hit]
    cols = erased.any(axis=1).sum(axis=1)[hit]
    values = out[..., 0][erased]
    return {"images": 4000, "size": 28, "erased_share": float(hit.mean()),
            "mean_rows": float(rows.mean()), "mean_columns": float(cols.mean()),
            "sd_rows": float(rows.std()), "sd_columns": float(cols.std()),
            "zero_share": float((values == 0).mean()), "one_share": float((values == 1).mean())}


def main(out):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(11)
    doc = {"keras": keras.__version__, "tensorflow": tf.__version__, "cases": {}}
    cases = doc["cases"]

    rgb = rng.integers(0, 256, (5, 7, 3), dtype=np.uint8)
    gray = rng.integers(0, 256, (6, 4, 1), dtype=np.uint8)
    tf.io.write_file(os.path.join(out, "rgb.png"), tf.io.encode_png(rgb))
    tf.io.write_file(os.path.join(out, "gray.png"), tf.io.encode_png(gray))
    # a smooth picture, so JPEG decoders agree closely
    yy, xx = np.mgrid[0:16, 0:16]
    photo = np.stack([xx * 15, yy * 15, (xx + yy) * 7], axis=-1).astype(np.uint8)
    tf.io.write_file(os.path.join(out, "photo.jpg"), tf.io.encode_jpeg(photo, quality=95))
    for name in ("rgb.png", "gray.png", "photo.jpg"):
        raw = tf.io.read_file(os.path.join(out, name))
        cases["decode_" + name + "_rgb"] = arr(tf.io.decode_image(raw, channels=3))
        cases["decode_" + name + "_gray"] = arr(tf.io.decode_image(raw, channels=1))
    image = tf.cast(tf.io.decode_png(tf.io.read_file(os.path.join(out, "rgb.png"))), "float32")
    cases["resize_input"] = arr(image)
    for h, w in ((9, 4), (3, 3), (5, 14)):
        cases[f"resize_{h}x{w}"] = arr(tf.image.resize(image, (h, w)))

    x = rng.uniform(0, 255, (2, 6, 5, 2)).astype("float32")
    cases["layer_input"] = arr(x)
    for name, layer in [
        ("rotation", layers.RandomRotation((0.1, 0.1))),
        ("rotation_constant", layers.RandomRotation((-0.2, -0.2), fill_mode="constant",
                                                     fill_value=7.0)),
        ("rotation_nearest_wrap", layers.RandomRotation((0.3, 0.3), fill_mode="wrap",
                                                        interpolation="nearest")),
        ("zoom", layers.RandomZoom((-0.3, -0.3), width_factor=(0.2, 0.2))),
        ("zoom_same", layers.RandomZoom((0.25, 0.25), fill_mode="nearest")),
        ("translation", layers.RandomTranslation((0.2, 0.2), (-0.1, -0.1))),
        ("brightness", layers.RandomBrightness((0.1, 0.1))),
        ("resizing", layers.Resizing(4, 9)),
        ("resizing_crop", layers.Resizing(4, 4, crop_to_aspect_ratio=True)),
        ("center_crop", layers.CenterCrop(3, 3)),
        ("center_crop_larger", layers.CenterCrop(8, 7)),
    ]:
        cases[name] = arr(layer(x, training=True))
    cases["erasing_statistics"] = erasing_statistics()
    path = os.path.join(out, "image-references.json")
    with open(path + ".tmp", "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    os.replace(path + ".tmp", path)
    print(json.dumps({"keras": keras.__version__, "cases": sorted(cases)}))


if __name__ == "__main__":
    main(sys.argv[1])
