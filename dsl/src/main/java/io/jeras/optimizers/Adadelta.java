package io.jeras.optimizers;

import io.jeras.bridge.UpdateRules;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Adadelta}: {@code ag = rho ag + (1 - rho) g^2},
 * {@code delta = -sqrt(ad + epsilon) g / sqrt(ag + epsilon)},
 * {@code ad = rho ad + (1 - rho) delta^2}, {@code w += lr delta}. Keras' defaults: learning
 * rate 0.001, rho 0.95, epsilon 1e-7. Slots {@code accumulated_grad},
 * {@code accumulated_delta_var}.
 *
 * <pre>{@code
 * Adadelta.defaults().learningRate(1.0)
 * }</pre>
 */
public final class Adadelta extends TypedOptimizer<Adadelta> {
  public static final float DEFAULT_LEARNING_RATE = 0.001f;
  public static final double DEFAULT_RHO = 0.95;
  public static final double DEFAULT_EPSILON = 1e-7;

  private double rho = DEFAULT_RHO;
  private double epsilon = DEFAULT_EPSILON;

  private Adadelta() {
    super(DEFAULT_LEARNING_RATE, null);
  }

  /** Keras' defaults. */
  public static Adadelta defaults() {
    return new Adadelta();
  }

  /** Keras' {@code rho}. */
  public Adadelta rho(double rho) {
    return with((Adadelta copy) -> copy.rho = rho);
  }

  /** Keras' {@code epsilon}. */
  public Adadelta epsilon(double epsilon) {
    return with((Adadelta copy) -> copy.epsilon = epsilon);
  }

  public float rho() {
    return (float) rho;
  }

  public float epsilon() {
    return (float) epsilon;
  }

  @Override
  public String name() {
    return "adadelta";
  }

  @Override
  protected Op updateStep(OptimizerContext context, String weightName,
      Variable<TFloat32> weight, Operand<TFloat32> gradient) {
    return UpdateRules.adadelta(context.tf(), weight,
        context.slot(weightName, "accumulated_grad"),
        context.slot(weightName, "accumulated_delta_var"), gradient, context.learningRate(),
        rho, epsilon);
  }
}
