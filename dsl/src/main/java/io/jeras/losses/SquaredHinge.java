package io.jeras.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code SquaredHinge}: {@code mean(max(1 - y p, 0)^2)} over the last axis, with the
 * labels of {@link Hinge} (0/1 labels mapped to -1/1 when the whole batch is 0 or 1).
 */
public final class SquaredHinge implements Loss {

  @Override
  public String name() {
    return "squared_hinge";
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred) {
    return Losses.meanLastAxis(tf,
        tf.math.square(Losses.hingeMargin(tf, yTrue, yPred.values())));
  }
}
