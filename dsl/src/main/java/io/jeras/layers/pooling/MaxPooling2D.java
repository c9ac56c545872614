package io.jeras.layers.pooling;

import io.jeras.layers.CallContext;
import io.jeras.layers.LayerOptions;
import io.jeras.layers.Padding;
import io.jeras.layers.Size2D;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code MaxPooling2D}: the maximum over each window. Defaults: pool (2, 2), strides equal
 * to the pool size, padding {@code valid}.
 *
 * <pre>{@code
 * MaxPooling2D.of(2, 2)
 * }</pre>
 */
public final class MaxPooling2D extends Pooling2D<MaxPooling2D> {

  private MaxPooling2D(LayerOptions options, Size2D poolSize, Size2D strides, Padding padding) {
    super(options, poolSize, strides, padding);
  }

  /** Keras' defaults: a 2x2 window. */
  public static MaxPooling2D of() {
    return of(2, 2);
  }

  public static MaxPooling2D of(int poolSize) {
    return of(poolSize, poolSize);
  }

  public static MaxPooling2D of(int poolHeight, int poolWidth) {
    return new MaxPooling2D(null, Size2D.of(poolHeight, poolWidth), null, Padding.VALID);
  }

  @Override
  protected MaxPooling2D with(LayerOptions options, Size2D poolSize, Size2D strides,
      Padding padding) {
    return new MaxPooling2D(options, poolSize, strides, padding);
  }

  @Override
  protected Operand<TFloat32> pool(CallContext context, Operand<TFloat32> input,
      List<Long> ksize, List<Long> strides) {
    var tf = context.tf();
    return tf.nn.maxPool(input, tf.constant(ksize.stream().mapToInt(Long::intValue).toArray()),
        tf.constant(strides.stream().mapToInt(Long::intValue).toArray()), padding.tfName());
  }
}
