package io.jeras.optimizers;

import java.util.function.BiFunction;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
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
  default Variable<TFloat32> slot(String weight, String slot) {
    return slot(weight, slot, 0f);
  }

  /**
   * A slot of the same shape as {@code weight} with every element {@code initialValue} at
   * first (Keras' {@code Constant} initializer, as Adagrad's and Ftrl's accumulators).
   */
  Variable<TFloat32> slot(String weight, String slot, float initialValue);

  /**
   * A scalar optimizer variable ({@code <optimizer>/<name>}, starting at {@code
   * initialValue}) that every step sets once, before any weight's update, to {@code
   * update(tf, previous value)}; returns the value it has been set to in this step. Several
   * calls with the same name share one variable and one update (the first call's). Keras keeps
   * such state outside the per-weight slots, e.g. Nadam's {@code u_product}.
   */
  Operand<TFloat32> stepScalar(String name, float initialValue,
      BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> update);

  /** This context, with every op it emits also waiting for {@code op}. */
  OptimizerContext after(Op op);
}
