package io.jeras.layers.pooling;

import io.jeras.layers.LayerOptions;
import io.jeras.layers.Padding;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code MaxPooling1D}: the maximum over windows of {@code poolSize} steps (default 2,
 * strides the window, {@code valid}).
 *
 * <pre>{@code
 * MaxPooling1D.of(2)
 * }</pre>
 */
public final class MaxPooling1D extends Pooling1D<MaxPooling1D> {

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private MaxPooling1D(LayerOptions options, int poolSize, Integer strides, Padding padding) {
    super(options, poolSize, strides, padding);
  }

  /** Keras' defaults: a window of 2 steps. */
  public static MaxPooling1D of() {
    return of(2);
  }

  public static MaxPooling1D of(int poolSize) {
    return new MaxPooling1D(null, poolSize, null, Padding.VALID);
  }

  @Override
  protected MaxPooling1D with(LayerOptions options, int poolSize, Integer strides,
      Padding padding) {
    return toBuilder().options(options).poolSize(poolSize).strides(strides).padding(padding)
        .build();
  }

  @Override
  protected Operand<TFloat32> pool(Ops tf, Operand<TFloat32> input, long[] ksize,
      long[] strides) {
    // MaxPool with the window as attributes (oneDNN's kernel on CPU), as MaxPooling2D
    return tf.scope().opBuilder("MaxPool", "MaxPool").addInput(input.asOutput())
        .setAttr("ksize", ksize).setAttr("strides", strides)
        .setAttr("padding", padding.tfName()).build().output(0);
  }
}
