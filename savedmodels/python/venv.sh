#!/usr/bin/env bash
# Prints the path of a Python interpreter with savedmodels/python/requirements.txt installed,
# creating or updating the virtualenv when the requirements changed. The venv lives outside the
# work tree (JERAS_VENV, default ~/.cache/jeras/venv) so clean builds reuse it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${JERAS_VENV:-$HOME/.cache/jeras/venv}"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --upgrade pip >&2
  "$venv/bin/python" -m pip install --quiet -r "$here/requirements.txt" >&2
  echo "$want" > "$stamp"
fi
echo "$venv/bin/python"
