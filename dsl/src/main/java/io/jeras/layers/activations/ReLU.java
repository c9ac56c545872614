package io.jeras.layers.activations;

import static com.google.common.base.Preconditions.checkArgument;

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
 * Keras' {@code ReLU} layer: {@code x} for {@code x >= threshold}, {@code negativeSlope * (x -
 * threshold)} below, clipped at {@code maxValue} (none by default). With the defaults it is
 * {@code max(x, 0)}; with {@code maxValue(6)} it is MobileNet's ReLU6. Computed as Keras
 * computes it, so the thresholded and clipped forms match to the last bit. No weights.
 *
 * <pre>{@code
 * ReLU.of().maxValue(6)
 * }</pre>
 */
public final class ReLU extends Layer<ReLU> {
  private final Double maxValue;
  private final double negativeSlope;
  private final double threshold;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private ReLU(LayerOptions options, Double maxValue, double negativeSlope, double threshold) {
    super(options);
    checkArgument(maxValue == null || maxValue >= 0, "max_value of a ReLU layer cannot be"
        + " negative. Received: max_value=%s", maxValue);
    checkArgument(negativeSlope >= 0, "negative_slope of a ReLU layer cannot be negative."
        + " Received: negative_slope=%s", negativeSlope);
    this.maxValue = maxValue;
    this.negativeSlope = negativeSlope;
    this.threshold = threshold;
  }

  public static ReLU of() {
    return new ReLU(null, null, 0, 0);
  }

  /** The largest output (null for none). */
  public Double maxValue() {
    return maxValue;
  }

  public ReLU maxValue(double maxValue) {
    return toBuilder().maxValue(maxValue).build();
  }

  public double negativeSlope() {
    return negativeSlope;
  }

  public ReLU negativeSlope(double negativeSlope) {
    return toBuilder().negativeSlope(negativeSlope).build();
  }

  public double threshold() {
    return threshold;
  }

  public ReLU threshold(double threshold) {
    return toBuilder().threshold(threshold).build();
  }

  /** Keras' {@code supports_masking}: the input's mask passes on. */
  @Override
  public boolean propagatesMask() {
    return true;
  }

  @Override
  protected ReLU withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    return input;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    Ops tf = context.tf();
    Operand<TFloat32> negativePart = null;
    if (negativeSlope != 0) {
      if (maxValue == null && threshold == 0) {
        return tf.nn.leakyRelu(input, org.tensorflow.op.nn.LeakyRelu.alpha((float) negativeSlope));
      }
      negativePart = tf.nn.relu(threshold != 0
          ? tf.math.add(tf.math.neg(input), tf.constant((float) threshold)) : tf.math.neg(input));
    }
    boolean clip = maxValue != null;
    Operand<TFloat32> x;
    if (threshold != 0) {
      x = tf.math.mul(input, tf.dtypes.cast(
          tf.math.greater(input, tf.constant((float) threshold)), TFloat32.class));
    } else if (maxValue != null && maxValue == 6) {
      x = tf.nn.relu6(input);
      clip = false;
    } else {
      x = tf.nn.relu(input);
    }
    if (clip) {
      x = tf.clipByValue(x, tf.constant(0f), tf.constant(maxValue.floatValue()));
    }
    if (negativePart != null) {
      x = tf.math.sub(x, tf.math.mul(tf.constant((float) negativeSlope), negativePart));
    }
    return x;
  }
}
