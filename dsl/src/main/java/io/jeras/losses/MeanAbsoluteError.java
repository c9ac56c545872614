package io.jeras.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Keras' {@code MeanAbsoluteError}: {@code mean(|y_pred - y_true|)} over the last axis. */
public final class MeanAbsoluteError implements Loss {

  @Override
  public String name() {
    return "mean_absolute_error";
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred) {
    return Losses.meanLastAxis(tf, tf.math.abs(tf.math.sub(yPred.values(), yTrue)));
  }
}
