package io.jeras.optimizers;

import io.jeras.bridge.UpdateRules;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Adagrad}: {@code acc += g^2}, {@code w -= lr g / sqrt(acc + epsilon)}, the
 * accumulator starting at {@code initial_accumulator_value}. Keras' defaults: learning rate
 * 0.001, initial accumulator value 0.1, epsilon 1e-7. Slot {@code accumulator} (Keras names it
 * {@code adagrad/accumulator} for every weight; Jeras prefixes the weight's name, as for every
 * other slot, so the names are unique).
 *
 * <pre>{@code
 * Adagrad.defaults().learningRate(0.01)
 * }</pre>
 */
public final class Adagrad extends TypedOptimizer<Adagrad> {
  public static final float DEFAULT_LEARNING_RATE = 0.001f;
  public static final double DEFAULT_INITIAL_ACCUMULATOR_VALUE = 0.1;
  public static final double DEFAULT_EPSILON = 1e-7;

  private double initialAccumulatorValue = DEFAULT_INITIAL_ACCUMULATOR_VALUE;
  private double epsilon = DEFAULT_EPSILON;

  private Adagrad() {
    super(DEFAULT_LEARNING_RATE, null);
  }

  /** Keras' defaults. */
  public static Adagrad defaults() {
    return new Adagrad();
  }

  /** Keras' {@code initial_accumulator_value}. */
  public Adagrad initialAccumulatorValue(double initialAccumulatorValue) {
    return with((Adagrad copy) -> copy.initialAccumulatorValue = initialAccumulatorValue);
  }

  /** Keras' {@code epsilon}. */
  public Adagrad epsilon(double epsilon) {
    return with((Adagrad copy) -> copy.epsilon = epsilon);
  }

  public float initialAccumulatorValue() {
    return (float) initialAccumulatorValue;
  }

  public float epsilon() {
    return (float) epsilon;
  }

  @Override
  public String name() {
    return "adagrad";
  }

  @Override
  protected Op updateStep(OptimizerContext context, String weightName,
      Variable<TFloat32> weight, Operand<TFloat32> gradient) {
    return UpdateRules.adagrad(context.tf(), weight,
        context.slot(weightName, "accumulator", (float) initialAccumulatorValue), gradient,
        context.learningRate(), epsilon);
  }
}
