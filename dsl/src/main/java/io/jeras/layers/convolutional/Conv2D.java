package io.jeras.layers.convolutional;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.activations.Activations;
import io.jeras.initializers.Initializer;
import io.jeras.initializers.Initializers;
import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import io.jeras.layers.Padding;
import io.jeras.layers.Size2D;
import io.jeras.layers.WeightSpec;
import io.jeras.regularizers.Regularizer;
import io.jeras.utils.Shapes;
import java.util.ArrayList;
import java.util.List;
import lombok.AccessLevel;
import lombok.Builder;
import lombok.Getter;
import lombok.experimental.Accessors;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Conv2D}: a 2-D convolution (cross-correlation, as TensorFlow computes it) of
 * NHWC images with {@code filters} kernels, plus bias, then the activation.
 *
 * <p>Defaults as in Keras: strides 1, padding {@code valid}, dilation 1, linear activation, bias
 * used, kernel {@code glorot_uniform}, bias {@code zeros}. Output size per axis: valid
 * {@code floor((in - d(k-1) - 1) / s) + 1}, same {@code ceil(in / s)}. Parameters:
 * {@code kh * kw * cin * filters + filters}.
 *
 * <pre>{@code
 * Conv2D.of(32, 3).activation(RELU).padding(SAME).inputShape(150, 150, 3)
 * }</pre>
 */
@Getter
@Accessors(fluent = true)
public final class Conv2D extends Layer<Conv2D> {
  private final int filters;
  private final Size2D kernelSize;
  private final Size2D strides;
  private final Padding padding;
  private final Size2D dilationRate;
  private final Activations activation;
  private final boolean useBias;
  private final Initializer kernelInitializer;
  private final Initializer biasInitializer;
  private final Regularizer kernelRegularizer;
  private final Regularizer biasRegularizer;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Conv2D(LayerOptions options, int filters, Size2D kernelSize, Size2D strides,
      Padding padding, Size2D dilationRate, Activations activation, boolean useBias,
      Initializer kernelInitializer, Initializer biasInitializer, Regularizer kernelRegularizer,
      Regularizer biasRegularizer) {
    super(options);
    checkArgument(strides.height() == 1 && strides.width() == 1
            || dilationRate.height() == 1 && dilationRate.width() == 1,
        "strides > 1 not supported in conjunction with dilation_rate > 1. Received: strides=%s"
            + " and dilation_rate=%s", strides, dilationRate);
    this.filters = filters;
    this.kernelSize = kernelSize;
    this.strides = strides;
    this.padding = padding;
    this.dilationRate = dilationRate;
    this.activation = activation;
    this.useBias = useBias;
    this.kernelInitializer = kernelInitializer;
    this.biasInitializer = biasInitializer;
    this.kernelRegularizer = kernelRegularizer;
    this.biasRegularizer = biasRegularizer;
  }

  /** {@code filters} kernels of {@code kernelSize x kernelSize}. */
  public static Conv2D of(int filters, int kernelSize) {
    return of(filters, kernelSize, kernelSize);
  }

  /** {@code filters} kernels of {@code kernelHeight x kernelWidth}. */
  public static Conv2D of(int filters, int kernelHeight, int kernelWidth) {
    checkArgument(filters > 0,
        "Invalid value for argument `filters`. Expected a strictly positive value. Received"
            + " filters=%s", filters);
    return new Conv2D(null, filters, Size2D.of(kernelHeight, kernelWidth), Size2D.of(1),
        Padding.VALID, Size2D.of(1), Activations.LINEAR, true, Initializers.glorotUniform(),
        Initializers.zeros(), null, null);
  }

  public Conv2D strides(int stride) {
    return strides(stride, stride);
  }

  public Conv2D strides(int height, int width) {
    return toBuilder().strides(Size2D.of(height, width)).build();
  }

  public Conv2D padding(Padding padding) {
    return toBuilder().padding(padding).build();
  }

  public Conv2D padding(String padding) {
    return padding(Padding.of(padding));
  }

  public Conv2D dilationRate(int rate) {
    return dilationRate(rate, rate);
  }

  public Conv2D dilationRate(int height, int width) {
    return toBuilder().dilationRate(Size2D.of(height, width)).build();
  }

  public Conv2D activation(Activations activation) {
    return toBuilder().activation(activation).build();
  }

  public Conv2D activation(String activation) {
    return activation(Activations.of(activation));
  }

  public Conv2D useBias(boolean useBias) {
    return toBuilder().useBias(useBias).build();
  }

  public Conv2D kernelInitializer(Initializer initializer) {
    return toBuilder().kernelInitializer(initializer).build();
  }

  public Conv2D kernelInitializer(String initializer) {
    return kernelInitializer(Initializers.of(initializer));
  }

  public Conv2D biasInitializer(Initializer initializer) {
    return toBuilder().biasInitializer(initializer).build();
  }

  public Conv2D biasInitializer(String initializer) {
    return biasInitializer(Initializers.of(initializer));
  }

  public Conv2D kernelRegularizer(Regularizer regularizer) {
    return toBuilder().kernelRegularizer(regularizer).build();
  }

  public Conv2D biasRegularizer(Regularizer regularizer) {
    return toBuilder().biasRegularizer(regularizer).build();
  }

  @Override
  protected Conv2D withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() == 4,
        "Conv2D expects 4-D input (batch, height, width, channels), got rank %s",
        input.numDimensions());
    checkArgument(Shapes.last(input) > 0, "the number of input channels must be known");
    long height = padding.outputLength(input.get(1), kernelSize.height(), strides.height(),
        dilationRate.height());
    long width = padding.outputLength(input.get(2), kernelSize.width(), strides.width(),
        dilationRate.width());
    checkArgument(input.get(1) < 0 || height >= 1 && width >= 1,
        "kernel %sx%s (dilation %s, padding %s) is larger than the %sx%s input",
        kernelSize.height(), kernelSize.width(), dilationRate, padding.name().toLowerCase(),
        input.get(1), input.get(2));
    return Shape.of(input.get(0), height, width, filters);
  }

  @Override
  public List<WeightSpec> weights(Shape input) {
    List<WeightSpec> weights = new ArrayList<>(2);
    Shape kernel = Shape.of(kernelSize.height(), kernelSize.width(), Shapes.last(input), filters);
    weights.add(new WeightSpec("kernel", kernel, kernelInitializer, kernelRegularizer,
        trainable()));
    if (useBias) {
      weights.add(new WeightSpec("bias", Shape.of(filters), biasInitializer, biasRegularizer,
          trainable()));
    }
    return weights;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    var tf = context.tf();
    Operand<TFloat32> output = tf.nn.conv2d(input, context.weight("kernel"),
        List.of(1L, (long) strides.height(), (long) strides.width(), 1L), padding.tfName(),
        Conv2d.dilations(List.of(1L, (long) dilationRate.height(), (long) dilationRate.width(),
            1L)));
    if (useBias) {
      output = tf.nn.biasAdd(output, context.weight("bias"));
    }
    return context.activate(activation, output);
  }
}
