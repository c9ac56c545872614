package io.jeras.metrics;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.losses.Labels;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A Keras metric reported during {@code fit} and {@code evaluate}: the mean over all samples seen
 * of a per-sample value (Keras' {@code MeanMetricWrapper}). The log key is the name the user
 * gave: {@code "accuracy"} is logged as {@code accuracy}, {@code "acc"} as {@code acc}.
 *
 * <p>{@link #ACCURACY} resolves by shapes, as Keras does: a prediction with last dimension 1 ->
 * binary accuracy; sparse labels -> sparse categorical accuracy; otherwise categorical accuracy.
 *
 * <pre>{@code
 * model.compile(Adam.defaults(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY, Metric.ACCURACY);
 * }</pre>
 */
public final class Metric {
  /** Keras' default threshold of binary accuracy. */
  public static final float DEFAULT_THRESHOLD = 0.5f;

  public static final Metric ACCURACY = new Metric("accuracy", null);
  public static final Metric BINARY_ACCURACY =
      new Metric("binary_accuracy", MetricFunction.binaryAccuracy(DEFAULT_THRESHOLD));
  public static final Metric CATEGORICAL_ACCURACY =
      new Metric("categorical_accuracy", MetricFunction.CATEGORICAL_ACCURACY);
  public static final Metric SPARSE_CATEGORICAL_ACCURACY =
      new Metric("sparse_categorical_accuracy", MetricFunction.SPARSE_CATEGORICAL_ACCURACY);
  public static final Metric MEAN_SQUARED_ERROR =
      new Metric("mean_squared_error", MetricFunction.MEAN_SQUARED_ERROR);
  public static final Metric MEAN_ABSOLUTE_ERROR =
      new Metric("mean_absolute_error", MetricFunction.MEAN_ABSOLUTE_ERROR);

  private final String name;
  private final MetricFunction function;

  private Metric(String name, MetricFunction function) {
    this.name = name;
    this.function = function;
  }

  /** Binary accuracy with another threshold. */
  public static Metric binaryAccuracy(double threshold) {
    return new Metric("binary_accuracy", MetricFunction.binaryAccuracy((float) threshold));
  }

  /** The metric Keras calls {@code name}; the log key stays {@code name}. */
  public static Metric of(String name) {
    MetricFunction function = switch (name.toLowerCase(Locale.ROOT)) {
      case "accuracy", "acc" -> null;
      case "binary_accuracy" -> MetricFunction.binaryAccuracy(DEFAULT_THRESHOLD);
      case "categorical_accuracy" -> MetricFunction.CATEGORICAL_ACCURACY;
      case "sparse_categorical_accuracy" -> MetricFunction.SPARSE_CATEGORICAL_ACCURACY;
      case "mean_squared_error", "mse" -> MetricFunction.MEAN_SQUARED_ERROR;
      case "mean_absolute_error", "mae" -> MetricFunction.MEAN_ABSOLUTE_ERROR;
      default -> throw new IllegalArgumentException("Unknown metric \"" + name
          + "\"; expected one of accuracy (acc), binary_accuracy, categorical_accuracy,"
          + " sparse_categorical_accuracy, mean_squared_error (mse), mean_absolute_error (mae)");
    };
    return new Metric(name, function);
  }

  /** The same metric logged under another key. */
  public Metric named(String name) {
    checkArgument(name != null && !name.isEmpty(), "a metric name must not be empty");
    return new Metric(name, function);
  }

  /** The log key. */
  public String name() {
    return name;
  }

  /**
   * Whether higher values are better (accuracies) or lower (errors), as Keras' metric
   * {@code _direction}; callbacks in mode "auto" use it.
   */
  public boolean higherIsBetter() {
    return function == null || function.higherIsBetter();
  }

  /** Whether this metric still has to be resolved from shapes (plain "accuracy"). */
  public boolean isAutomatic() {
    return function == null;
  }

  /**
   * This metric made concrete for a model output and the loss' labels: "accuracy" becomes
   * binary, sparse categorical or categorical accuracy, keeping its name.
   */
  public Metric resolve(Shape outputShape, Labels labels) {
    if (function != null) {
      return this;
    }
    if (outputShape.get(outputShape.numDimensions() - 1) == 1) {
      return new Metric(name, MetricFunction.binaryAccuracy(DEFAULT_THRESHOLD));
    }
    return new Metric(name, labels == Labels.SPARSE
        ? MetricFunction.SPARSE_CATEGORICAL_ACCURACY : MetricFunction.CATEGORICAL_ACCURACY);
  }

  /** Emits the per-sample values (the prediction's shape without its last axis). */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    checkArgument(function != null, "metric %s must be resolved before use", name);
    return function.call(tf, yTrue, yPred);
  }

  @Override
  public String toString() {
    return name;
  }
}
