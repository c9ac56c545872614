#!/usr/bin/env bash
# Prints the path of a Python interpreter with a requirements file installed, creating or
# updating its virtualenv when the file changed. Virtualenvs live outside the work tree
# (JERAS_VENV_ROOT, default ~/.cache/jeras) so clean builds reuse them.
#   venv.sh            requirements.txt        -> <root>/venv        (TensorFlow 2.18, as Java runs)
#   venv.sh latest     requirements-latest.txt -> <root>/venv-latest (the newest TensorFlow on PyPI)
#   venv.sh formats/X  formats/requirements-X.txt -> <root>/venv-X (an older Keras or tf.keras,
#                      to regenerate the model-file fixtures with formats/make_format_fixtures.py)
# A requirements file may have a companion NAME.nodeps.txt: packages installed with --no-deps
# (tf_keras declares a dependency on the "tensorflow" package, which would pull a second
# TensorFlow beside tensorflow-cpu).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="${JERAS_VENV_ROOT:-$HOME/.cache/jeras}"
which="${1:-}"
if [ "$which" = "latest" ]; then
  requirements="$here/requirements-latest.txt"; venv="$root/venv-latest"
elif [ "${which#formats/}" != "$which" ]; then
  name="${which#formats/}"
  requirements="$here/formats/requirements-$name.txt"; venv="$root/venv-$name"
else
  requirements="$here/requirements.txt"; venv="$root/venv"
fi
stamp="$venv/.requirements.sha256"
nodeps="${requirements%.txt}.nodeps.txt"
if [ -f "$nodeps" ]; then
  want="$(cat "$requirements" "$nodeps" | sha256sum | cut -d' ' -f1)"
else
  want="$(sha256sum "$requirements" | cut -d' ' -f1)"
fi
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  mkdir -p "$root"
  python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --upgrade pip >&2
  "$venv/bin/python" -m pip install --quiet -r "$requirements" >&2
  if [ -f "$nodeps" ]; then
    "$venv/bin/python" -m pip install --quiet --no-deps -r "$nodeps" >&2
  fi
  echo "$want" > "$stamp"
fi
echo "$venv/bin/python"
