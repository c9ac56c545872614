package io.jeras.losses;

import static com.google.common.base.Preconditions.checkArgument;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Huber}: per element {@code 0.5 x^2} where {@code |x| <= delta}, else
 * {@code delta |x| - 0.5 delta^2} with {@code x = y_pred - y_true}; mean over the last axis.
 * Keras' default delta is 1.0.
 */
public final class Huber implements Loss {
  public static final float DEFAULT_DELTA = 1.0f;

  private final float delta;

  private Huber(float delta) {
    checkArgument(delta > 0, "Argument `delta` must be positive. Received: delta=%s", delta);
    this.delta = delta;
  }

  public static Huber defaults() {
    return new Huber(DEFAULT_DELTA);
  }

  public static Huber delta(double delta) {
    return new Huber((float) delta);
  }

  public float delta() {
    return delta;
  }

  @Override
  public String name() {
    return "huber_loss";
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred) {
    Operand<TFloat32> error = tf.math.abs(tf.math.sub(yPred.values(), yTrue));
    Operand<TFloat32> d = tf.constant(delta);
    Operand<TFloat32> half = tf.constant(0.5f);
    Operand<TFloat32> quadratic = tf.math.mul(half, tf.math.square(error));
    Operand<TFloat32> linear = tf.math.sub(tf.math.mul(d, error), tf.math.mul(half,
        tf.math.mul(d, d)));
    return Losses.meanLastAxis(tf, tf.select(tf.math.lessEqual(error, d), quadratic, linear));
  }
}
