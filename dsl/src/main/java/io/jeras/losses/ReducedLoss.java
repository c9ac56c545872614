package io.jeras.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** A loss with a reduction other than Keras' default ({@link Loss#withReduction}). */
record ReducedLoss(Loss loss, Reduction reduction) implements Loss {
  @Override
  public String name() {
    return loss.name();
  }

  @Override
  public Labels labels() {
    return loss.labels();
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred) {
    return loss.call(tf, yTrue, yPred);
  }

  @Override
  public Loss withReduction(Reduction reduction) {
    return reduction == Reduction.SUM_OVER_BATCH_SIZE ? loss : new ReducedLoss(loss, reduction);
  }
}
