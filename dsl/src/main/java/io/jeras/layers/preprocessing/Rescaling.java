package io.jeras.layers.preprocessing;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Rescaling}: {@code x * scale + offset}, typically {@code 1/255} to bring pixel
 * values into [0, 1] inside the model. No weights.
 *
 * <pre>{@code
 * Rescaling.of(1 / 255.0)
 * Rescaling.of(1 / 127.5, -1)      // to [-1, 1]
 * }</pre>
 */
public final class Rescaling extends Layer<Rescaling> {
  private final double scale;
  private final double offset;

  private Rescaling(LayerOptions options, double scale, double offset) {
    super(options);
    this.scale = scale;
    this.offset = offset;
  }

  public static Rescaling of(double scale) {
    return of(scale, 0);
  }

  public static Rescaling of(double scale, double offset) {
    return new Rescaling(null, scale, offset);
  }

  public double scale() {
    return scale;
  }

  public double offset() {
    return offset;
  }

  @Override
  protected Rescaling withOptions(LayerOptions options) {
    return new Rescaling(options, scale, offset);
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    return input;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    Ops tf = context.tf();
    Operand<TFloat32> scaled = tf.math.mul(input, tf.constant((float) scale));
    return offset == 0 ? scaled : tf.math.add(scaled, tf.constant((float) offset));
  }
}
