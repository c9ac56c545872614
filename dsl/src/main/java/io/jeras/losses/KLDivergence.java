package io.jeras.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code KLDivergence}: {@code sum(y log(y / p))} over the last axis, with {@code y} and
 * {@code p} clipped to {@code [1e-7, 1]}.
 */
public final class KLDivergence implements Loss {

  @Override
  public String name() {
    return "kl_divergence";
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred) {
    Operand<TFloat32> eps = tf.constant(Losses.EPSILON);
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> y = tf.clipByValue(yTrue, eps, one);
    Operand<TFloat32> p = tf.clipByValue(yPred.values(), eps, one);
    return Losses.sumLastAxis(tf, tf.math.mul(y, tf.math.log(tf.math.div(y, p))));
  }
}
