package io.jeras.layers.convolutional;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.constraints.Constraint;
import io.jeras.initializers.Initializer;
import io.jeras.initializers.Initializers;
import io.jeras.layers.CallContext;
import io.jeras.layers.LayerOptions;
import io.jeras.layers.Padding;
import io.jeras.layers.Size2D;
import io.jeras.layers.WeightConfig;
import io.jeras.layers.WeightSpec;
import io.jeras.regularizers.Regularizer;
import io.jeras.utils.Shapes;
import java.util.ArrayList;
import java.util.List;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' {@code Conv2DTranspose} (a "deconvolution"): the transpose of a 2-D convolution, which
 * upsamples NHWC images by the strides; {@code filters} output channels, plus bias, then the
 * activation. The kernel is {@code (kh, kw, filters, channels)}, as Keras stores it.
 *
 * <p>Output size per axis, as Keras computes it (with {@code k} the kernel size): valid {@code
 * (in - 1) * s + max(k, s)}, same {@code in * s}; with {@code outputPadding} {@code p}: valid
 * {@code (in - 1) * s + k + p}, same {@code (in - 1) * s + k % 2 + p}. It runs TensorFlow's
 * {@code Conv2DBackpropInput}, as Keras' {@code conv_transpose} does (TensorFlow's C++ gradient
 * registry has that op's gradient, so it trains). A dilation rate above 1 is not supported
 * here.
 *
 * <pre>{@code
 * Conv2DTranspose.of(32, 3).strides(2).padding("same").activation("relu")
 * }</pre>
 */
public final class Conv2DTranspose extends BaseConv2D<Conv2DTranspose> {
  private final int filters;
  private final Size2D outputPadding;
  private final WeightConfig kernel;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Conv2DTranspose(LayerOptions options, ConvSettings conv, int filters,
      Size2D outputPadding, WeightConfig kernel) {
    super(options, conv);
    this.filters = filters;
    this.outputPadding = outputPadding;
    this.kernel = kernel;
  }

  /** {@code filters} kernels of {@code kernelSize x kernelSize}. */
  public static Conv2DTranspose of(int filters, int kernelSize) {
    return of(filters, kernelSize, kernelSize);
  }

  /** {@code filters} kernels of {@code kernelHeight x kernelWidth}. */
  public static Conv2DTranspose of(int filters, int kernelHeight, int kernelWidth) {
    checkArgument(filters > 0, "Invalid value for argument `filters`. Expected a strictly"
        + " positive value. Received filters=%s", filters);
    return new Conv2DTranspose(null, ConvSettings.defaults(kernelHeight, kernelWidth), filters,
        null, WeightConfig.of(Initializers.glorotUniform()));
  }

  @Override
  protected Conv2DTranspose with(LayerOptions options, ConvSettings conv) {
    return toBuilder().options(options).conv(conv).build();
  }

  public int filters() {
    return filters;
  }

  /** Keras' {@code output_padding}; null: derived from the padding (Keras' default). */
  public Size2D outputPadding() {
    return outputPadding;
  }

  /**
   * Keras' {@code output_padding}: extra rows and columns on the bottom and right, each less
   * than the stride along its axis.
   */
  public Conv2DTranspose outputPadding(int height, int width) {
    checkArgument(height >= 0 && width >= 0, "output_padding must not be negative, got (%s, %s)",
        height, width);
    return toBuilder().outputPadding(Size2D.of(height, width)).build();
  }

  public Initializer kernelInitializer() {
    return kernel.initializer();
  }

  public Regularizer kernelRegularizer() {
    return kernel.regularizer();
  }

  public Constraint kernelConstraint() {
    return kernel.constraint();
  }

  public Conv2DTranspose kernelInitializer(Initializer initializer) {
    return toBuilder().kernel(kernel.withInitializer(initializer)).build();
  }

  public Conv2DTranspose kernelInitializer(String initializer) {
    return kernelInitializer(Initializers.of(initializer));
  }

