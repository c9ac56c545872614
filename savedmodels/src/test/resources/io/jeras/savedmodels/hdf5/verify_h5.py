"""Checks HDF5 files against an expected structure, with h5py.

Usage: python verify_h5.py manifest.json

The manifest is {"files": [{"path": ..., "root": GROUP, "rplus": bool}]} where
GROUP   = {"kind": "group", "attrs": [ATTR...], "children": {name: GROUP | DATASET}}
DATASET = {"kind": "dataset", "dtype": "float32", "shape": [...], "sha256": hex,
           "attrs": [ATTR...]}
ATTR    = {"name": ..., "kind": "str", "value": s}         (or "sha256" of the UTF-8)
        | {"name": ..., "kind": "str[]", "values": [s...]}
        | {"name": ..., "kind": "num", "dtype": ..., "shape": [...], "sha256": hex}

sha256 is taken over the C-order little-endian bytes of the values (bool as 0/1 bytes).
For files with "rplus", a copy is also opened read-write, changed, and checked again.
Prints one line per problem and a JSON summary of the Python types seen; exits 1 on problems.
"""
import hashlib
import json
import os
import shutil
import sys
import tempfile

import h5py
import numpy as np

problems = []
seen = {"str attribute": set(), "str[] attribute": set(), "str[] element": set(),
        "bool dataset dtype": set(), "bool attribute": set()}


def sha(a):
    a = np.ascontiguousarray(a)
    if a.dtype.byteorder == ">":
        a = a.astype(a.dtype.newbyteorder("<"))
    return hashlib.sha256(a.tobytes()).hexdigest()


def problem(where, text):
    problems.append(f"{where}: {text}")


def check_attrs(obj, where, expected):
    names = set(obj.attrs.keys())
    want = {a["name"] for a in expected}
    if names != want:
        problem(where, f"attribute names {sorted(names)!r} != expected {sorted(want)!r}")
    if len(obj.attrs) != len(expected):
        problem(where, f"len(attrs) == {len(obj.attrs)}, expected {len(expected)}")
    for a in expected:
        if a["name"] not in names:
            continue
        at = f"{where} @{a['name']!r}"
        v = obj.attrs[a["name"]]
        if a["kind"] == "str":
            seen["str attribute"].add(type(v).__name__)
            if type(v) is not str:
                problem(at, f"expected str, got {type(v).__name__}")
            elif a["name"] == "model_config" and not isinstance(json.loads(v), dict):
                problem(at, "model_config is not a JSON object")
            elif "sha256" in a:
                if hashlib.sha256(v.encode("utf-8")).hexdigest() != a["sha256"]:
                    problem(at, f"long string differs (length {len(v)})")
            elif v != a["value"]:
                problem(at, f"{v!r} != {a['value']!r}")
        elif a["kind"] == "str[]":
            seen["str[] attribute"].add(f"{type(v).__name__}[{getattr(v, 'dtype', '?')}]")
            if not isinstance(v, np.ndarray) or v.dtype != object or v.ndim != 1:
                problem(at, f"expected 1-D object ndarray, got {type(v).__name__} {v!r:.200}")
                continue
            for x in v:
                seen["str[] element"].add(type(x).__name__)
            got = [x.decode("utf8") if hasattr(x, "decode") else x for x in v]
            if got != a["values"]:
                problem(at, f"{got!r:.300} != {a['values']!r:.300}")
        else:
            arr = np.asarray(v)
            if a["dtype"] == "bool":
                seen["bool attribute"].add(f"{type(v).__name__}[{arr.dtype}]")
            if arr.dtype.name != a["dtype"]:
                problem(at, f"dtype {arr.dtype.name} != {a['dtype']}")
            if list(arr.shape) != a["shape"]:
                problem(at, f"shape {arr.shape} != {a['shape']}")
            elif sha(arr) != a["sha256"]:
                problem(at, f"values differ: {arr!r:.300}")


def check_node(obj, where, node):
    check_attrs(obj, where, node["attrs"])
    if node["kind"] == "dataset":
        if not isinstance(obj, h5py.Dataset):
            problem(where, f"expected a dataset, got {type(obj).__name__}")
            return
        if list(obj.shape) != node["shape"]:
            problem(where, f"shape {obj.shape} != {node['shape']}")
            return
        if obj.dtype.name != node["dtype"]:
            problem(where, f"dtype {obj.dtype.name} != {node['dtype']}")
            return
        if node["dtype"] == "bool":
            seen["bool dataset dtype"].add(str(obj.dtype))
        data = obj[()]
        if sha(data) != node["sha256"]:
            problem(where, f"values differ: {np.asarray(data).ravel()[:8]!r}")
        return
    if not isinstance(obj, h5py.Group):
        problem(where, f"expected a group, got {type(obj).__name__}")
        return
    keys = set(obj.keys())
    want = set(node["children"].keys())
    if keys != want:
        problem(where, f"children: missing {sorted(want - keys)!r:.300}, "
                       f"unexpected {sorted(keys - want)!r:.300}")
    if len(obj) != len(node["children"]):
        problem(where, f"len(group) == {len(obj)}, expected {len(node['children'])}")
    for name, child in node["children"].items():
        if name in keys:
            check_node(obj[name], f"{where.rstrip('/')}/{name}", child)


def check_file(path, root):
    with h5py.File(path, "r") as f:
        check_node(f, f"{os.path.basename(path)}:/", root)


def main():
    with open(sys.argv[1], encoding="utf-8") as fh:
        manifest = json.load(fh)
    tmp = tempfile.mkdtemp()
    try:
        for entry in manifest["files"]:
            try:
                check_file(entry["path"], entry["root"])
                if entry.get("rplus"):
                    copy = os.path.join(tmp, "rplus.h5")
                    shutil.copyfile(entry["path"], copy)
                    with h5py.File(copy, "r+") as f:
                        g = f.create_group("__rplus__")
                        g.attrs["note"] = "added by h5py"
                        g.create_dataset("x", data=np.arange(5, dtype=np.int32))
                        f.attrs["__rplus_attr__"] = np.int64(42)
                    root = dict(entry["root"])
                    root["children"] = dict(root["children"])
                    root["children"]["__rplus__"] = {
                        "kind": "group", "children": {
                            "x": {"kind": "dataset", "dtype": "int32", "shape": [5],
                                  "sha256": sha(np.arange(5, dtype="<i4")), "attrs": []}},
                        "attrs": [{"name": "note", "kind": "str", "value": "added by h5py"}]}
                    root["attrs"] = root["attrs"] + [{
                        "name": "__rplus_attr__", "kind": "num", "dtype": "int64", "shape": [],
                        "sha256": sha(np.int64(42))}]
                    check_file(copy, root)
            except Exception as e:  # report and go on with the next file
                problem(entry["path"], f"{type(e).__name__}: {e}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for p in problems[:200]:
        print("PROBLEM", p)
    summary = {k: sorted(v) for k, v in seen.items()}
    summary["files"] = len(manifest["files"])
    summary["problems"] = len(problems)
    summary["h5py"] = h5py.version.version
    summary["hdf5"] = h5py.version.hdf5_version
    print("SUMMARY " + json.dumps(summary))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
