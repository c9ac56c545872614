package io.jeras.layers;

import io.jeras.constraints.Constraint;
import io.jeras.initializers.Initializer;
import io.jeras.regularizers.Regularizer;
import lombok.With;
import org.tensorflow.ndarray.Shape;

/**
 * How one of a layer's weights is made and kept in bounds: Keras' trio of
 * {@code <weight>_initializer}, {@code <weight>_regularizer} and {@code <weight>_constraint}
 * (regularizer and constraint null for none).
 */
@With
public record WeightConfig(Initializer initializer, Regularizer regularizer,
    Constraint constraint) {

  /** A weight with {@code initializer}, no regularizer, no constraint. */
  public static WeightConfig of(Initializer initializer) {
    return new WeightConfig(initializer, null, null);
  }

  /** The weight named {@code name} of {@code shape}. */
  public WeightSpec spec(String name, Shape shape, boolean trainable) {
    return new WeightSpec(name, shape, initializer, regularizer, constraint, trainable);
  }
}
