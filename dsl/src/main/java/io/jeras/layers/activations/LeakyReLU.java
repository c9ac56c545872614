package io.jeras.layers.activations;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code LeakyReLU} layer: {@code x} for {@code x >= 0}, else {@code negativeSlope * x},
 * with the layer's default slope 0.3 (the {@code leaky_relu} activation function's is 0.2). No
 * weights.
 *
 * <pre>{@code
 * LeakyReLU.of()                // slope 0.3
 * LeakyReLU.of(0.1)
 * }</pre>
 */
public final class LeakyReLU extends Layer<LeakyReLU> {
  /** Keras' default {@code negative_slope} of the layer. */
  public static final double DEFAULT_NEGATIVE_SLOPE = 0.3;

  private final double negativeSlope;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private LeakyReLU(LayerOptions options, double negativeSlope) {
    super(options);
    checkArgument(negativeSlope >= 0, "The negative_slope value of a Leaky ReLU layer cannot be"
        + " None or negative. Received: negative_slope=%s", negativeSlope);
    this.negativeSlope = negativeSlope;
  }

  public static LeakyReLU of() {
    return of(DEFAULT_NEGATIVE_SLOPE);
  }

  public static LeakyReLU of(double negativeSlope) {
    return new LeakyReLU(null, negativeSlope);
  }

  public double negativeSlope() {
    return negativeSlope;
  }

  /** Keras' {@code supports_masking}: the input's mask passes on. */
  @Override
  public boolean propagatesMask() {
    return true;
  }

  @Override
  protected LeakyReLU withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    return input;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    return context.tf().nn.leakyRelu(input, LeakyRelu.alpha((float) negativeSlope));
  }
}
