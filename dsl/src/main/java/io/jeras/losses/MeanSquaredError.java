package io.jeras.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Keras' {@code MeanSquaredError}: {@code mean((y_pred - y_true)^2)} over the last axis. */
public final class MeanSquaredError implements Loss {

  @Override
  public String name() {
    return "mean_squared_error";
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred) {
    return Losses.meanLastAxis(tf, tf.math.squaredDifference(yPred.values(), yTrue));
  }
}
