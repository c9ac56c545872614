package io.jeras.regularizers;

import static com.google.common.base.Preconditions.checkArgument;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code L1}, {@code L2} and {@code L1L2}: {@code l1 * sum(|w|) + l2 * sum(w^2)} (no
 * factor 1/2 on the square, as in Keras).
 *
 * <pre>{@code
 * Dense.of(64).kernelRegularizer(Regularizers.l2(0.001))
 * }</pre>
 */
public record L1L2(float l1, float l2) implements Regularizer {

  public L1L2 {
    checkArgument(l1 >= 0 && Float.isFinite(l1),
        "Value for argument `l1` should be a non-negative float. Received: l1=%s", l1);
    checkArgument(l2 >= 0 && Float.isFinite(l2),
        "Value for argument `l2` should be a non-negative float. Received: l2=%s", l2);
  }

  @Override
  public Operand<TFloat32> penalty(Ops tf, Operand<TFloat32> w) {
    Operand<TFloat32> penalty = null;
    if (l1 > 0) {
      penalty = tf.math.mul(tf.constant(l1), tf.reduceSum(tf.math.abs(w), allAxes(tf, w)));
    }
    if (l2 > 0) {
      Operand<TFloat32> square =
          tf.math.mul(tf.constant(l2), tf.reduceSum(tf.math.square(w), allAxes(tf, w)));
      penalty = penalty == null ? square : tf.math.add(penalty, square);
    }
    return penalty == null ? tf.constant(0f) : penalty;
  }

  private static Operand<org.tensorflow.types.TInt32> allAxes(Ops tf, Operand<TFloat32> w) {
    return io.jeras.utils.Reductions.allAxes(tf, w);
  }
}
