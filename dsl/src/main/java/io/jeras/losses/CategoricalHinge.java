package io.jeras.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code CategoricalHinge} for one-hot (or -1/1) labels: {@code max(neg - pos + 1, 0)}
 * where {@code pos = sum(y p)} and {@code neg = max((1 - y) p)} over the last axis.
 */
public final class CategoricalHinge implements Loss {

  @Override
  public String name() {
    return "categorical_hinge";
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred) {
    Operand<TFloat32> p = yPred.values();
    Operand<TFloat32> pos = Losses.sumLastAxis(tf, tf.math.mul(yTrue, p));
    Operand<TFloat32> neg = tf.max(tf.math.mul(tf.math.sub(tf.constant(1f), yTrue), p),
        tf.constant(-1));
    return tf.math.maximum(tf.math.add(tf.math.sub(neg, pos), tf.constant(1f)),
        tf.constant(0f));
  }
}
