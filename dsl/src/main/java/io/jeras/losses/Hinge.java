package io.jeras.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Hinge}: {@code mean(max(1 - y p, 0))} over the last axis. Labels are expected
 * to be -1 or 1; when every label of the batch is 0 or 1, they are mapped to -1 and 1
 * ({@code 2 y - 1}), as Keras does.
 */
public final class Hinge implements Loss {

  @Override
  public String name() {
    return "hinge";
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred) {
    return Losses.meanLastAxis(tf, Losses.hingeMargin(tf, yTrue, yPred.values()));
  }
}
