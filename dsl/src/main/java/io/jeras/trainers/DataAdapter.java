package io.jeras.trainers;

import io.jeras.data.ArrayData;
import io.jeras.utils.Shapes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;

/**
 * Checks and converts user data for a compiled graph before any session runs, so a wrong shape
 * fails with both shapes named instead of deep inside TensorFlow. Arrays come keyed by input or
 * output name; a single-input (or single-output) model also takes one array under the key "".
 */
final class DataAdapter {
  private DataAdapter() {}

  /** The inputs in model order; every sample shape must match, sample counts must agree. */
  static List<ArrayData> inputs(Map<String, ? extends NdArray<?>> x, List<String> names,
      List<Shape> shapes) {
    List<NdArray<?>> arrays = ordered(x, names, "input");
    List<ArrayData> data = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      NdArray<?> array = arrays.get(i);
      Shape expected = Shapes.sampleShape(shapes.get(i));
      Shape got = array.shape();
      String what = names.size() == 1 ? "Input data" : "Input \"" + names.get(i) + "\"";
      if (got.numDimensions() < 1 || !Shapes.sampleShape(got).equals(expected)) {
        throw new IllegalArgumentException(what + " of shape " + Shapes.format(got)
            + " does not match the model's input " + Shapes.format(shapes.get(i))
            + ": expected samples of shape " + Shapes.format(expected) + ", got "
            + (got.numDimensions() < 1 ? "a scalar" : Shapes.format(Shapes.sampleShape(got))));
      }
      if (got.get(0) == 0) {
        throw new IllegalArgumentException(what + " is empty: expected at least one sample");
      }
      if (!data.isEmpty() && got.get(0) != data.get(0).size()) {
        throw new IllegalArgumentException("Inputs hold different numbers of samples: "
            + data.get(0).size() + " (" + names.get(0) + ") and " + got.get(0) + " ("
            + names.get(i) + ")");
      }
      data.add(ArrayData.of(array));
    }
    return data;
  }

  /**
   * The labels in output order for {@code samples} inputs: class indices {@code (n,)} or
   * {@code (n, 1)} for a sparse loss (checked to lie in the output's classes), otherwise the
   * output's shape ({@code (n,)} is accepted for outputs of one unit).
   */
  static List<ArrayData> labels(Map<String, ? extends NdArray<?>> y, List<String> names,
      List<Shape> labelShapes, List<Shape> outputShapes, long samples, List<String> lossNames) {
    List<NdArray<?>> arrays = ordered(y, names, "output");
    List<ArrayData> data = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      data.add(labels(arrays.get(i), labelShapes.get(i), outputShapes.get(i), samples,
          lossNames.get(i)));
    }
    return data;
  }

  private static ArrayData labels(NdArray<?> y, Shape labelShape, Shape outputShape,
      long samples, String lossName) {
    Shape got = y.shape();
    if (got.numDimensions() < 1 || got.get(0) != samples) {
      throw new IllegalArgumentException("Labels of shape " + Shapes.format(got)
          + " do not match the " + samples + " input samples: expected the same number of"
          + " labels as samples");
    }
    Shape expected = Shapes.sampleShape(labelShape);
    Shape sample = Shapes.sampleShape(got);
    ArrayData data = ArrayData.of(y);
    if (!sample.equals(expected)) {
      if (sample.size() == 1 && expected.size() == 1 && sample.numDimensions() <= 1
          && expected.numDimensions() <= 1) {
        data = data.reshapeSamples(expected);
      } else {
        throw new IllegalArgumentException("Labels of shape " + Shapes.format(got)
            + " do not fit " + lossName + ": expected labels of shape "
            + Shapes.format(labelShape) + (expected.numDimensions() == 0
                ? " (one class index per sample)"
                : " (one-hot for categorical losses; for class indices use"
                    + " sparse_categorical_crossentropy)"));
      }
    }
    if (labelShape.numDimensions() == 1) {
      long classes = Shapes.last(outputShape);
      for (long i = 0; i < data.size(); i++) {
        float label = data.get(i);
        if (label < 0 || label >= classes || label != Math.rint(label)) {
          throw new IllegalArgumentException("Label " + label + " at index " + i + " is not a"
              + " class index in the valid range [0, " + classes + ") of the model's " + classes
              + " outputs (" + lossName + " takes one integer class index per sample)");
        }
      }
    }
    return data;
  }

  /**
   * Keras' {@code sample_weight} for {@code samples} samples: {@code (n,)} or {@code (n, 1)},
   * finite and not negative.
   */
  static ArrayData sampleWeights(NdArray<?> weights, long samples) {
    Shape got = weights.shape();
    if (got.numDimensions() < 1 || got.numDimensions() > 2 || got.get(0) != samples
        || got.numDimensions() == 2 && got.get(1) != 1) {
      throw new IllegalArgumentException("Sample weights of shape " + Shapes.format(got)
          + " do not match the " + samples + " samples: expected one weight per sample, of"
          + " shape (" + samples + ",) or (" + samples + ", 1)");
    }
    ArrayData data = ArrayData.of(weights).reshapeSamples(Shape.scalar());
    for (long i = 0; i < data.size(); i++) {
      float weight = data.get(i);
      if (!(weight >= 0) || Float.isInfinite(weight)) {
        throw new IllegalArgumentException("Sample weight " + weight + " at index " + i
            + " is not a finite non-negative number");
      }
    }
    return data;
  }

  /**
   * Keras' {@code class_weight_to_sample_weights}: each sample weighs as its class maps in
   * {@code classWeight} (1 if absent); the class is the label, or with one-hot labels the index
   * of the largest value (the first of equal ones), rounded as Keras rounds.
   */
  static ArrayData classWeights(ArrayData labels, Map<Integer, Double> classWeight) {
    long width = labels.sampleShape().size();
    float[] weights = new float[labels.size()];
    for (int i = 0; i < weights.length; i++) {
      int label;
      if (width == 1) {
        label = (int) Math.rint(labels.get(i));
      } else {
        label = 0;
        for (int c = 1; c < width; c++) {
          if (labels.get(i * width + c) > labels.get(i * width + label)) {
            label = c;
          }
        }
      }
      weights[i] = classWeight.getOrDefault(label, 1.0).floatValue();
    }
    return ArrayData.wrap(weights, Shape.of(weights.length));
  }

  /** The arrays in the order of {@code names}; "" stands for the only one. */
  private static List<NdArray<?>> ordered(Map<String, ? extends NdArray<?>> arrays,
      List<String> names, String what) {
    if (arrays == null) {
      throw new IllegalArgumentException(what.equals("input") ? "x must not be null"
          : "y must not be null when the model has a loss");
    }
    if (arrays.size() == 1 && arrays.containsKey("") && names.size() == 1) {
      NdArray<?> only = arrays.get("");
      if (only == null) {
        throw new IllegalArgumentException(what.equals("input") ? "x must not be null"
            : "y must not be null when the model has a loss");
      }
      return List.of(only);
    }
    for (String key : arrays.keySet()) {
      if (!names.contains(key)) {
        throw new IllegalArgumentException("Data given for " + what + " \"" + key + "\", but the"
            + " model's " + what + "s are " + names);
      }
    }
    List<NdArray<?>> ordered = new ArrayList<>();
    for (String name : names) {
      NdArray<?> array = arrays.get(name);
      if (array == null) {
        throw new IllegalArgumentException("No data for " + what + " \"" + name + "\"; the model's "
            + what + "s are " + names);
      }
      ordered.add(array);
    }
    return ordered;
  }
}
