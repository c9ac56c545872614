package io.jeras.constraints;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A Keras weight constraint: after every optimizer step the weight is replaced by
 * {@code constraint(weight)} (Keras' {@code kernel_constraint}, {@code bias_constraint}, ...).
 */
@FunctionalInterface
public interface Constraint {

  /** Emits the constrained value of {@code w}. */
  Operand<TFloat32> apply(Ops tf, Operand<TFloat32> w);
}
