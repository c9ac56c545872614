package io.jeras.metrics;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.bridge.GraphRuntime;
import io.jeras.bridge.SessionOptions;
import io.jeras.bridge.Tensors;
import io.jeras.data.ArrayData;
import io.jeras.losses.Labels;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A metric used on its own, as a Keras metric object is: {@link #updateState} with labels and
 * predictions as often as wanted, {@link #result} of everything seen since the last {@link
 * #resetState}. The same {@link Metric#update} ops run as in training (in a graph of their own
 * for each update), and the same {@link Metric#result}.
 *
 * <pre>{@code
 * MetricState auc = MetricState.of(Auc.defaults());
 * auc.updateState(labels, predictions);
 * double area = auc.result();
 * }</pre>
 */
public final class MetricState {
  private final Metric metric;
  private Metric resolved;
  private double[] state;

  private MetricState(Metric metric) {
    this.metric = metric;
  }

  /** A fresh state of {@code metric} (Keras: a new metric object). */
  public static MetricState of(Metric metric) {
    checkArgument(metric != null, "metric must not be null");
    return new MetricState(metric);
  }

  /**
   * Keras' {@code update_state(y_true, y_pred)}: adds one batch (samples first). Labels of
   * lower rank than the predictions are class indices, as a sparse loss takes them.
   */
  public MetricState updateState(NdArray<?> yTrue, NdArray<?> yPred) {
    return updateState(yTrue, yPred, null);
  }

  /**
   * Keras' {@code update_state(y_true, y_pred, sample_weight)}: adds one batch with each
   * sample counted its weight times ({@code sampleWeight}: one number per sample; null: 1).
   */
  public MetricState updateState(NdArray<?> yTrue, NdArray<?> yPred, NdArray<?> sampleWeight) {
    checkArgument(yTrue != null && yPred != null, "update_state needs y_true and y_pred");
    ArrayData labels = ArrayData.of(yTrue);
    ArrayData predictions = ArrayData.of(yPred);
    checkArgument(labels.shape().numDimensions() >= 1 && predictions.shape().numDimensions() >= 1
            && labels.size() == predictions.size(),
        "y_true of shape %s and y_pred of shape %s do not hold the same number of samples",
        labels.shape(), predictions.shape());
    Shape outputShape = predictions.shape();
    Metric concrete = metric.resolve(outputShape,
        labels.shape().numDimensions() < outputShape.numDimensions() ? Labels.SPARSE
            : Labels.DENSE);
    ArrayData weights = sampleWeight == null ? null : ArrayData.of(sampleWeight);
    checkArgument(weights == null || weights.shape().size() == labels.size(),
        "sample_weight of shape %s does not hold one weight for each of the %s samples",
        weights == null ? null : weights.shape(), labels.size());
    float[] values;
    try (GraphRuntime runtime = new GraphRuntime(SessionOptions.defaults())) {
      Ops tf = runtime.tf();
      Operand<TFloat32> yTrueOp = tf.constant(labels.toNdArray());
      Operand<TFloat32> yPredOp = tf.constant(predictions.toNdArray());
      Operand<TFloat32> update = weights == null ? concrete.update(tf, yTrueOp, yPredOp)
          : concrete.update(tf, yTrueOp, yPredOp, tf.reshape(tf.constant(weights.toNdArray()),
              tf.constant(new long[] {-1})));
      try (Result result = runtime.session().runner().fetch(update).run()) {
        values = Tensors.toFloats(result.get(0));
      }
    }
    if (state == null) {
      state = new double[values.length];
      resolved = concrete;
    }
    checkArgument(values.length == state.length, "this batch gives %s state values where the"
        + " earlier ones gave %s (a different number of classes?)", values.length, state.length);
    for (int i = 0; i < values.length; i++) {
      state[i] += values[i];
    }
    return this;
  }

  /** Keras' {@code result()}: the metric over everything seen (0 before any update). */
  public double result() {
    return state == null ? 0 : resolved.result(state);
  }

  /** Keras' {@code reset_state()}: forgets everything seen. */
  public void resetState() {
    state = null;
    resolved = null;
  }
}
