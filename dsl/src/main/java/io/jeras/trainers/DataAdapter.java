package io.jeras.trainers;

import io.jeras.data.ArrayData;
import io.jeras.utils.Shapes;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;

/**
 * Checks and converts user data for a compiled graph before any session runs, so a wrong shape
 * fails with both shapes named instead of deep inside TensorFlow.
 */
final class DataAdapter {
  private DataAdapter() {}

  /** The inputs, whose samples must have the model's input sample shape. */
  static ArrayData inputs(NdArray<?> x, Shape modelInput) {
    if (x == null) {
      throw new IllegalArgumentException("x must not be null");
    }
    Shape expected = Shapes.sampleShape(modelInput);
    Shape got = x.shape();
    if (got.numDimensions() < 1 || !Shapes.sampleShape(got).equals(expected)) {
      throw new IllegalArgumentException("Input data of shape " + Shapes.format(got)
          + " does not match the model's input " + Shapes.format(modelInput)
          + ": expected samples of shape " + Shapes.format(expected) + ", got "
          + (got.numDimensions() < 1 ? "a scalar" : Shapes.format(Shapes.sampleShape(got))));
    }
    if (got.get(0) == 0) {
      throw new IllegalArgumentException("Input data is empty: expected at least one sample");
    }
    return ArrayData.of(x);
  }

  /**
   * The labels for {@code samples} inputs: class indices {@code (n,)} or {@code (n, 1)} for a
   * sparse loss, otherwise the model's output shape ({@code (n,)} is accepted for outputs of
   * one unit).
   */
  static ArrayData labels(NdArray<?> y, Shape labelShape, long samples, String lossName,
      Shape outputShape) {
    ArrayData labels = labels(y, labelShape, samples, lossName);
    if (labelShape.numDimensions() == 1) {
      long classes = Shapes.last(outputShape);
      for (long i = 0; i < labels.size(); i++) {
        float label = labels.get(i);
        if (label < 0 || label >= classes || label != Math.rint(label)) {
          throw new IllegalArgumentException("Label " + label + " at index " + i + " is not a"
              + " class index in the valid range [0, " + classes + ") of the model's " + classes
              + " outputs (" + lossName + " takes one integer class index per sample)");
        }
      }
    }
    return labels;
  }

  private static ArrayData labels(NdArray<?> y, Shape labelShape, long samples, String lossName) {
    if (y == null) {
      throw new IllegalArgumentException("y must not be null when the model has a loss");
    }
    Shape got = y.shape();
    if (got.numDimensions() < 1 || got.get(0) != samples) {
      throw new IllegalArgumentException("Labels of shape " + Shapes.format(got)
          + " do not match the " + samples + " input samples: expected the same number of"
          + " labels as samples");
    }
    Shape expected = Shapes.sampleShape(labelShape);
    Shape sample = Shapes.sampleShape(got);
    ArrayData data = ArrayData.of(y);
    if (sample.equals(expected)) {
      return data;
    }
    if (sample.size() == 1 && expected.size() == 1 && sample.numDimensions() <= 1
        && expected.numDimensions() <= 1) {
      return data.reshapeSamples(expected);
    }
    throw new IllegalArgumentException("Labels of shape " + Shapes.format(got) + " do not fit "
        + lossName + ": expected labels of shape " + Shapes.format(labelShape)
        + (expected.numDimensions() == 0
            ? " (one class index per sample)"
            : " (one-hot for categorical losses; for class indices use"
                + " sparse_categorical_crossentropy)"));
  }
}
