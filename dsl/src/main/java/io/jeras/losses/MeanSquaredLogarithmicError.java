package io.jeras.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code MeanSquaredLogarithmicError}:
 * {@code mean((log(max(p, 1e-7) + 1) - log(max(y, 1e-7) + 1))^2)} over the last axis.
 */
public final class MeanSquaredLogarithmicError implements Loss {

  @Override
  public String name() {
    return "mean_squared_logarithmic_error";
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred) {
    Operand<TFloat32> eps = tf.constant(Losses.EPSILON);
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> first = tf.math.log(tf.math.add(tf.math.maximum(yPred.values(), eps), one));
    Operand<TFloat32> second = tf.math.log(tf.math.add(tf.math.maximum(yTrue, eps), one));
    return Losses.meanLastAxis(tf, tf.math.squaredDifference(first, second));
  }
}
