package io.jeras.layers;

import io.jeras.initializers.Initializer;
import io.jeras.regularizers.Regularizer;
import org.tensorflow.ndarray.Shape;

/**
 * A weight a layer creates: its name within the layer ({@code kernel}), shape, initializer,
 * optional regularizer (null for none) and whether the optimizer updates it.
 */
public record WeightSpec(String name, Shape shape, Initializer initializer,
    Regularizer regularizer, boolean trainable) {

  /** Number of scalars in this weight. */
  public long size() {
    return shape.size();
  }
}
