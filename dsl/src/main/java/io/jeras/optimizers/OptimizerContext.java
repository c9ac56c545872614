package io.jeras.optimizers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** What an optimizer sees while it emits its update ops into a model's graph. */
public interface OptimizerContext {

  /** The op builder, scoped at the optimizer's name. */
  Ops tf();

  /** The learning rate: a variable, so callbacks can change it between steps. */
  Operand<TFloat32> learningRate();

  /** The 1-based number of the step being taken ({@code iterations + 1}), as a float. */
  Operand<TFloat32> step();

  /**
   * A zero-initialized slot of the same shape as {@code weight}, named like Keras'
   * ({@code adam/dense_kernel_momentum}).
   */
  Variable<TFloat32> slot(String weight, String slot);
}
