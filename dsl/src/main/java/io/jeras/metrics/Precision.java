package io.jeras.metrics;

import static com.google.common.base.Preconditions.checkArgument;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Precision}: true positives / (true positives + false positives) over everything
 * seen (0 when nothing was predicted positive). A prediction is positive when greater than
 * {@code threshold} (0.5); with a {@code classId}, only that class's column counts.
 */
public final class Precision extends Metric {
  private float threshold = DEFAULT_THRESHOLD;
  private Integer classId;

  private Precision() {
    super("precision");
  }

  /** Keras' defaults: threshold 0.5, every class. */
  public static Precision defaults() {
    return new Precision();
  }

  /** Keras' {@code thresholds} (one). */
  public Precision threshold(double threshold) {
    checkArgument(threshold >= 0 && threshold <= 1,
        "Threshold values must be in [0, 1]. Received: %s", threshold);
    return with((Precision copy) -> copy.threshold = (float) threshold);
  }

  /** Keras' {@code class_id}: the precision of that class's column alone. */
  public Precision classId(int classId) {
    checkArgument(classId >= 0, "class_id must be >= 0, got %s", classId);
    return with((Precision copy) -> copy.classId = classId);
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
    return divideNoNan(state[0], state[0] + state[1]);
  }
}
