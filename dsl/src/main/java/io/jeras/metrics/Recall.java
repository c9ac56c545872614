package io.jeras.metrics;

import static com.google.common.base.Preconditions.checkArgument;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Recall}: true positives / (true positives + false negatives) over everything
 * seen (0 when no label was positive). A prediction is positive when greater than
 * {@code threshold} (0.5); with a {@code classId}, only that class's column counts.
 */
public final class Recall extends Metric {
  private float threshold = DEFAULT_THRESHOLD;
  private Integer classId;

  private Recall() {
    super("recall");
  }

  /** Keras' defaults: threshold 0.5, every class. */
  public static Recall defaults() {
    return new Recall();
  }

  /** Keras' {@code thresholds} (one). */
  public Recall threshold(double threshold) {
    checkArgument(threshold >= 0 && threshold <= 1,
        "Threshold values must be in [0, 1]. Received: %s", threshold);
    return with((Recall copy) -> copy.threshold = (float) threshold);
  }

  /** Keras' {@code class_id}: the recall of that class's column alone. */
  public Recall classId(int classId) {
    checkArgument(classId >= 0, "class_id must be >= 0, got %s", classId);
    return with((Recall copy) -> copy.classId = classId);
  }

  @Override
  public int stateSize(Shape outputShape) {
    return 4;
  }

  @Override
  public Operand<TFloat32> update(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return ConfusionCounts.of(tf, yTrue, yPred, new float[] {threshold}, classId);
  }

  @Override
  public double result(double[] state) {
    return divideNoNan(state[0], state[0] + state[3]);
  }
}
