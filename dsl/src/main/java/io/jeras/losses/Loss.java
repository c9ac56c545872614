package io.jeras.losses;

import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A Keras loss: per-sample values whose mean over the batch (Keras' {@code sum_over_batch_size},
 * or another {@link #reduction}) is minimized.
 *
 * <pre>{@code
 * model.compile(Adam.defaults(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY, Metric.ACCURACY);
 * }</pre>
 */
public interface Loss {
  Loss MEAN_SQUARED_ERROR = new MeanSquaredError();
  Loss MEAN_ABSOLUTE_ERROR = new MeanAbsoluteError();
  Loss MEAN_ABSOLUTE_PERCENTAGE_ERROR = new MeanAbsolutePercentageError();
  Loss MEAN_SQUARED_LOGARITHMIC_ERROR = new MeanSquaredLogarithmicError();
  Loss COSINE_SIMILARITY = CosineSimilarity.defaults();
  Loss HUBER = Huber.defaults();
  Loss LOG_COSH = new LogCosh();
  Loss HINGE = new Hinge();
  Loss SQUARED_HINGE = new SquaredHinge();
  Loss CATEGORICAL_HINGE = new CategoricalHinge();
  Loss KL_DIVERGENCE = new KLDivergence();
  Loss POISSON = new Poisson();
  Loss BINARY_CROSSENTROPY = BinaryCrossentropy.defaults();
  Loss BINARY_FOCAL_CROSSENTROPY = BinaryFocalCrossentropy.defaults();
  Loss CATEGORICAL_CROSSENTROPY = CategoricalCrossentropy.defaults();
  Loss CATEGORICAL_FOCAL_CROSSENTROPY = CategoricalFocalCrossentropy.defaults();
  Loss SPARSE_CATEGORICAL_CROSSENTROPY = SparseCategoricalCrossentropy.defaults();

  /** Keras' name of this loss ({@code "sparse_categorical_crossentropy"}). */
  String name();

  /** The labels this loss expects. */
  default Labels labels() {
    return Labels.DENSE;
  }

  /**
   * Emits the per-sample losses: the prediction's shape without its last axis.
   *
   * @param yTrue the labels as float32: class indices of shape {@code (batch,)} for sparse
   *     losses, otherwise the shape of the prediction
   */
  Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred);

  /**
   * Keras' {@code reduction}: how the per-sample losses (times their sample weights) become the
   * batch's loss; {@link Reduction#SUM_OVER_BATCH_SIZE} unless changed by {@link
   * #withReduction}.
   */
  default Reduction reduction() {
    return Reduction.SUM_OVER_BATCH_SIZE;
  }

  /** This loss with Keras' {@code reduction} ({@code Loss.HUBER.withReduction(Reduction.SUM)}). */
  default Loss withReduction(Reduction reduction) {
    Objects.requireNonNull(reduction, "reduction");
    return reduction == Reduction.SUM_OVER_BATCH_SIZE ? this : new ReducedLoss(this, reduction);
  }

  /** The loss Keras calls {@code name} ({@code "mse"}, {@code "categorical_crossentropy"}). */
  static Loss of(String name) {
    return Losses.of(name);
  }
}
