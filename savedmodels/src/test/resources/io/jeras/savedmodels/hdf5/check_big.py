"""Checks the large file written by BigFileTest.

Usage: python check_big.py FILE N_DATASETS ROWS COLS

Dataset /big/<k> has shape (ROWS, COLS), float32, value at flat index i = k * 1e6 + i % 1000003.
Reads only a few values near the start, the end and the 2 GiB / 4 GiB file offsets.
"""
import sys

import h5py
import numpy as np

path, count, rows, cols = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
n = rows * cols
problems = []
with h5py.File(path, "r") as f:
    for k in range(count):
        ds = f[f"big/{k}"]
        if ds.shape != (rows, cols) or ds.dtype != np.float32:
            problems.append(f"{k}: shape {ds.shape} dtype {ds.dtype}")
            continue
        offset = ds.id.get_offset()
        picks = {0, 1, n - 3, n - 2, n - 1}
        for boundary in (2**31, 2**32):
            i = (boundary - offset) // 4
            if 0 <= i < n:
                picks.update({max(0, i - 1), i, min(n - 1, i + 1)})
        for i in sorted(picks):
            got = ds[i // cols, i % cols]
            want = np.float32(k * 1_000_000 + i % 1_000_003)
            if got != want:
                problems.append(f"{k}[{i}] (file offset {offset + 4 * i}): {got} != {want}")
        print(f"dataset {k}: data at file offset {offset}, last value {ds[rows - 1, cols - 1]}")
for p in problems:
    print("PROBLEM", p)
sys.exit(1 if problems else 0)
