package io.jeras.bridge;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyAdam;
import org.tensorflow.types.TFloat32;

/**
 * One optimizer step for one variable, as TensorFlow ops, following Keras' update rules exactly.
 *
 * <p>Where TensorFlow has a fused kernel with the same arithmetic ({@code ApplyGradientDescent},
 * {@code ApplyAdam}, {@code ApplyRMSProp}, {@code ApplyCenteredRMSProp}), it is used; SGD with
 * momentum is written out because TensorFlow's {@code ApplyMomentum} accumulates gradients
 * rather than steps, which diverges from Keras as soon as the learning rate changes. Every
 * learning rate is an operand, so a schedule can change it without rebuilding the graph.
 */
public final class UpdateRules {
  private UpdateRules() {}

  /** Plain gradient descent: {@code w -= lr * g}. */
  public static Op gradientDescent(Ops tf, Variable<TFloat32> w, Operand<TFloat32> g,
      Operand<TFloat32> lr) {
    return tf.train.applyGradientDescent(w, lr, g);
  }

  /**
   * Keras SGD with momentum: {@code m = mu * m - lr * g}, then {@code w += m}, or with Nesterov
   * {@code w += mu * m - lr * g} (using the new {@code m}).
   */
  public static Op momentum(Ops tf, Variable<TFloat32> w, Variable<TFloat32> m,
      Operand<TFloat32> g, Operand<TFloat32> lr, float mu, boolean nesterov) {
    Operand<TFloat32> step = tf.math.mul(lr, g);
    Operand<TFloat32> newM = tf.assign(m, tf.math.sub(tf.math.mul(tf.constant(mu), m), step));
    Operand<TFloat32> delta =
        nesterov ? tf.math.sub(tf.math.mul(tf.constant(mu), newM), step) : newM;
    return tf.assignAdd(w, delta);
  }

  /**
   * Keras RMSprop: {@code v = rho * v + (1 - rho) * g^2}; with {@code centered}, also
   * {@code a = rho * a + (1 - rho) * g} and {@code v - a^2} in the denominator; the step
   * {@code lr * g / sqrt(denominator + epsilon)} goes through momentum {@code mom = mu * mom + step}
   * and {@code w -= mom} (with {@code mu = 0} that is {@code w -= step}).
   *
   * @param averageGradient the centered average {@code a}, or null when not centered
   */
  public static Op rmsprop(Ops tf, Variable<TFloat32> w, Variable<TFloat32> velocity,
      Variable<TFloat32> momentum, Variable<TFloat32> averageGradient, Operand<TFloat32> g,
      Operand<TFloat32> lr, float rho, float mu, float epsilon) {
    if (averageGradient == null) {
      return tf.train.applyRmsProp(w, velocity, momentum, lr, tf.constant(rho), tf.constant(mu),
          tf.constant(epsilon), g);
    }
    return tf.train.applyCenteredRmsProp(w, averageGradient, velocity, momentum, lr,
        tf.constant(rho), tf.constant(mu), tf.constant(epsilon), g);
  }

  /**
   * Keras Adam at step {@code t = iterations + 1}: {@code m += (g - m)(1 - b1)},
   * {@code v += (g^2 - v)(1 - b2)}, {@code w -= lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)}.
   *
   * @param step {@code t} as a float scalar
   */
  public static Op adam(Ops tf, Variable<TFloat32> w, Variable<TFloat32> m, Variable<TFloat32> v,
      Operand<TFloat32> g, Operand<TFloat32> lr, Operand<TFloat32> step, float beta1, float beta2,
      float epsilon) {
    Operand<TFloat32> b1 = tf.constant(beta1);
    Operand<TFloat32> b2 = tf.constant(beta2);
    return tf.train.applyAdam(w, m, v, tf.math.pow(b1, step), tf.math.pow(b2, step), lr, b1, b2,
        tf.constant(epsilon), g, ApplyAdam.useLocking(false));
  }

  /**
   * Keras Adam with {@code amsgrad=True}: as {@link #adam} but the denominator uses the running
   * maximum {@code vHat = max(vHat, v)}.
   */
  public static Op amsgrad(Ops tf, Variable<TFloat32> w, Variable<TFloat32> m,
      Variable<TFloat32> v, Variable<TFloat32> vHat, Operand<TFloat32> g, Operand<TFloat32> lr,
      Operand<TFloat32> step, float beta1, float beta2, float epsilon) {
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> alpha = tf.math.div(
        tf.math.mul(lr, tf.math.sqrt(tf.math.sub(one, tf.math.pow(tf.constant(beta2), step)))),
        tf.math.sub(one, tf.math.pow(tf.constant(beta1), step)));
    Operand<TFloat32> newM = tf.assignAdd(m,
        tf.math.mul(tf.math.sub(g, m), tf.constant(1f - beta1)));
    Operand<TFloat32> newV = tf.assignAdd(v,
        tf.math.mul(tf.math.sub(tf.math.square(g), v), tf.constant(1f - beta2)));
    Operand<TFloat32> newVHat = tf.assign(vHat, tf.math.maximum(vHat, newV));
    return tf.assignSub(w, tf.math.div(tf.math.mul(alpha, newM),
        tf.math.add(tf.math.sqrt(newVHat), tf.constant(epsilon))));
  }
}
