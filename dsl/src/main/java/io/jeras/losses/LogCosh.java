package io.jeras.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code LogCosh}: {@code mean(log(cosh(x)))} over the last axis with
 * {@code x = p - y}, computed as Keras does, {@code x + softplus(-2 x) - log 2}, which does not
 * overflow.
 */
public final class LogCosh implements Loss {

  @Override
  public String name() {
    return "log_cosh";
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred) {
    Operand<TFloat32> x = tf.math.sub(yPred.values(), yTrue);
    Operand<TFloat32> logCosh = tf.math.sub(
        tf.math.add(x, tf.math.softplus(tf.math.mul(x, tf.constant(-2f)))),
        tf.constant((float) Math.log(2)));
    return Losses.meanLastAxis(tf, logCosh);
  }
}
