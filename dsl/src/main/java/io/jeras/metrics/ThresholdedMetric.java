package io.jeras.metrics;

import static com.google.common.base.Preconditions.checkArgument;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What {@link Precision} and {@link Recall} share: confusion counts at one threshold (Keras'
 * default 0.5; a prediction above it is positive), over every class or one ({@code class_id}),
 * optionally of each sample's {@code top_k} predictions alone (then, as in Keras, the default
 * threshold is {@code -1e10}: every top-k prediction is positive); the state is {@code [true
 * positives, false positives, true negatives, false negatives]}.
 */
public abstract sealed class ThresholdedMetric<M extends ThresholdedMetric<M>> extends Metric
    permits Precision, Recall {
  /** Keras' {@code NEG_INF}, the default threshold with {@code top_k}. */
  private static final float TOP_K_THRESHOLD = -1e10f;

  /** Null: Keras' default (0.5, or with top_k, NEG_INF). */
  private Float threshold;
  private Integer classId;
  private Integer topK;

  ThresholdedMetric(String name) {
    super(name);
  }

  /** Keras' {@code thresholds} (one). */
  public M threshold(double threshold) {
    checkArgument(threshold >= 0 && threshold <= 1,
        "Threshold values must be in [0, 1]. Received: %s", threshold);
    return with((M copy) -> ((ThresholdedMetric<M>) copy).threshold = (float) threshold);
  }

  /** Keras' {@code class_id}: the metric of that class's column alone. */
  public M classId(int classId) {
    checkArgument(classId >= 0, "class_id must be >= 0, got %s", classId);
    return with((M copy) -> ((ThresholdedMetric<M>) copy).classId = classId);
  }

  /**
   * Keras' {@code top_k}: only each sample's {@code k} highest predictions (on the last axis)
   * can be positive.
   */
  public M topK(int k) {
    checkArgument(k >= 1, "top_k must be >= 1, got %s", k);
    return with((M copy) -> ((ThresholdedMetric<M>) copy).topK = k);
  }

  /** The threshold in use: the one given, else Keras' default for the options. */
  public float threshold() {
    return threshold != null ? threshold : topK != null ? TOP_K_THRESHOLD : DEFAULT_THRESHOLD;
  }

  @Override
  public int stateSize(Shape outputShape) {
    return 4;
  }

  @Override
  public Operand<TFloat32> update(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return ConfusionCounts.of(tf, yTrue, yPred, new float[] {threshold()}, classId, topK,
        null);
  }

  @Override
  public Operand<TFloat32> update(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred,
      Operand<TFloat32> sampleWeight) {
    return ConfusionCounts.of(tf, yTrue, yPred, new float[] {threshold()}, classId, topK,
        perSample(tf, sampleWeight, yPred.shape().numDimensions()));
  }
}
