package io.jeras.optimizers;

import io.jeras.bridge.UpdateRules;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code SGD}: {@code w -= lr * g}; with momentum {@code m = momentum * m - lr * g},
 * {@code w += m}; with Nesterov {@code w += momentum * m - lr * g}. Keras' defaults: learning
 * rate 0.01, momentum 0, no Nesterov.
 *
 * <pre>{@code
 * SGD.defaults().learningRate(0.1).momentum(0.9).nesterov(true)
 * }</pre>
 */
public final class SGD extends TypedOptimizer<SGD> {
  public static final float DEFAULT_LEARNING_RATE = 0.01f;
  public static final double DEFAULT_MOMENTUM = 0;

  private double momentum = DEFAULT_MOMENTUM;
  private boolean nesterov = false;

  private SGD() {
    super(DEFAULT_LEARNING_RATE, null);
  }

  /** Keras' defaults. */
  public static SGD defaults() {
    return new SGD();
  }

  /** Keras' {@code momentum}. */
  public SGD momentum(double momentum) {
    checkRange("momentum", momentum, 0, 1);
    return with((SGD copy) -> copy.momentum = momentum);
  }

  /** Keras' {@code nesterov}. */
  public SGD nesterov(boolean nesterov) {
    return with((SGD copy) -> copy.nesterov = nesterov);
  }

  public float momentum() {
    return (float) momentum;
  }

  public boolean nesterov() {
    return nesterov;
  }

  @Override
  public String name() {
    return "sgd";
  }

  @Override
  protected Op updateStep(OptimizerContext context, String weightName,
      Variable<TFloat32> weight, Operand<TFloat32> gradient) {
    if (momentum == 0) {
      return UpdateRules.gradientDescent(context.tf(), weight, gradient, context.learningRate());
    }
    return UpdateRules.momentum(context.tf(), weight, context.slot(weightName, "momentum"),
        gradient, context.learningRate(), momentum, nesterov);
  }
}
