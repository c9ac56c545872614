package io.jeras.layers.reshaping;

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
 * Keras' {@code UpSampling1D}: each step of {@code (batch, steps, features)} repeated {@code
 * size} times (default 2) along the steps.
 *
 * <pre>{@code
 * UpSampling1D.of(2)
 * }</pre>
 */
public final class UpSampling1D extends Layer<UpSampling1D> {
  private final int size;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private UpSampling1D(LayerOptions options, int size) {
    super(options);
    this.size = size;
  }

  /** Keras' default: each step twice. */
  public static UpSampling1D of() {
    return of(2);
  }

  public static UpSampling1D of(int size) {
    checkArgument(size > 0, "size must be positive, got %s", size);
    return new UpSampling1D(null, size);
  }

  public int size() {
    return size;
  }

  @Override
  protected UpSampling1D withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() == 3, "UpSampling1D expects 3-D input (batch, steps,"
        + " features), got rank %s", input.numDimensions());
    return Shape.of(input.get(0), input.get(1) < 0 ? -1 : input.get(1) * size, input.get(2));
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    Ops tf = context.tf();
    // (batch, steps, 1, features) tiled to (batch, steps, size, features), then merged
    Operand<TFloat32> tiled = tf.tile(tf.expandDims(input, tf.constant(2)),
        tf.constant(new int[] {1, 1, size, 1}));
    return tf.reshape(tiled, tf.constant(new long[] {-1,
        input.shape().get(1) < 0 ? -1 : input.shape().get(1) * size, input.shape().get(2)}));
  }
}
