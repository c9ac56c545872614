package io.jeras.optimizers;

import io.jeras.bridge.UpdateRules;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code RMSprop}: {@code v = rho v + (1 - rho) g^2}, {@code w -= lr g / sqrt(v + eps)}
 * (epsilon inside the square root), optionally centered and with momentum. Keras' defaults:
 * learning rate 0.001, rho 0.9, momentum 0, epsilon 1e-7, not centered. Slots {@code velocity},
 * {@code momentum} (only with momentum, as Keras) and {@code average_gradient} (centered).
 *
 * <pre>{@code
 * RMSprop.defaults().learningRate(1e-4)
 * }</pre>
 */
public final class RMSprop extends TypedOptimizer<RMSprop> {
  public static final float DEFAULT_LEARNING_RATE = 0.001f;
  public static final double DEFAULT_RHO = 0.9;
  public static final double DEFAULT_MOMENTUM = 0;
  public static final double DEFAULT_EPSILON = 1e-7;

  private double rho = DEFAULT_RHO;
  private double momentum = DEFAULT_MOMENTUM;
  private double epsilon = DEFAULT_EPSILON;
  private boolean centered = false;

  private RMSprop() {
    super(DEFAULT_LEARNING_RATE, null);
  }

  /** Keras' defaults. */
  public static RMSprop defaults() {
    return new RMSprop();
  }

  /** Keras' {@code rho}. */
  public RMSprop rho(double rho) {
    checkRange("rho", rho, 0, 1);
    return with((RMSprop copy) -> copy.rho = rho);
  }

  /** Keras' {@code momentum}. */
  public RMSprop momentum(double momentum) {
    checkRange("momentum", momentum, 0, 1);
    return with((RMSprop copy) -> copy.momentum = momentum);
  }

  /** Keras' {@code epsilon}. */
  public RMSprop epsilon(double epsilon) {
    checkRange("epsilon", epsilon, 0, Double.MAX_VALUE);
    return with((RMSprop copy) -> copy.epsilon = epsilon);
  }

  /** Keras' {@code centered}. */
  public RMSprop centered(boolean centered) {
    return with((RMSprop copy) -> copy.centered = centered);
  }

  public float rho() {
    return (float) rho;
  }

  public float momentum() {
    return (float) momentum;
  }

  public float epsilon() {
    return (float) epsilon;
  }

  public boolean centered() {
    return centered;
  }

  @Override
  public String name() {
    return "rmsprop";
  }

  @Override
  protected Op updateStep(OptimizerContext context, String weightName,
      Variable<TFloat32> weight, Operand<TFloat32> gradient) {
    return UpdateRules.rmsprop(context.tf(), weight, context.slot(weightName, "velocity"),
        momentum > 0 ? context.slot(weightName, "momentum") : null,
        centered ? context.slot(weightName, "average_gradient") : null, gradient,
        context.learningRate(), rho, momentum, epsilon);
  }
}
