package io.jeras.layers.pooling;

import io.jeras.layers.CallContext;
import io.jeras.layers.LayerOptions;
import io.jeras.layers.Padding;
import io.jeras.layers.Size2D;
import java.util.List;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.Output;
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

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
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
    return toBuilder().options(options).poolSize(poolSize).strides(strides).padding(padding)
        .build();
  }

  @Override
  protected Operand<TFloat32> pool(CallContext context, Operand<TFloat32> input,
      List<Long> ksize, List<Long> strides) {
    // TensorFlow's MaxPool with the window as attributes, not MaxPoolV2 (window as tensors,
    // TensorFlow Java's tf.nn.maxPool): only the former is rewritten to oneDNN's kernels on CPU,
    // and the plain MaxPoolGradV2 kernel took 5x the time of oneDNN's MaxPoolGrad (StepProfile).
    Output<TFloat32> pooled = context.tf().scope().opBuilder("MaxPool", "MaxPool")
        .addInput(input.asOutput())
        .setAttr("ksize", ksize.stream().mapToLong(Long::longValue).toArray())
        .setAttr("strides", strides.stream().mapToLong(Long::longValue).toArray())
        .setAttr("padding", padding.tfName())
        .build().output(0);
    return pooled;
  }
}
