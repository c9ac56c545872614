package io.jeras.initializers;

import org.tensorflow.ndarray.Shape;

/** Keras' {@code compute_fans}: fan-in and fan-out of a weight shape. */
record Fans(double in, double out) {

  /**
   * Dense kernels {@code (in, out)}; convolution kernels {@code (..., cin, cout)} multiply both
   * by the receptive field size; vectors use their length for both; scalars 1.
   */
  static Fans of(Shape shape) {
    int rank = shape.numDimensions();
    if (rank == 0) {
      return new Fans(1, 1);
    }
    if (rank == 1) {
      return new Fans(shape.get(0), shape.get(0));
    }
    if (rank == 2) {
      return new Fans(shape.get(0), shape.get(1));
    }
    double receptiveField = 1;
    for (int i = 0; i < rank - 2; i++) {
      receptiveField *= shape.get(i);
    }
    return new Fans(shape.get(rank - 2) * receptiveField, shape.get(rank - 1) * receptiveField);
  }
}
