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


def generator_transforms(cases, rng):
    """Keras' ImageDataGenerator.apply_transform (the Keras 2 generator Keras 3 keeps under
    keras.src.legacy; SciPy's order-1 affine_transform inside) on one 11x13x3 image, each
    transform and fill mode as Jeras' Transform record and FillMode name them."""
    from keras.src.legacy.preprocessing.image import ImageDataGenerator
    image = rng.uniform(0, 255, (11, 13, 3)).astype("float32")
    cases["generator_input"] = arr(image)
    transforms = {
        "rotate": dict(theta=30),
        "all": dict(theta=17, tx=1.5, ty=-2.25, shear=12, zx=0.8, zy=1.15,
                    flip_horizontal=True),
        "shift_zoom_flips": dict(tx=-3, ty=4.5, zx=1.3, zy=0.7, flip_horizontal=True,
                                 flip_vertical=True),
        "flip_vertical": dict(flip_vertical=True),
        "brightness": dict(theta=-8, brightness=1.3),
    }
    for name, t in transforms.items():
        for fill in ("nearest", "reflect", "wrap", "constant"):
            generator = ImageDataGenerator(fill_mode=fill, cval=3.0)
            out = generator.apply_transform(image.copy(), t)
            full = {"theta": 0, "tx": 0, "ty": 0, "shear": 0, "zx": 1, "zy": 1,
                    "flip_horizontal": False, "flip_vertical": False, "brightness": 1}
            full.update(t)
            cases[f"generator_{name}_{fill}"] = dict(arr(out), fill=fill, cval=3.0,
                                                     transform=full)


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
    generator_transforms(cases, rng)
    path = os.path.join(out, "image-references.json")
    with open(path + ".tmp", "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    os.replace(path + ".tmp", path)
    print(json.dumps({"keras": keras.__version__, "cases": sorted(cases)}))


if __name__ == "__main__":
    main(sys.argv[1])
