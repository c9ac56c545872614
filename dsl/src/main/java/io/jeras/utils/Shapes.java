package io.jeras.utils;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.StringJoiner;
import org.tensorflow.ndarray.Shape;

/** Keras-style shape text and small shape helpers. Shapes here include the batch dimension. */
public final class Shapes {
  private Shapes() {}

  /**
   * The shape of a batch of samples of {@code sampleShape}: {@code (None, ...)}; -1 stands for
   * an unknown dimension.
   */
  public static Shape batchOf(long... sampleShape) {
    for (long d : sampleShape) {
      checkArgument(d > 0 || d == Shape.UNKNOWN_SIZE,
          "dimensions must be positive or -1 (unknown), got %s",
          java.util.Arrays.toString(sampleShape));
    }
    return Shape.of(sampleShape).prepend(Shape.UNKNOWN_SIZE);
  }

  /** Keras' notation: {@code (None, 26, 26, 32)}; a rank-1 shape prints as {@code (None,)}. */
  public static String format(Shape shape) {
    if (shape.isUnknown()) {
      return "<unknown>";
    }
    StringJoiner joiner = new StringJoiner(", ", "(", shape.numDimensions() == 1 ? ",)" : ")");
    for (long d : shape.asArray()) {
      joiner.add(d < 0 ? "None" : Long.toString(d));
    }
    return joiner.toString();
  }

  /** The shape without its first (batch) dimension. */
  public static Shape sampleShape(Shape shape) {
    return shape.numDimensions() <= 1 ? Shape.scalar() : shape.subShape(1, shape.numDimensions());
  }

  /** Number of values in one sample (the product of all but the batch dimension). */
  public static long sampleSize(Shape shape) {
    long size = 1;
    for (int i = 1; i < shape.numDimensions(); i++) {
      size *= shape.get(i);
    }
    return size;
  }

  /** Whether two shapes agree on rank and on every dimension known in both. */
  public static boolean compatible(Shape a, Shape b) {
    if (a.numDimensions() != b.numDimensions()) {
      return false;
    }
    for (int i = 0; i < a.numDimensions(); i++) {
      if (a.get(i) >= 0 && b.get(i) >= 0 && a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  /** The last dimension. */
  public static long last(Shape shape) {
    return shape.get(shape.numDimensions() - 1);
  }
}
