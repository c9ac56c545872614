package io.jeras.layers.pooling;

import io.jeras.layers.CallContext;
import io.jeras.layers.LayerOptions;
import io.jeras.layers.Padding;
import io.jeras.layers.Size2D;
import java.util.List;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code AveragePooling2D}: the mean over each window (with {@code same} padding, the
 * mean of the pixels inside the image only). Defaults: pool (2, 2), strides equal to the pool
 * size, padding {@code valid}.
 *
 * <pre>{@code
 * AveragePooling2D.of(2, 2)
 * }</pre>
 */
public final class AveragePooling2D extends Pooling2D<AveragePooling2D> {

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private AveragePooling2D(LayerOptions options, Size2D poolSize, Size2D strides,
      Padding padding) {
    super(options, poolSize, strides, padding);
  }

  /** Keras' defaults: a 2x2 window. */
  public static AveragePooling2D of() {
    return of(2, 2);
  }

  public static AveragePooling2D of(int poolSize) {
    return of(poolSize, poolSize);
  }

  public static AveragePooling2D of(int poolHeight, int poolWidth) {
    return new AveragePooling2D(null, Size2D.of(poolHeight, poolWidth), null, Padding.VALID);
  }

  @Override
  protected AveragePooling2D with(LayerOptions options, Size2D poolSize, Size2D strides,
      Padding padding) {
    return toBuilder().options(options).poolSize(poolSize).strides(strides).padding(padding)
        .build();
  }

  @Override
  protected Operand<TFloat32> pool(CallContext context, Operand<TFloat32> input,
      List<Long> ksize, List<Long> strides) {
    return context.tf().nn.avgPool(input, ksize, strides, padding.tfName());
  }
}
