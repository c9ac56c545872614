package io.jeras.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Keras' {@code Poisson}: {@code mean(p - y log(p + 1e-7))} over the last axis. */
public final class Poisson implements Loss {

  @Override
  public String name() {
    return "poisson";
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred) {
    Operand<TFloat32> p = yPred.values();
    return Losses.meanLastAxis(tf, tf.math.sub(p,
        tf.math.mul(yTrue, tf.math.log(tf.math.add(p, tf.constant(Losses.EPSILON))))));
  }
}
