package io.jeras.metrics;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Keras' {@code MeanIoU}: the confusion matrix of labels and predictions over every position
 * seen ({@code numClasses} x {@code numClasses}), then per class {@code TP / (TP + FP + FN)},
 * averaged over the classes that occurred (with Keras' epsilon). As in Keras, labels and
 * predictions are class indices by default; {@code sparseYTrue(false)} / {@code
 * sparseYPred(false)} take the argmax of one-hot labels / of the model's probabilities.
 * Positions whose label is {@code ignoreClass} do not count.
 */
public final class MeanIoU extends Metric {
  private static final double EPSILON = 1e-7;

  private final int numClasses;
  private boolean sparseYTrue = true;
  private boolean sparseYPred = true;
  private Integer ignoreClass;

  private MeanIoU(int numClasses) {
    super("mean_io_u");
    this.numClasses = numClasses;
  }

  /** Keras' {@code MeanIoU(num_classes)}. */
  public static MeanIoU of(int numClasses) {
    checkArgument(numClasses >= 2, "num_classes must be >= 2, got %s", numClasses);
    return new MeanIoU(numClasses);
  }

  /** Keras' {@code sparse_y_true}: false for one-hot labels. */
  public MeanIoU sparseYTrue(boolean sparse) {
    return with((MeanIoU copy) -> copy.sparseYTrue = sparse);
  }

  /** Keras' {@code sparse_y_pred}: false for a model's probabilities (their argmax counts). */
  public MeanIoU sparseYPred(boolean sparse) {
    return with((MeanIoU copy) -> copy.sparseYPred = sparse);
  }

  /** Keras' {@code ignore_class}. */
  public MeanIoU ignoreClass(int ignoreClass) {
    return with((MeanIoU copy) -> copy.ignoreClass = ignoreClass);
  }

  @Override
  public int stateSize(Shape outputShape) {
    return numClasses * numClasses;
  }

  /** The batch's confusion matrix, row = label, column = prediction, flattened. */
  @Override
  public Operand<TFloat32> update(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred) {
    return update(tf, yTrue, yPred, null);
  }

  /**
   * As {@link #update(Ops, Operand, Operand)}, each sample's cells counted its weight times
   * (the weight broadcast over the sample's labels). Keras' MeanIoU counts in integers (its
   * dtype is {@code "int"}), so it truncates fractional weights toward zero, with a warning;
   * so does this.
   */
  @Override
  public Operand<TFloat32> update(Ops tf, Operand<TFloat32> yTrue, Operand<TFloat32> yPred,
      Operand<TFloat32> sampleWeight) {
    Operand<TInt32> labels = classes(tf, yTrue, sparseYTrue);
    Operand<TInt32> predictions = classes(tf, yPred, sparseYPred);
    Operand<TFloat32> weights = tf.onesLike(tf.dtypes.cast(labels, TFloat32.class));
    if (ignoreClass != null) {
      weights = tf.dtypes.cast(tf.math.notEqual(labels, tf.constant(ignoreClass)),
          TFloat32.class);
    }
    if (sampleWeight != null) {
      sampleWeight = tf.dtypes.cast(tf.dtypes.cast(sampleWeight, TInt32.class), TFloat32.class);
      // the labels as (samples, labels per sample), each row times its sample's weight
      Operand<TInt32> samples = tf.reshape(tf.size(sampleWeight), tf.constant(new long[] {1}));
      Operand<TFloat32> rows = tf.reshape(weights,
          tf.concat(List.of(samples, tf.constant(new int[] {-1})), tf.constant(0)));
      weights = tf.reshape(tf.math.mul(rows, perSample(tf, sampleWeight, 2)),
          tf.constant(new long[] {-1}));
    }
    // label * classes + prediction indexes the flattened matrix
    Operand<TInt32> cells = tf.math.add(tf.math.mul(labels, tf.constant(numClasses)),
        predictions);
    return tf.math.unsortedSegmentSum(weights, cells, tf.constant(numClasses * numClasses));
  }

  private Operand<TInt32> classes(Ops tf, Operand<TFloat32> values, boolean sparse) {
    Operand<TFloat32> ids = sparse ? values
        : tf.dtypes.cast(tf.math.argMax(values, tf.constant(-1), TInt64.class), TFloat32.class);
    return tf.dtypes.cast(tf.reshape(ids, tf.constant(new long[] {-1})), TInt32.class);
  }

  @Override
  public double result(double[] state) {
    int n = numClasses;
    double total = 0;
    int valid = 0;
    for (int c = 0; c < n; c++) {
      double row = 0;
      double column = 0;
      for (int k = 0; k < n; k++) {
        row += state[c * n + k];
        column += state[k * n + c];
      }
      double tp = state[c * n + c];
      double denominator = row + column - tp;
      if (denominator > 1e-9) {
        valid++;
      }
      total += tp / (denominator + EPSILON);
    }
    return total / (valid + EPSILON);
  }
}
