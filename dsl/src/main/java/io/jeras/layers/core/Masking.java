package io.jeras.layers.core;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Any;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Masking}: a step whose features all equal {@code maskValue} (default 0) is
 * padding: it is zeroed and masked out for the layers after it (recurrent layers skip it).
 *
 * <pre>{@code
 * Masking.of(0)
 * }</pre>
 */
public final class Masking extends Layer<Masking> {
  private final double maskValue;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Masking(LayerOptions options, double maskValue) {
    super(options);
    this.maskValue = maskValue;
  }

  /** Keras' default: steps of zeros are padding. */
  public static Masking of() {
    return of(0);
  }

  public static Masking of(double maskValue) {
    return new Masking(null, maskValue);
  }

  public double maskValue() {
    return maskValue;
  }

  @Override
  protected Masking withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    return input;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    Ops tf = context.tf();
    Operand<TBool> kept = tf.any(tf.math.notEqual(input, tf.constant((float) maskValue)),
        tf.constant(-1), Any.keepDims(true));
    context.setOutputMask(tf.squeeze(kept, org.tensorflow.op.core.Squeeze.axis(
        java.util.List.of(-1L))));
    return tf.math.mul(input, tf.dtypes.cast(kept, TFloat32.class));
  }
}
