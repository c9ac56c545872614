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
 * Keras' {@code RepeatVector}: a {@code (batch, features)} vector repeated {@code n} times into
 * a {@code (batch, n, features)} sequence (an encoder's summary fed to every step of a decoder).
 *
 * <pre>{@code
 * RepeatVector.of(10)
 * }</pre>
 */
public final class RepeatVector extends Layer<RepeatVector> {
  private final int n;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private RepeatVector(LayerOptions options, int n) {
    super(options);
    this.n = n;
  }

  public static RepeatVector of(int n) {
    checkArgument(n > 0, "RepeatVector needs n > 0, got %s", n);
    return new RepeatVector(null, n);
  }

  public int n() {
    return n;
  }

  @Override
  protected RepeatVector withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() == 2, "RepeatVector expects 2-D input (batch,"
        + " features), got rank %s", input.numDimensions());
    return Shape.of(input.get(0), n, input.get(1));
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    var tf = context.tf();
    return tf.tile(tf.expandDims(input, tf.constant(1)), tf.constant(new int[] {1, n, 1}));
  }
}
