package io.jeras.metrics;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.losses.Labels;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A Keras metric reported during {@code fit} and {@code evaluate}, with Keras' stateful
 * semantics: a state that starts at zero ({@code reset_state}), grows with every batch ({@code
 * update_state}) and gives the value ({@code result}) from what it has seen. In Jeras the state
 * is a vector of {@link #stateSize} sums: {@link #update} emits, as TensorFlow ops, one batch's
 * addition to it; the trainer adds those up over an epoch and {@link #result} computes the value
 * from them. Means (accuracies, errors: {@code [total, count]}), confusion counts ({@link
 * Precision}, {@link Recall}, {@link Auc}, {@link FBetaScore}) and confusion matrices ({@link
 * MeanIoU}) are all such sums. {@link MetricState} runs a metric on arrays outside of training,
 * as Keras' {@code metric.update_state(y_true, y_pred); metric.result()}.
 *
 * <p>A metric of one's own extends this class (see {@link MeanMetric#of} for a per-sample
 * function averaged as Keras' {@code MeanMetricWrapper} does). Metrics are immutable.
 *
 * <p>{@link #ACCURACY} resolves by shapes, as Keras does: a prediction with last dimension 1 ->
 * binary accuracy; sparse labels -> sparse categorical accuracy; otherwise categorical accuracy.
 * The log key is the name the user gave: {@code "accuracy"} is logged as {@code accuracy},
 * {@code "acc"} as {@code acc}.
 *
 * <pre>{@code
 * model.compile(Adam.defaults(), Loss.BINARY_CROSSENTROPY, Metric.ACCURACY, Auc.defaults(),
 *     Precision.defaults(), Recall.defaults());
 * }</pre>
 */
public abstract class Metric implements Cloneable {
  /** Keras' default threshold of binary accuracy. */
  public static final float DEFAULT_THRESHOLD = 0.5f;

  public static final Metric ACCURACY = new MeanMetric("accuracy", null, true);
  public static final Metric BINARY_ACCURACY = MeanMetric.of("binary_accuracy",
      MetricFunction.binaryAccuracy(DEFAULT_THRESHOLD));
  public static final Metric CATEGORICAL_ACCURACY =
      MeanMetric.of("categorical_accuracy", MetricFunction.CATEGORICAL_ACCURACY);
  public static final Metric SPARSE_CATEGORICAL_ACCURACY =
      MeanMetric.of("sparse_categorical_accuracy", MetricFunction.SPARSE_CATEGORICAL_ACCURACY);
  public static final Metric MEAN_SQUARED_ERROR = MeanMetric.error("mean_squared_error",
      MetricFunction.MEAN_SQUARED_ERROR);
  public static final Metric MEAN_ABSOLUTE_ERROR = MeanMetric.error("mean_absolute_error",
      MetricFunction.MEAN_ABSOLUTE_ERROR);

  private String name;
  private boolean weighted;

  /** A metric logged under {@code name}. */
  protected Metric(String name) {
    checkArgument(name != null && !name.isEmpty(), "a metric name must not be empty");
    this.name = name;
  }

  /** Binary accuracy with another threshold. */
  public static Metric binaryAccuracy(double threshold) {
    return MeanMetric.of("binary_accuracy", MetricFunction.binaryAccuracy((float) threshold));
  }

  /** The metric Keras calls {@code name}, with its defaults; the log key stays {@code name}. */
  public static Metric of(String name) {
    Metric metric = switch (name.toLowerCase(Locale.ROOT)) {
      case "accuracy", "acc" -> ACCURACY;
      case "binary_accuracy" -> BINARY_ACCURACY;
      case "categorical_accuracy" -> CATEGORICAL_ACCURACY;
      case "sparse_categorical_accuracy" -> SPARSE_CATEGORICAL_ACCURACY;
      case "top_k_categorical_accuracy" -> MeanMetric.topK(5, false);
      case "sparse_top_k_categorical_accuracy" -> MeanMetric.topK(5, true);
      case "mean_squared_error", "mse" -> MEAN_SQUARED_ERROR;
      case "mean_absolute_error", "mae" -> MEAN_ABSOLUTE_ERROR;
      case "auc" -> Auc.defaults();
      case "precision" -> Precision.defaults();
      case "recall" -> Recall.defaults();
      default -> throw new IllegalArgumentException("Unknown metric \"" + name
          + "\"; expected one of accuracy (acc), binary_accuracy, categorical_accuracy,"
          + " sparse_categorical_accuracy, top_k_categorical_accuracy,"
          + " sparse_top_k_categorical_accuracy, mean_squared_error (mse),"
          + " mean_absolute_error (mae), auc, precision, recall");
    };
    return metric.named(name);
  }

  /** The same metric logged under another key. */
  public Metric named(String name) {
    checkArgument(name != null && !name.isEmpty(), "a metric name must not be empty");
    return with(copy -> copy.name = name);
  }

  /** The log key. */
  public final String name() {
    return name;
  }

  /**
   * This metric as one of Keras' {@code weighted_metrics}: updated with each sample counted
   * its {@code sample_weight} (or class weight) times. A metric given both ways is logged
   * weighted as {@code weighted_<name>}, as Keras names it. Plain metrics ignore the weights,
   * as Keras' {@code metrics} do.
   */
  public Metric weighted() {
    return with(copy -> copy.weighted = true);
  }

  /** Whether this is one of Keras' {@code weighted_metrics} ({@link #weighted}). */
  public final boolean isWeighted() {
    return weighted;
  }

  /**
   * Whether higher values are better (accuracies, AUC) or lower (errors), as Keras' metric
   * {@code _direction}; callbacks in mode "auto" use it.
   */
  public boolean higherIsBetter() {
    return true;
  }

  /**
   * This metric made concrete for a model output and the loss' labels (plain "accuracy"
   * becomes binary, sparse categorical or categorical accuracy); most metrics are already.
   */
  public Metric resolve(Shape outputShape, Labels labels) {
    return this;
  }

  /**
   * The number of sums in the state for an output of {@code outputShape} (batch first), e.g.
   * 2 for a mean, the number of classes times 4 for an F-score.
   */
  public abstract int stateSize(Shape outputShape);

  /**
   * Emits one batch's addition to the state: a float vector of {@link #stateSize} elements.
   *
   * @param yTrue the labels as the loss takes them (class indices for sparse losses)
   * @param yPred the model's output (probabilities, or logits if the model ends without one)
   */
  public abstract Operand<TFloat32> update(Ops tf, Operand<TFloat32> yTrue,
      Operand<TFloat32> yPred);

  /**
   * Keras' {@code update_state(y_true, y_pred, sample_weight)}: one batch's addition to the
   * state with each sample counted {@code sampleWeight} times ({@code (batch,)}; a
   * one-element {@code [w]} weighs every sample alike). The built-in metrics weigh as Keras
   * does; a metric of one's own overrides this to be usable as a {@link #weighted} metric.
   */
  public Operand<TFloat32> update(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred,
      Operand<TFloat32> sampleWeight) {
    throw new UnsupportedOperationException("metric " + name + " (" + getClass().getName()
        + ") cannot weigh samples: override update(tf, yTrue, yPred, sampleWeight) to use it"
        + " as a weighted metric");
  }

  /**
   * {@code sampleWeight} shaped {@code (batch, 1, ..., 1)} to {@code rank}, so that it
   * broadcasts over values of that rank (batch first).
   */
  protected static Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> sampleWeight,
      int rank) {
    long[] shape = new long[Math.max(rank, 1)];
    java.util.Arrays.fill(shape, 1);
    shape[0] = -1;
    return tf.reshape(sampleWeight, tf.constant(shape));
  }

  /** Keras' {@code result()} from the accumulated state (zeros: no data seen). */
  public abstract double result(double[] state);

  /** A copy of this metric changed by {@code change} (for subclasses' option setters). */
  @SuppressWarnings("unchecked")
  protected final <T extends Metric> T with(java.util.function.Consumer<T> change) {
    T copy;
    try {
      copy = (T) clone();
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
    change.accept(copy);
    return copy;
  }

  /** Keras' {@code divide_no_nan}: 0 where the denominator is 0. */
  protected static double divideNoNan(double numerator, double denominator) {
    return denominator == 0 ? 0 : numerator / denominator;
  }

  @Override
  public String toString() {
    return name;
  }
}
