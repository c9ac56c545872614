package io.jeras.layers;

import io.jeras.constraints.Constraint;
import io.jeras.initializers.Initializer;
import io.jeras.regularizers.Regularizer;
import org.tensorflow.ndarray.Shape;

/**
 * A weight a layer creates: its name within the layer ({@code kernel}), shape, initializer,
 * optional regularizer and constraint (null for none) and whether the optimizer updates it.
 */
public record WeightSpec(String name, Shape shape, Initializer initializer,
    Regularizer regularizer, Constraint constraint, boolean trainable) {

  /** A weight without constraint. */
  public WeightSpec(String name, Shape shape, Initializer initializer, Regularizer regularizer,
      boolean trainable) {
    this(name, shape, initializer, regularizer, null, trainable);
  }

  /** The same weight under another name (a layer inside a nested model). */
  public WeightSpec renamed(String newName) {
    return new WeightSpec(newName, shape, initializer, regularizer, constraint, trainable);
  }

  /** The same weight, frozen or not. */
  public WeightSpec withTrainable(boolean trainable) {
    return new WeightSpec(name, shape, initializer, regularizer, constraint, trainable);
  }

  /** Number of scalars in this weight. */
  public long size() {
    return shape.size();
  }
}
