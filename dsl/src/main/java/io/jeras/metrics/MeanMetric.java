package io.jeras.metrics;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import io.jeras.losses.Labels;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Keras' {@code MeanMetricWrapper}: the mean over every value seen of a per-sample function
 * (state {@code [total, count]}). Accuracies, errors and top-k accuracy are such metrics, and
 * so is any function given to {@link #of}:
 *
 * <pre>{@code
 * Metric within = MeanMetric.of("within_0.1", (tf, yTrue, yPred) -> tf.dtypes.cast(
 *     tf.math.less(tf.math.abs(tf.math.sub(yPred, yTrue)), tf.constant(0.1f)), TFloat32.class));
 * }</pre>
 */
public final class MeanMetric extends Metric {
  /** A per-sample value: {@code (batch, ...)} values from labels and predictions. */
  @FunctionalInterface
  public interface Function {
    Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred);
  }

  private final Function function;
  private final boolean higherIsBetter;

  MeanMetric(String name, Function function, boolean higherIsBetter) {
    super(name);
    this.function = function;
    this.higherIsBetter = higherIsBetter;
  }

  /** The mean of {@code function} over all values seen; higher is better. */
  public static MeanMetric of(String name, Function function) {
    checkArgument(function != null, "a mean metric needs a function");
    return new MeanMetric(name, function, true);
  }

  /** The mean of {@code function}, an error: lower is better. */
  public static MeanMetric error(String name, Function function) {
    checkArgument(function != null, "a mean metric needs a function");
    return new MeanMetric(name, function, false);
  }

  /**
   * Keras' {@code TopKCategoricalAccuracy(k)} (one-hot labels) or {@code
   * SparseTopKCategoricalAccuracy(k)} (class indices): whether the label's class is among the
   * {@code k} highest predictions (ties at the boundary count as in, as TensorFlow's {@code
   * in_top_k}).
   */
  public static MeanMetric topK(int k, boolean sparse) {
    checkArgument(k >= 1, "k must be >= 1, got %s", k);
    return of(sparse ? "sparse_top_k_categorical_accuracy" : "top_k_categorical_accuracy",
        (tf, yTrue, yPred) -> {
          Operand<TInt32> targets = sparse
              ? tf.dtypes.cast(tf.reshape(yTrue, tf.constant(new long[] {-1})), TInt32.class)
              : tf.dtypes.cast(tf.math.argMax(yTrue, tf.constant(-1), TInt64.class),
                  TInt32.class);
          return tf.dtypes.cast(tf.nn.inTopK(yPred, targets, tf.constant(k)), TFloat32.class);
        });
  }

  @Override
  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  @Override
  public Metric resolve(Shape outputShape, Labels labels) {
    if (function != null) {
      return this;
    }
    MetricFunction resolved = outputShape.get(outputShape.numDimensions() - 1) == 1
        ? MetricFunction.binaryAccuracy(DEFAULT_THRESHOLD)
        : labels == Labels.SPARSE ? MetricFunction.SPARSE_CATEGORICAL_ACCURACY
            : MetricFunction.CATEGORICAL_ACCURACY;
    return new MeanMetric(name(), resolved::call, true);
  }

  @Override
  public int stateSize(Shape outputShape) {
    return 2;
  }

  /** {@code [sum of the values, number of values]}. */
  @Override
  public Operand<TFloat32> update(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    checkState(function != null, "metric %s must be resolved before use", name());
    Operand<TFloat32> values = function.call(tf, yTrue, yPred);
    Operand<TFloat32> flat = tf.reshape(values, tf.constant(new long[] {-1}));
    return tf.stack(java.util.List.of(tf.reduceSum(flat, tf.constant(0)),
        tf.dtypes.cast(tf.size(flat), TFloat32.class)));
  }

  /**
   * Keras' {@code Mean} with weights: {@code [sum of each sample's mean value times its weight,
   * sum of the weights]}.
   */
  @Override
  public Operand<TFloat32> update(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred,
      Operand<TFloat32> sampleWeight) {
    checkState(function != null, "metric %s must be resolved before use", name());
    Operand<TFloat32> values = function.call(tf, yTrue, yPred);
    Operand<TInt32> batch = tf.gather(tf.shape(values), tf.constant(new int[] {0}),
        tf.constant(0));
    Operand<TFloat32> samples = tf.math.mean(
        tf.reshape(values, tf.concat(java.util.List.of(batch, tf.constant(new int[] {-1})),
            tf.constant(0))), tf.constant(1));
    Operand<TFloat32> weights = tf.broadcastTo(tf.reshape(sampleWeight,
        tf.constant(new long[] {-1})), tf.shape(samples));
    return tf.stack(java.util.List.of(
        tf.reduceSum(tf.math.mul(samples, weights), tf.constant(0)),
        tf.reduceSum(weights, tf.constant(0))));
  }

  @Override
  public double result(double[] state) {
    return divideNoNan(state[0], state[1]);
  }
}
