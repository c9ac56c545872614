package io.jeras.bridge;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One optimizer step for one variable, as TensorFlow ops, following Keras' update rules exactly.
 *
 * <p>Where TensorFlow has a fused kernel with the same arithmetic ({@code ApplyGradientDescent},
 * {@code ApplyRMSProp}, {@code ApplyCenteredRMSProp}), it is used; SGD with
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
      Operand<TFloat32> g, Operand<TFloat32> lr, double momentum, boolean nesterov) {
    float mu = (float) momentum;
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
   * @param momentum the momentum slot, or null without momentum (Keras then has none)
   * @param averageGradient the centered average {@code a}, or null when not centered
   */
  public static Op rmsprop(Ops tf, Variable<TFloat32> w, Variable<TFloat32> velocity,
      Variable<TFloat32> momentum, Variable<TFloat32> averageGradient, Operand<TFloat32> g,
      Operand<TFloat32> lr, double rhoValue, double muValue, double epsilonValue) {
    float rho = (float) rhoValue;
    float mu = (float) muValue;
    float epsilon = (float) epsilonValue;
    if (momentum == null) {
      // Keras keeps no momentum slot without momentum: w -= lr g / sqrt(denominator + eps)
      Operand<TFloat32> r = tf.constant(rho);
      Operand<TFloat32> oneMinusR = tf.constant(1f - rho);
      Operand<TFloat32> v = tf.assign(velocity,
          tf.math.add(tf.math.mul(r, velocity), tf.math.mul(oneMinusR, tf.math.square(g))));
      Operand<TFloat32> denominator = v;
      if (averageGradient != null) {
        Operand<TFloat32> a = tf.assign(averageGradient,
            tf.math.add(tf.math.mul(r, averageGradient), tf.math.mul(oneMinusR, g)));
        denominator = tf.math.sub(v, tf.math.square(a));
      }
      return tf.assignSub(w, tf.math.div(tf.math.mul(lr, g),
          tf.math.sqrt(tf.math.add(denominator, tf.constant(epsilon)))));
    }
    if (averageGradient == null) {
      return tf.train.applyRmsProp(w, velocity, momentum, lr, tf.constant(rho), tf.constant(mu),
          tf.constant(epsilon), g);
    }
    return tf.train.applyCenteredRmsProp(w, averageGradient, velocity, momentum, lr,
        tf.constant(rho), tf.constant(mu), tf.constant(epsilon), g);
  }

  /**
   * Keras Adam at step {@code t = iterations + 1}: {@code m += (g - m)(1 - b1)},
   * {@code v += (g^2 - v)(1 - b2)}, {@code w -= m lr sqrt(1 - b2^t) / (1 - b1^t) / (sqrt(v) + eps)}.
   * Written out rather than TensorFlow's {@code ApplyAdam}, which computes {@code 1 - b2} in
   * float32 where Keras computes it in double ({@code 1 - 0.999f} is 1.3e-5 off
   * {@code 0.001f}), and so drifts from Keras by that much relatively.
   *
   * @param step {@code t} as a float scalar
   */
  public static Op adam(Ops tf, Variable<TFloat32> w, Variable<TFloat32> m, Variable<TFloat32> v,
      Operand<TFloat32> g, Operand<TFloat32> lr, Operand<TFloat32> step, double beta1,
      double beta2, double epsilon) {
    return amsgrad(tf, w, m, v, null, g, lr, step, beta1, beta2, epsilon);
  }

  /**
   * Keras Adam with {@code amsgrad=True}: as {@link #adam} but the denominator uses the running
   * maximum {@code vHat = max(vHat, v)}.
   *
   * @param vHat the running maximum, or null for plain Adam
   */
  public static Op amsgrad(Ops tf, Variable<TFloat32> w, Variable<TFloat32> m,
      Variable<TFloat32> v, Variable<TFloat32> vHat, Operand<TFloat32> g, Operand<TFloat32> lr,
      Operand<TFloat32> step, double beta1, double beta2, double epsilon) {
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> alpha = tf.math.div(
        tf.math.mul(lr, tf.math.sqrt(tf.math.sub(one,
            tf.math.pow(tf.constant((float) beta2), step)))),
        tf.math.sub(one, tf.math.pow(tf.constant((float) beta1), step)));
    Operand<TFloat32> newM = tf.assignAdd(m,
        tf.math.mul(tf.math.sub(g, m), tf.constant((float) (1 - beta1))));
    Operand<TFloat32> newV = tf.assignAdd(v,
        tf.math.mul(tf.math.sub(tf.math.square(g), v), tf.constant((float) (1 - beta2))));
    Operand<TFloat32> denominatorV = vHat == null ? newV
        : tf.assign(vHat, tf.math.maximum(vHat, newV));
    return tf.assignSub(w, tf.math.div(tf.math.mul(newM, alpha),
        tf.math.add(tf.math.sqrt(denominatorV), tf.constant((float) epsilon))));
  }

  /**
   * Keras' {@code clipnorm} for one gradient ({@code tf.clip_by_norm}):
   * {@code g * clipnorm / max(||g||, clipnorm)}, with the norm of an all-zero gradient 0.
   */
  public static Operand<TFloat32> clipByNorm(Ops tf, Operand<TFloat32> g, float clipnorm) {
    Operand<TFloat32> l2sum = tf.reduceSum(tf.math.square(g), allAxes(tf, g),
        org.tensorflow.op.core.ReduceSum.keepDims(true));
    Operand<TBool> positive = tf.math.greater(l2sum, tf.constant(0f));
    Operand<TFloat32> safe = tf.select(positive, l2sum, tf.onesLike(l2sum));
    Operand<TFloat32> norm = tf.select(positive, tf.math.sqrt(safe), l2sum);
    Operand<TFloat32> limit = tf.constant(clipnorm);
    return tf.math.div(tf.math.mul(g, limit), tf.math.maximum(norm, limit));
  }

  /**
   * Keras' {@code clip_by_global_norm}: every gradient times {@code clip * min(1 / norm,
   * 1 / clip)}, where {@code norm} is the L2 norm of all of them together; plus {@code norm -
   * norm}, so that a non-finite norm makes every gradient NaN.
   */
  public static List<Operand<TFloat32>> clipByGlobalNorm(Ops tf,
      List<? extends Operand<TFloat32>> gradients, float clipnorm) {
    List<Operand<TFloat32>> squares = new ArrayList<>();
    for (Operand<TFloat32> g : gradients) {
      squares.add(tf.reduceSum(tf.math.square(g), allAxes(tf, g)));
    }
    Operand<TFloat32> norm = tf.math.sqrt(tf.reduceSum(tf.stack(squares), tf.constant(0)));
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> scale = tf.math.add(
        tf.math.mul(tf.constant(clipnorm), tf.math.minimum(tf.math.div(one, norm),
            tf.constant(1f / clipnorm))),
        tf.math.sub(norm, norm));
    List<Operand<TFloat32>> clipped = new ArrayList<>();
    for (Operand<TFloat32> g : gradients) {
      clipped.add(tf.math.mul(g, scale));
    }
    return clipped;
  }

  private static Operand<TInt32> allAxes(Ops tf, Operand<TFloat32> x) {
    return tf.range(tf.constant(0), tf.rank(x), tf.constant(1));
  }

  /** Keras' decoupled weight decay: {@code w -= w * decay * lr}. */
  public static Op weightDecay(Ops tf, Variable<TFloat32> w, Operand<TFloat32> lr, float decay) {
    return tf.assignSub(w, tf.math.mul(tf.math.mul(w, tf.constant(decay)), lr));
  }

  /**
   * Keras Nadam at step {@code t}: with {@code u_t = b1 (1 - 0.5 * 0.96^t)}, {@code u_t1} the
   * same at {@code t + 1} and {@code uProduct} the running product of the {@code u} up to
   * {@code t} (this step's value): {@code m += (g - m)(1 - b1)},
   * {@code v += (g^2 - v)(1 - b2)}, {@code mHat = u_t1 m / (1 - uProduct u_t1)
   * + (1 - u_t) g / (1 - uProduct)}, {@code vHat = v / (1 - b2^t)},
   * {@code w -= lr mHat / (sqrt(vHat) + eps)}.
   */
  public static Op nadam(Ops tf, Variable<TFloat32> w, Variable<TFloat32> m,
      Variable<TFloat32> v, Operand<TFloat32> g, Operand<TFloat32> lr, Operand<TFloat32> step,
      Operand<TFloat32> uProduct, double beta1Value, double beta2Value, double epsilon) {
    // Keras' Nadam casts its hyperparameters to float32 first, then computes 1 - beta there
    float beta1 = (float) beta1Value;
    float beta2 = (float) beta2Value;
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> b1 = tf.constant(beta1);
    Operand<TFloat32> uT = nadamU(tf, b1, step);
    Operand<TFloat32> uT1 = nadamU(tf, b1, tf.math.add(step, one));
    Operand<TFloat32> uProductT1 = tf.math.mul(uProduct, uT1);
    Operand<TFloat32> newM = tf.assignAdd(m,
        tf.math.mul(tf.math.sub(g, m), tf.constant(1f - beta1)));
    Operand<TFloat32> newV = tf.assignAdd(v,
        tf.math.mul(tf.math.sub(tf.math.square(g), v), tf.constant(1f - beta2)));
    Operand<TFloat32> mHat = tf.math.add(
        tf.math.div(tf.math.mul(uT1, newM), tf.math.sub(one, uProductT1)),
        tf.math.div(tf.math.mul(tf.math.sub(one, uT), g), tf.math.sub(one, uProduct)));
    Operand<TFloat32> vHat = tf.math.div(newV,
        tf.math.sub(one, tf.math.pow(tf.constant(beta2), step)));
    return tf.assignSub(w, tf.math.div(tf.math.mul(mHat, lr),
        tf.math.add(tf.math.sqrt(vHat), tf.constant((float) epsilon))));
  }

  /** Nadam's momentum schedule {@code u_t = b1 (1 - 0.5 * 0.96^t)}. */
  public static Operand<TFloat32> nadamU(Ops tf, Operand<TFloat32> beta1,
      Operand<TFloat32> step) {
    return tf.math.mul(beta1, tf.math.sub(tf.constant(1f),
        tf.math.mul(tf.constant(0.5f), tf.math.pow(tf.constant(0.96f), step))));
  }

  /**
   * Keras Adamax at step {@code t}: {@code m += (g - m)(1 - b1)},
   * {@code u = max(b2 u, |g|)}, {@code w -= lr m / ((1 - b1^t)(u + eps))}.
   */
  public static Op adamax(Ops tf, Variable<TFloat32> w, Variable<TFloat32> m,
      Variable<TFloat32> u, Operand<TFloat32> g, Operand<TFloat32> lr, Operand<TFloat32> step,
      double beta1, double beta2, double epsilon) {
    Operand<TFloat32> b1Power = tf.math.pow(tf.constant((float) beta1), step);
    Operand<TFloat32> newM = tf.assignAdd(m,
        tf.math.mul(tf.math.sub(g, m), tf.constant((float) (1 - beta1))));
    Operand<TFloat32> newU = tf.assign(u,
        tf.math.maximum(tf.math.mul(tf.constant((float) beta2), u), tf.math.abs(g)));
    return tf.assignSub(w, tf.math.div(tf.math.mul(lr, newM),
        tf.math.mul(tf.math.sub(tf.constant(1f), b1Power),
            tf.math.add(newU, tf.constant((float) epsilon)))));
  }

  /** Keras Adagrad: {@code acc += g^2}, {@code w -= lr g / sqrt(acc + eps)}. */
  public static Op adagrad(Ops tf, Variable<TFloat32> w, Variable<TFloat32> accumulator,
      Operand<TFloat32> g, Operand<TFloat32> lr, double epsilon) {
    Operand<TFloat32> acc = tf.assignAdd(accumulator, tf.math.square(g));
    return tf.assignSub(w, tf.math.div(tf.math.mul(lr, g),
        tf.math.sqrt(tf.math.add(acc, tf.constant((float) epsilon)))));
  }

  /**
   * Keras Adadelta: {@code ag = rho ag + (1 - rho) g^2},
   * {@code d = -sqrt(ad + eps) g / sqrt(ag + eps)}, {@code ad = rho ad + (1 - rho) d^2},
   * {@code w += lr d}.
   */
  public static Op adadelta(Ops tf, Variable<TFloat32> w, Variable<TFloat32> accumulatedGrad,
      Variable<TFloat32> accumulatedDelta, Operand<TFloat32> g, Operand<TFloat32> lr, double rho,
      double epsilon) {
    Operand<TFloat32> r = tf.constant((float) rho);
    Operand<TFloat32> oneMinusR = tf.constant((float) (1 - rho));
    Operand<TFloat32> eps = tf.constant((float) epsilon);
    Operand<TFloat32> ag = tf.assign(accumulatedGrad,
        tf.math.add(tf.math.mul(r, accumulatedGrad), tf.math.mul(oneMinusR, tf.math.square(g))));
    Operand<TFloat32> oldDelta = tf.identity(accumulatedDelta);
    Operand<TFloat32> delta = tf.math.neg(tf.math.div(
        tf.math.mul(tf.math.sqrt(tf.math.add(oldDelta, eps)), g),
        tf.math.sqrt(tf.math.add(ag, eps))));
    Operand<TFloat32> ad = tf.withControlDependencies(List.of(delta)).assign(
        accumulatedDelta,
        tf.math.add(tf.math.mul(r, oldDelta), tf.math.mul(oneMinusR, tf.math.square(delta))));
    return tf.withControlDependencies(List.of(ad)).assignAdd(w, tf.math.mul(lr, delta));
  }

  /**
   * Keras Lion: {@code w -= lr sign(b1 m + (1 - b1) g)}, then {@code m = b2 m + (1 - b2) g}.
   */
  public static Op lion(Ops tf, Variable<TFloat32> w, Variable<TFloat32> m, Operand<TFloat32> g,
      Operand<TFloat32> lr, double beta1Value, double beta2Value) {
    // Keras' Lion casts its betas to float32 first, then computes 1 - beta there
    float beta1 = (float) beta1Value;
    float beta2 = (float) beta2Value;
    Operand<TFloat32> oldM = tf.identity(m);
    Operand<TFloat32> direction = tf.math.sign(tf.math.add(tf.math.mul(oldM, tf.constant(beta1)),
        tf.math.mul(g, tf.constant(1f - beta1))));
    Op newW = tf.assignSub(w, tf.math.mul(lr, direction));
    return tf.withControlDependencies(List.of(newW, direction)).assign(m,
        tf.math.add(tf.math.mul(oldM, tf.constant(beta2)), tf.math.mul(g, tf.constant(1f - beta2))));
  }

  /**
   * Keras Ftrl: with {@code p = -lrPower}, {@code l2 = l2 + beta / (2 lr)},
   * {@code n' = n + g^2}, {@code z += g + 2 l2Shrinkage w - (n'^p - n^p) / lr * w},
   * {@code w = (clip(z, -l1, l1) - z) / (n'^p / lr + 2 l2)}, {@code n = n'}.
   */
  public static Op ftrl(Ops tf, Variable<TFloat32> w, Variable<TFloat32> accumulator,
      Variable<TFloat32> linear, Operand<TFloat32> g, Operand<TFloat32> lr, double lrPower,
      double l1Value, double l2, double l2Shrinkage, double beta) {
    float l1 = (float) l1Value;
    Operand<TFloat32> p = tf.constant((float) -lrPower);
    Operand<TFloat32> l2Reg = tf.math.add(tf.constant((float) l2),
        tf.math.div(tf.constant((float) beta), tf.math.mul(tf.constant(2f), lr)));
    Operand<TFloat32> oldW = tf.identity(w);
    Operand<TFloat32> oldAcc = tf.identity(accumulator);
    Operand<TFloat32> gradToUse = tf.math.add(g,
        tf.math.mul(tf.constant((float) (2 * l2Shrinkage)), oldW));
    Operand<TFloat32> newAcc = tf.math.add(oldAcc, tf.math.square(g));
    Operand<TFloat32> newAccPower = tf.math.pow(newAcc, p);
    Operand<TFloat32> z = tf.assignAdd(linear, tf.math.sub(gradToUse, tf.math.mul(
        tf.math.div(tf.math.sub(newAccPower, tf.math.pow(oldAcc, p)), lr), oldW)));
    Operand<TFloat32> quadratic = tf.math.add(tf.math.div(newAccPower, lr),
        tf.math.mul(tf.constant(2f), l2Reg));
    Operand<TFloat32> zClipped = tf.clipByValue(z, tf.constant(-l1), tf.constant(l1));
    Op newW = tf.withControlDependencies(List.of(oldW)).assign(w,
        tf.math.div(tf.math.sub(zClipped, z), quadratic));
    return tf.withControlDependencies(List.of(newW, oldAcc)).assign(accumulator,
        newAcc);
  }
}
