package io.jeras.initializers;

import org.tensorflow.ndarray.Shape;

/**
 * Makes the initial values of a weight, like {@code keras.initializers.Initializer}.
 *
 * <p>Values are computed in Java from a seed, so a model built twice with the same seeds starts
 * from identical weights on any machine. An initializer created with a seed always gives the
 * same values for the same shape; one without a seed draws its seed from {@link
 * io.jeras.Jeras#nextSeed()} each time a model is built.
 */
public interface Initializer {

  /** The initial values for a weight of {@code shape}, in row-major order. */
  float[] generate(Shape shape, long seed);

  /** This initializer's own seed, or null when it takes one from the global generator. */
  default Long seed() {
    return null;
  }

  /** Keras' name for this initializer ({@code "glorot_uniform"}). */
  String kerasName();
}
