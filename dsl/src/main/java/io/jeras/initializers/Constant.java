package io.jeras.initializers;

import java.util.Arrays;
import org.tensorflow.ndarray.Shape;

/** Keras' {@code Constant}, {@code Zeros} and {@code Ones}: every value the same. */
public record Constant(float value) implements Initializer {

  @Override
  public float[] generate(Shape shape, long seed) {
    float[] values = new float[Math.toIntExact(shape.size())];
    Arrays.fill(values, value);
    return values;
  }

  @Override
  public String kerasName() {
    return value == 0 ? "zeros" : value == 1 ? "ones" : "constant";
  }
}
