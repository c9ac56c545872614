package io.jeras.layers.reshaping;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code ZeroPadding1D}: zero steps added before and after a {@code (batch, steps,
 * features)} sequence (default 1 each side).
 *
 * <pre>{@code
 * ZeroPadding1D.of(2, 0)
 * }</pre>
 */
public final class ZeroPadding1D extends Layer<ZeroPadding1D> {
  private final int left;
  private final int right;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private ZeroPadding1D(LayerOptions options, int left, int right) {
    super(options);
    this.left = left;
    this.right = right;
  }

  /** Keras' default: one zero step each side. */
  public static ZeroPadding1D of() {
    return of(1);
  }

  /** {@code padding} zero steps each side. */
  public static ZeroPadding1D of(int padding) {
    return of(padding, padding);
  }

  /** {@code left} zero steps before, {@code right} after. */
  public static ZeroPadding1D of(int left, int right) {
    checkArgument(left >= 0 && right >= 0, "padding must not be negative, got (%s, %s)", left,
        right);
    return new ZeroPadding1D(null, left, right);
  }

  public int left() {
    return left;
  }

  public int right() {
    return right;
  }

  @Override
  protected ZeroPadding1D withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() == 3, "ZeroPadding1D expects 3-D input (batch, steps,"
        + " features), got rank %s", input.numDimensions());
    return Shape.of(input.get(0), input.get(1) < 0 ? -1 : input.get(1) + left + right,
        input.get(2));
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    var tf = context.tf();
    return tf.pad(input, tf.constant(new int[][] {{0, 0}, {left, right}, {0, 0}}),
        tf.constant(0f));
  }
}
