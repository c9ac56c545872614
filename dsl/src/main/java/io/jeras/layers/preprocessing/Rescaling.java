package io.jeras.layers.preprocessing;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import io.jeras.mixedprecision.Autocast;
import io.jeras.utils.Shapes;
import java.util.Arrays;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Rescaling}: {@code x * scale + offset}, typically {@code 1/255} to bring pixel
 * values into [0, 1] inside the model. No weights.
 *
 * <p>{@code scale} and {@code offset} are each one number or, as Keras allows, a list with one
 * value per channel, broadcast on the last axis (EfficientNet with ImageNet weights divides each
 * of R, G and B by its own standard deviation). A list must have as many values as the input
 * has channels (or one).
 *
 * <pre>{@code
 * Rescaling.of(1 / 255.0)
 * Rescaling.of(1 / 127.5, -1)      // to [-1, 1]
 * Rescaling.of(new double[] {1 / 0.229, 1 / 0.224, 1 / 0.225})
 * }</pre>
 */
public final class Rescaling extends Layer<Rescaling> {
  private final double[] scale;
  private final double[] offset;
  private final boolean scalarScale;
  private final boolean scalarOffset;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Rescaling(LayerOptions options, double[] scale, boolean scalarScale, double[] offset,
      boolean scalarOffset) {
    super(options);
    this.scale = scale;
    this.offset = offset;
    this.scalarScale = scalarScale;
    this.scalarOffset = scalarOffset;
  }

  /** {@code x * scale}. */
  public static Rescaling of(double scale) {
    return of(scale, 0);
  }

  /** {@code x * scale + offset}. */
  public static Rescaling of(double scale, double offset) {
    return new Rescaling(null, new double[] {scale}, true, new double[] {offset}, true);
  }

  /** {@code x * scale} with one scale per channel (the last axis). */
  public static Rescaling of(double[] scale) {
    return new Rescaling(null, list("scale", scale), false, new double[] {0}, true);
  }

  /** {@code x * scale + offset} with one scale and one offset per channel (the last axis). */
  public static Rescaling of(double[] scale, double[] offset) {
    return new Rescaling(null, list("scale", scale), false, list("offset", offset), false);
  }

  private static double[] list(String name, double[] values) {
    checkArgument(values != null && values.length > 0, "%s needs at least one value", name);
    return values.clone();
  }

  /**
   * The scale.
   *
   * @throws IllegalStateException when the scale is per channel (see {@link #scales()})
   */
  public double scale() {
    if (!scalarScale) {
      throw new IllegalStateException("the scale is per channel: " + Arrays.toString(scale));
    }
    return scale[0];
  }

  /**
   * The offset.
   *
   * @throws IllegalStateException when the offset is per channel (see {@link #offsets()})
   */
  public double offset() {
    if (!scalarOffset) {
      throw new IllegalStateException("the offset is per channel: " + Arrays.toString(offset));
    }
    return offset[0];
  }

  /** The per-channel scales, or null when the scale is one number ({@link #scale()}). */
  public double[] scales() {
    return scalarScale ? null : scale.clone();
  }

  /** The per-channel offsets, or null when the offset is one number ({@link #offset()}). */
  public double[] offsets() {
    return scalarOffset ? null : offset.clone();
  }

  /** Keras' {@code supports_masking}: the input's mask passes on. */
  @Override
  public boolean propagatesMask() {
    return true;
  }

  @Override
  protected Rescaling withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    long channels = input.numDimensions() == 0 ? 1 : Shapes.last(input);
    for (double[] values : new double[][] {scalarScale ? null : scale,
        scalarOffset ? null : offset}) {
      if (values != null) {
        checkArgument(input.numDimensions() >= 1 && (values.length == 1 || channels < 0
            || values.length == channels), "%s per-channel values %s do not match the %s channels"
            + " of the last axis", values.length, Arrays.toString(values), channels);
      }
    }
    return input;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    Ops tf = context.tf();
    Operand<TFloat32> scaled = tf.math.mul(input, constant(tf, scale, scalarScale, input));
    return scalarOffset && offset[0] == 0 ? scaled
        : tf.math.add(scaled, constant(tf, offset, scalarOffset, input));
  }

  /** The values as a constant in the input's type (float32, or a mixed policy's type). */
  private static Operand<TFloat32> constant(Ops tf, double[] values, boolean scalar,
      Operand<TFloat32> like) {
    if (scalar) {
      return Autocast.constant(tf, values[0], like);
    }
    float[] floats = new float[values.length];
    for (int i = 0; i < floats.length; i++) {
      floats[i] = (float) values[i];
    }
    return Autocast.to(tf, tf.constant(floats),
        like.type().asSubclass(org.tensorflow.types.family.TFloating.class));
  }
}
