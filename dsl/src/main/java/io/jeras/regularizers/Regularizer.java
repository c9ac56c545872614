package io.jeras.regularizers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A penalty on a weight that is added to the training loss, like {@code keras.regularizers}.
 */
public interface Regularizer {

  /** Emits the scalar penalty for weight {@code w}. */
  Operand<TFloat32> penalty(Ops tf, Operand<TFloat32> w);
}
