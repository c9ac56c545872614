"""Reads a Jeras TensorBoard log directory with TensorBoard itself and compares it to the History.

Usage: check_tensorboard.py LOG_DIR HISTORY_JSON

HISTORY_JSON maps each History key (loss, accuracy, val_loss, ...) to its per-epoch values.
Two readers are used: TensorBoard's EventAccumulator on the event files, and a real
`tensorboard --logdir` server on 127.0.0.1 whose HTTP data API is queried. Each must show, for
every key, tag `epoch_<key>` (val_ prefix stripped, in the `validation` run) at steps 0..n-1 with
the History's values. Exits non-zero with a message on the first difference.
"""
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tensorboard.backend.event_processing import event_accumulator

TOLERANCE = 1e-6


def expected_runs(history):
    runs = {"train": {}, "validation": {}}
    for key, values in history.items():
        if key.startswith("val_"):
            runs["validation"]["epoch_" + key[4:]] = values
        else:
            runs["train"]["epoch_" + key] = values
    return runs


def compare(source, run, tag, points, values):
    steps = [step for step, _ in points]
    if steps != list(range(len(values))):
        sys.exit(f"{source}: {run}/{tag} has steps {steps}, expected 0..{len(values) - 1}")
    for (step, value), want in zip(points, values):
        if abs(value - want) > TOLERANCE * max(1.0, abs(want)):
            sys.exit(f"{source}: {run}/{tag} step {step} is {value}, History says {want}")


def check_event_accumulator(log_dir, runs):
    for run, tags in runs.items():
        acc = event_accumulator.EventAccumulator(str(log_dir / run))
        acc.Reload()
        present = set(acc.Tags()["scalars"])
        for tag, values in tags.items():
            if tag not in present:
                sys.exit(f"EventAccumulator: run {run} has no tag {tag}; it has {sorted(present)}")
            points = [(e.step, e.value) for e in acc.Scalars(tag)]
            compare("EventAccumulator", run, tag, points, values)
        print(f"EventAccumulator: {run}: {len(tags)} tags match, also has {sorted(present - set(tags))}")
        histograms = acc.Tags()["histograms"]
        if run == "train" and histograms:
            print(f"EventAccumulator: {run}: histograms {sorted(histograms)}")
        if run == "train" and acc.Tags()["graph"]:
            print(f"EventAccumulator: {run}: graph present")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def check_http(log_dir, runs):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tensorboard.main", "--logdir", str(log_dir), "--host",
         "127.0.0.1", "--port", str(port), "--load_fast", "false", "--reload_interval", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 90
        tags = None
        while time.time() < deadline:
            try:
                tags = get_json(base + "/data/plugin/scalars/tags")
                if all(run in tags and all(t in tags[run] for t in wanted)
                       for run, wanted in runs.items()):
                    break
            except OSError:
                pass
            time.sleep(1)
        else:
            sys.exit(f"TensorBoard server: scalars did not appear in 90 s; tags: {tags}; "
                     f"stderr: {server.stderr.read1(4000) if server.stderr else ''}")
        for run, wanted in runs.items():
            for tag, values in wanted.items():
                data = get_json(f"{base}/data/plugin/scalars/scalars?run={run}&tag={tag}")
                compare("TensorBoard HTTP API", run, tag, [(d[1], d[2]) for d in data], values)
            print(f"TensorBoard HTTP API: {run}: {len(wanted)} tags match")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main():
    log_dir = Path(sys.argv[1])
    history = json.loads(Path(sys.argv[2]).read_text())
    runs = expected_runs(history)
    check_event_accumulator(log_dir, runs)
    check_http(log_dir, runs)
    print("OK")


if __name__ == "__main__":
    main()
