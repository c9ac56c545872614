package io.jeras.examples;

import io.jeras.Jeras;
import io.jeras.bridge.SessionOptions;
import io.jeras.bridge.Tensors;
import io.jeras.losses.Loss;
import io.jeras.metrics.Metric;
import io.jeras.mixedprecision.MixedPrecision;
import io.jeras.models.Sequential;
import io.jeras.optimizers.Adam;
import io.jeras.trainers.ModelGraph;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/**
 * Where a training step's time goes: TensorFlow's own per-kernel step statistics ({@code
 * RunOptions} FULL_TRACE) for one of the benchmark models, over the graph Jeras builds, fed as
 * the plain loop feeds it. Prints the wall time per step without tracing, each executed kernel
 * (after grappler and oneDNN's rewrites, as the partition graph names it) with its time per step,
 * and the op types of the partition graph. {@code examples/python/keras_step_profile.py} prints
 * the same for Keras, so the two can be compared line by line.
 *
 * <p>{@code java -jar jeras-examples.jar step-profile [--model cnn|catsdogs] [--steps N]
 * [--policy float32|mixed_bfloat16|mixed_float16] [--inter-op N] [--intra-op N]}
 */
public final class StepProfile {
  private StepProfile() {}

  public static void main(String[] argv) {
    Args args = new Args(argv, List.of("model", "steps", "policy", "inter-op", "intra-op"));
    String which = args.get("model", "cnn");
    int steps = args.getInt("steps", 20);
    MixedPrecision.setGlobalPolicy(args.get("policy", "float32"));
    Jeras.setSessionOptions(SessionOptions.defaults().interOpThreads(args.getInt("inter-op", 0))
        .intraOpThreads(args.getInt("intra-op", 0)));
    Jeras.setRandomSeed(7);
    boolean cnn = which.equals("cnn");
    Shape sample = cnn ? Shape.of(28, 28, 1) : Shape.of(150, 150, 3);
    int batch = cnn ? 128 : 32;
    try (Sequential model = cnn ? FashionMnistCnn.model() : CatsVsDogs.model(150, false)) {
      model.compile(Adam.defaults(), cnn ? Loss.SPARSE_CATEGORICAL_CROSSENTROPY
          : Loss.BINARY_CROSSENTROPY, Metric.ACCURACY);
      Random random = new Random(7);
      float[] x = new float[(int) (batch * sample.size())];
      float[] y = new float[batch];
      for (int i = 0; i < x.length; i++) {
        x[i] = random.nextFloat();
      }
      for (int i = 0; i < y.length; i++) {
        y[i] = random.nextInt(cnn ? 10 : 2);
      }
      ModelGraph graph = model.graph();
      Session session = graph.runtime().session();
      try (TFloat32 xb = Tensors.floats(x, 0, Shape.of(batch).append(sample));
          TFloat32 yb = Tensors.floats(y, 0, Shape.of(batch))) {
        for (int i = 0; i < 10; i++) {
          step(session, graph, xb, yb, null).close();
        }
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) {
          step(session, graph, xb, yb, null).close();
        }
        double wall = (System.nanoTime() - start) / 1e6 / steps;
        RunOptions trace = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE)
            .setOutputPartitionGraphs(true).build();
        Map<String, double[]> kernels = new TreeMap<>();
        GraphDef partition = null;
        for (int i = 0; i < steps; i++) {
          try (Result result = step(session, graph, xb, yb, trace)) {
            RunMetadata metadata = result.getMetadata().orElseThrow();
            partition = metadata.getPartitionGraphs(0);
            metadata.getStepStats().getDevStatsList().forEach(device -> {
              for (NodeExecStats node : device.getNodeStatsList()) {
                String label = node.getTimelineLabel();
                int eq = label.indexOf(" = ");
                int paren = label.indexOf('(', Math.max(eq, 0));
                String kernel = eq < 0 || paren < 0 ? "" : label.substring(eq + 3, paren);
                String key = node.getNodeName() + ":" + kernel;
                double[] sum = kernels.computeIfAbsent(key, k -> new double[1]);
                sum[0] += (node.getOpEndRelMicros() - node.getOpStartRelMicros()) / 1e3;
              }
            });
          }
        }
        System.out.printf(Locale.ROOT, "%s, batch %d, %s: %.2f ms per step untraced (%.0f"
            + " samples/s)%n", cnn ? "benchmark CNN" : "cats-vs-dogs CNN", batch,
            MixedPrecision.globalPolicy().name(), wall, batch * 1e3 / wall);
        double total = kernels.values().stream().mapToDouble(v -> v[0]).sum() / steps;
        System.out.printf(Locale.ROOT, "kernel time per step (summed over threads): %.2f ms%n",
            total);
        List<Map.Entry<String, double[]>> sorted = new ArrayList<>(kernels.entrySet());
        sorted.sort(Comparator.comparingDouble(e -> -e.getValue()[0]));
        for (Map.Entry<String, double[]> e : sorted.subList(0, Math.min(40, sorted.size()))) {
          System.out.printf(Locale.ROOT, "%9.3f ms  %s%n", e.getValue()[0] / steps, e.getKey());
        }
        Map<String, Integer> ops = new TreeMap<>();
        for (NodeDef node : partition.getNodeList()) {
          ops.merge(node.getOp(), 1, Integer::sum);
        }
        System.out.println("partition graph (" + partition.getNodeCount() + " nodes): " + ops);
      }
    }
  }

  private static Result step(Session session, ModelGraph graph, TFloat32 x, TFloat32 y,
      RunOptions options) {
    Session.Runner runner = session.runner().feed(graph.inputs().get(0), x)
        .feed(graph.labels().get(0), y).addTarget(graph.trainOp()).fetch(graph.trainLoss());
    if (options == null) {
      return runner.run();
    }
    return runner.setOptions(options).runAndFetchMetadata();
  }
}