  public Conv2DTranspose kernelRegularizer(Regularizer regularizer) {
    return toBuilder().kernel(kernel.withRegularizer(regularizer)).build();
  }

  public Conv2DTranspose kernelConstraint(Constraint constraint) {
    return toBuilder().kernel(kernel.withConstraint(constraint)).build();
  }

  @Override
  protected long outputChannels(long inputChannels) {
    return filters;
  }

  /** Keras' transposed output length: {@code (in - 1) * stride + extra(axis)}. */
  private long extra(int kernelSize, int stride, Integer padding) {
    if (conv.padding() == Padding.VALID) {
      return kernelSize + (padding != null ? padding : Math.max(kernelSize, stride) - kernelSize);
    }
    return padding == null ? stride : kernelSize % 2 + padding;
  }

  private long extraHeight() {
    return extra(kernelSize().height(), strides().height(),
        outputPadding == null ? null : outputPadding.height());
  }

  private long extraWidth() {
    return extra(kernelSize().width(), strides().width(),
        outputPadding == null ? null : outputPadding.width());
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() == 4, "Conv2DTranspose expects 4-D input (batch,"
        + " height, width, channels), got rank %s", input.numDimensions());
    checkArgument(Shapes.last(input) > 0, "the number of input channels must be known");
    checkArgument(dilationRate().height() == 1 && dilationRate().width() == 1,
        "Conv2DTranspose with dilation_rate > 1 is not supported; got %s", dilationRate());
    checkArgument(outputPadding == null || outputPadding.height() < strides().height()
        && outputPadding.width() < strides().width(), "output_padding %s must be smaller than"
        + " the strides %s", outputPadding, strides());
    long height = input.get(1) < 0 ? -1 : (input.get(1) - 1) * strides().height() + extraHeight();
    long width = input.get(2) < 0 ? -1 : (input.get(2) - 1) * strides().width() + extraWidth();
    return Shape.of(input.get(0), height, width, filters);
  }

  @Override
  public List<WeightSpec> weights(Shape input) {
    List<WeightSpec> weights = new ArrayList<>(2);
    weights.add(kernel.spec("kernel", Shape.of(kernelSize().height(), kernelSize().width(),
        filters, Shapes.last(input)), trainable()));
    if (useBias()) {
      weights.add(conv.bias().spec("bias", Shape.of(filters), trainable()));
    }
    return weights;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    Ops tf = context.tf();
    // (batch, (h - 1) * s + extra, (w - 1) * s + extra, filters), from the input's shape at run
    // time (the batch, and the spatial sizes when unknown)
    Operand<TInt32> shape = tf.shape(input);
    Operand<TInt32> one = tf.constant(1);
    List<Operand<TInt32>> sizes = new ArrayList<>();
    sizes.add(tf.reshape(tf.gather(shape, tf.constant(0), tf.constant(0)),
        tf.constant(new int[] {1})));
    int[] stride = {strides().height(), strides().width()};
    long[] extra = {extraHeight(), extraWidth()};
    for (int axis = 0; axis < 2; axis++) {
      Operand<TInt32> in = tf.gather(shape, tf.constant(axis + 1), tf.constant(0));
      Operand<TInt32> out = tf.math.add(tf.math.mul(tf.math.sub(in, one),
          tf.constant(stride[axis])), tf.constant((int) extra[axis]));
      sizes.add(tf.reshape(out, tf.constant(new int[] {1})));
    }
    sizes.add(tf.constant(new int[] {filters}));
    Operand<TFloat32> output = tf.nn.conv2dBackpropInput(tf.concat(sizes, tf.constant(0)),
        context.weight("kernel"), input, stridesNhwc(), conv.padding().tfName());
    // the op's static shape is unknown from a computed size; give it the one Keras computes
    Shape known = outputShape(input.shape());
    if (known.get(1) > 0 && known.get(2) > 0) {
      output = tf.reshape(output, tf.constant(new long[] {-1, known.get(1), known.get(2),
          filters}));
    }
    return biasAndActivation(context, output);
  }
}
