"""Where a Keras training step's time goes, printed as the Java `step-profile` job prints Jeras':
the wall time per step without tracing, each executed kernel (after grappler's and oneDNN's
rewrites, as TensorFlow's profiler names it: node:kernel) with its time per step, and the op
types of the train function's partition graph (the graph TensorFlow actually runs).

Usage: keras_step_profile.py [--model cnn|catsdogs] [--steps N] [--policy NAME]
Same models, optimizer, batch sizes and random data as io.jeras.examples.StepProfile.
"""
import argparse
import collections
import glob
import os
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow.python.eager import context  # noqa: E402
from tensorflow.tsl.profiler.protobuf import xplane_pb2  # noqa: E402

import keras_benchmark  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="cnn", choices=["cnn", "catsdogs"])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--policy", default="float32")
    args = parser.parse_args()
    import keras
    keras.mixed_precision.set_global_policy(args.policy)
    cnn = args.model == "cnn"
    batch = 128 if cnn else 32
    shape = (28, 28, 1) if cnn else (150, 150, 3)
    rng = np.random.default_rng(7)
    x = rng.random((batch * args.steps,) + shape, dtype=np.float32)
    y = rng.integers(0, 10 if cnn else 2, batch * args.steps)
    model = keras_benchmark.benchmark_cnn() if cnn else keras_benchmark.cats_vs_dogs_cnn()

    ctx = context.context()
    ctx.enable_run_metadata()  # the first fit traces the train function: keep its graphs
    model.fit(x[:10 * batch], y[:10 * batch], batch_size=batch, epochs=1, verbose=0)
    metadata = ctx.export_run_metadata()
    ctx.disable_run_metadata()

    start = time.perf_counter()
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
    wall = (time.perf_counter() - start) * 1e3 / args.steps

    with tempfile.TemporaryDirectory() as logdir:
        tf.profiler.experimental.start(logdir)
        model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
        tf.profiler.experimental.stop()
        space = xplane_pb2.XSpace()
        path = sorted(glob.glob(os.path.join(logdir, "**", "*.xplane.pb"), recursive=True))[-1]
        with open(path, "rb") as f:
            space.ParseFromString(f.read())
    kernels = collections.Counter()
    host = next(p for p in space.planes if p.name == "/host:CPU")
    for line in host.lines:
        if line.name.startswith("tf_Compute") or line.name.startswith("tf_numa"):
            for event in line.events:
                name = host.event_metadata[event.metadata_id].name
                if ":" in name and "/" in name:  # node:kernel, not the executor's own events
                    kernels[name.replace("StatefulPartitionedCall/", "")] += event.duration_ps
    print("%s, batch %d, %s: %.2f ms per step untraced (%.0f samples/s)" % (
        "benchmark CNN" if cnn else "cats-vs-dogs CNN", batch, args.policy, wall,
        batch * 1e3 / wall))
    print("kernel time per step (summed over threads): %.2f ms"
          % (sum(kernels.values()) / 1e9 / args.steps))
    for name, ps in kernels.most_common(40):
        print("%9.3f ms  %s" % (ps / 1e9 / args.steps, name))
    partitions = [g for f in metadata.function_graphs for g in f.partition_graphs]
    train = max(partitions, key=lambda g: len(g.node))
    ops = collections.Counter(node.op for node in train.node)
    print("partition graph (%d nodes): {%s}" % (
        len(train.node), ", ".join("%s=%d" % item for item in sorted(ops.items()))))


if __name__ == "__main__":
    main()
