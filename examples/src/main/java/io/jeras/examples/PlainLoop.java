package io.jeras.examples;

import io.jeras.bridge.Tensors;
import io.jeras.trainers.ModelGraph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * The reference the training benchmarks measure Jeras against: what a TensorFlow Java user
 * writes by hand over the same graph. Consecutive batches are copied from plain float arrays
 * into tensors, one {@code Session.run} per batch runs the update and fetches the loss.
 */
public final class PlainLoop {
  private PlainLoop() {}

  /**
   * One pass over {@code x} and {@code y} (samples of shape {@code sample} and labels of shape
   * {@code label}, back to back), at most {@code maxSteps} batches.
   */
  public static void epoch(ModelGraph graph, float[] x, float[] y, Shape sample, Shape label,
      int batch, int maxSteps) {
    Session session = graph.runtime().session();
    int sampleSize = (int) sample.size();
    int labelSize = (int) Math.max(1, label.size());
    int n = y.length / labelSize;
    float lossSum = 0;
    int steps = 0;
    for (int from = 0; from < n && steps < maxSteps; from += batch, steps++) {
      int size = Math.min(batch, n - from);
      try (TFloat32 xb = Tensors.floats(x, from * sampleSize, Shape.of(size).append(sample));
          TFloat32 yb = Tensors.floats(y, from * labelSize, Shape.of(size).append(label));
          Result result = session.runner().feed(graph.inputs().get(0), xb)
              .feed(graph.labels().get(0), yb).addTarget(graph.trainOp())
              .fetch(graph.trainLoss()).run()) {
        lossSum += Tensors.toFloat(result.get(0));
      }
    }
    if (Float.isNaN(lossSum)) {
      throw new IllegalStateException("the plain loop's loss is NaN");
    }
  }
}
