package io.jeras.layers.reshaping;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import java.util.List;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' {@code Cropping1D}: steps removed from the start and the end of a {@code (batch, steps,
 * features)} sequence (default 1 each).
 *
 * <pre>{@code
 * Cropping1D.of(2, 1)
 * }</pre>
 */
public final class Cropping1D extends Layer<Cropping1D> {
  private final int start;
  private final int end;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Cropping1D(LayerOptions options, int start, int end) {
    super(options);
    this.start = start;
    this.end = end;
  }

  /** Keras' default: one step off each end. */
  public static Cropping1D of() {
    return of(1, 1);
  }

  /** {@code start} steps off the start, {@code end} off the end. */
  public static Cropping1D of(int start, int end) {
    checkArgument(start >= 0 && end >= 0, "cropping must not be negative, got (%s, %s)", start,
        end);
    return new Cropping1D(null, start, end);
  }

  public int start() {
    return start;
  }

  public int end() {
    return end;
  }

  @Override
  protected Cropping1D withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() == 3, "Cropping1D expects 3-D input (batch, steps,"
        + " features), got rank %s", input.numDimensions());
    long steps = input.get(1) < 0 ? -1 : input.get(1) - start - end;
    checkArgument(input.get(1) < 0 || steps > 0, "`cropping` parameter of `Cropping1D` layer"
        + " must be smaller than the input length. Received: input_shape=%s, cropping=(%s, %s)",
        input, start, end);
    return Shape.of(input.get(0), steps, input.get(2));
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    var tf = context.tf();
    // begin (0, start, 0), size (all, steps - start - end, all)
    long known = input.shape().get(1);
    Operand<TInt32> size = known > 0
        ? tf.constant(new int[] {-1, (int) known - start - end, -1})
        : tf.concat(List.of(tf.constant(new int[] {-1}), tf.reshape(tf.math.sub(
            tf.gather(tf.shape(input), tf.constant(1), tf.constant(0)),
            tf.constant(start + end)), tf.constant(new int[] {1})), tf.constant(new int[] {-1})),
            tf.constant(0));
    return tf.slice(input, tf.constant(new int[] {0, start, 0}), size);
  }
}
