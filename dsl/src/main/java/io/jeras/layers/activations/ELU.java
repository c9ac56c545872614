package io.jeras.layers.activations;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code ELU} layer: {@code x} for {@code x > 0}, else {@code alpha * (exp(x) - 1)}
 * (default alpha 1.0). No weights.
 *
 * <pre>{@code
 * ELU.of(0.5)
 * }</pre>
 */
public final class ELU extends Layer<ELU> {
  private final double alpha;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private ELU(LayerOptions options, double alpha) {
    super(options);
    this.alpha = alpha;
  }

  public static ELU of() {
    return of(1.0);
  }

  public static ELU of(double alpha) {
    return new ELU(null, alpha);
  }

  public double alpha() {
    return alpha;
  }

  /** Keras' {@code supports_masking}: the input's mask passes on. */
  @Override
  public boolean propagatesMask() {
    return true;
  }

  @Override
  protected ELU withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    return input;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    Ops tf = context.tf();
    Operand<TFloat32> elu = tf.nn.elu(input);
    if (alpha == 1.0) {
      return elu;
    }
    // elu(x) is exp(x) - 1 below zero: scale only that side.
    return tf.select(tf.math.greater(input, tf.constant(0f)), input,
        tf.math.mul(tf.constant((float) alpha), elu));
  }
}
