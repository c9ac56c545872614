"""Loads SavedModels exported by Jeras with Python TensorFlow and compares them with Java.

Usage: check_export.py MODEL_DIR INPUT_KEY X_NPY JAVA_Y_NPY [MODEL_DIR INPUT_KEY X_NPY JAVA_Y_NPY ...]

For each model: tf.saved_model.load(MODEL_DIR), call signatures["serving_default"] with
{INPUT_KEY: x} and compare output_0 with Java's predict (atol 1e-5); check the `serve` signature
gives the same; then print `saved_model_cli show --all` for it. Exits non-zero on a mismatch.
"""
import os
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

TOLERANCE = 1e-5


def check(model_dir, key, x_path, y_path):
    x = np.load(x_path)
    expected = np.load(y_path)
    loaded = tf.saved_model.load(model_dir)
    for signature in ("serving_default", "serve"):
        fn = loaded.signatures[signature]
        got = fn(**{key: tf.constant(x)})["output_0"].numpy()
        if got.shape != expected.shape:
            sys.exit(f"{model_dir} {signature}: shape {got.shape}, Java gave {expected.shape}")
        worst = float(np.max(np.abs(got - expected)))
        if worst > TOLERANCE:
            sys.exit(f"{model_dir} {signature}: differs from Java by up to {worst}")
        print(f"{Path(model_dir).name}: {signature} matches Java on {len(x)} samples"
              f" (max abs difference {worst:.2e})")
    cli = Path(sys.executable).parent / "saved_model_cli"
    shown = subprocess.run([str(cli), "show", "--all", "--dir", model_dir], check=True,
                           capture_output=True, text=True).stdout
    print(shown)


def main():
    args = sys.argv[1:]
    if not args or len(args) % 4:
        sys.exit(__doc__)
    for i in range(0, len(args), 4):
        check(*args[i:i + 4])
    print("OK")


if __name__ == "__main__":
    main()
