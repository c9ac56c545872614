package io.jeras.layers.pooling;

import io.jeras.layers.LayerOptions;
import io.jeras.layers.Padding;
import java.util.Arrays;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code AveragePooling1D}: the mean over windows of {@code poolSize} steps (default 2,
 * strides the window, {@code valid}; with {@code same}, windows at the ends average only the
 * steps they cover, as TensorFlow does).
 *
 * <pre>{@code
 * AveragePooling1D.of(3).strides(1).padding("same")
 * }</pre>
 */
public final class AveragePooling1D extends Pooling1D<AveragePooling1D> {

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private AveragePooling1D(LayerOptions options, int poolSize, Integer strides,
      Padding padding) {
    super(options, poolSize, strides, padding);
  }

  /** Keras' defaults: a window of 2 steps. */
  public static AveragePooling1D of() {
    return of(2);
  }

  public static AveragePooling1D of(int poolSize) {
    return new AveragePooling1D(null, poolSize, null, Padding.VALID);
  }

  @Override
  protected AveragePooling1D with(LayerOptions options, int poolSize, Integer strides,
      Padding padding) {
    return toBuilder().options(options).poolSize(poolSize).strides(strides).padding(padding)
        .build();
  }

  @Override
  protected Operand<TFloat32> pool(Ops tf, Operand<TFloat32> input, long[] ksize,
      long[] strides) {
    return tf.nn.avgPool(input, Arrays.stream(ksize).boxed().toList(),
        Arrays.stream(strides).boxed().toList(), padding.tfName());
  }
}
