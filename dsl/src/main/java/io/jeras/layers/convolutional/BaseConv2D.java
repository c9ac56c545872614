package io.jeras.layers.convolutional;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.activations.Activations;
import io.jeras.constraints.Constraint;
import io.jeras.initializers.Initializer;
import io.jeras.initializers.Initializers;
import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import io.jeras.layers.Padding;
import io.jeras.layers.Size2D;
import io.jeras.regularizers.Regularizer;
import io.jeras.utils.Shapes;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What {@link Conv2D}, {@link DepthwiseConv2D} and {@link SeparableConv2D} share: NHWC input,
 * the window settings and their output size (valid {@code floor((in - d(k-1) - 1) / s) + 1},
 * same {@code ceil(in / s)}), the bias and the activation. Subclasses say how many channels come
 * out and which kernels they hold.
 */
public abstract class BaseConv2D<L extends BaseConv2D<L>> extends Layer<L> {
  protected final ConvSettings conv;

  protected BaseConv2D(LayerOptions options, ConvSettings conv) {
    super(options);
    Size2D s = conv.strides();
    Size2D d = conv.dilationRate();
    checkArgument(s.height() == 1 && s.width() == 1 || d.height() == 1 && d.width() == 1,
        "strides > 1 not supported in conjunction with dilation_rate > 1. Received: strides=%s"
            + " and dilation_rate=%s", s, d);
    this.conv = conv;
  }

  /** A copy with other settings. */
  protected abstract L with(LayerOptions options, ConvSettings conv);

  /** The number of output channels for {@code inputChannels}. */
  protected abstract long outputChannels(long inputChannels);

  @Override
  protected L withOptions(LayerOptions options) {
    return with(options, conv);
  }

  public Size2D kernelSize() {
    return conv.kernelSize();
  }

  public Size2D strides() {
    return conv.strides();
  }

  public Padding padding() {
    return conv.padding();
  }

  public Size2D dilationRate() {
    return conv.dilationRate();
  }

  public Activations activation() {
    return conv.activation();
  }

  public boolean useBias() {
    return conv.useBias();
  }

  public Initializer biasInitializer() {
    return conv.bias().initializer();
  }

  public Regularizer biasRegularizer() {
    return conv.bias().regularizer();
  }

  public Constraint biasConstraint() {
    return conv.bias().constraint();
  }

  public L strides(int stride) {
    return strides(stride, stride);
  }

  public L strides(int height, int width) {
    return with(options, conv.withStrides(Size2D.of(height, width)));
  }

  public L padding(Padding padding) {
    return with(options, conv.withPadding(padding));
  }

  public L padding(String padding) {
    return padding(Padding.of(padding));
  }

  public L dilationRate(int rate) {
    return dilationRate(rate, rate);
  }

  public L dilationRate(int height, int width) {
    return with(options, conv.withDilationRate(Size2D.of(height, width)));
  }

  public L activation(Activations activation) {
    return with(options, conv.withActivation(activation));
  }

  public L activation(String activation) {
    return activation(Activations.of(activation));
  }

  public L useBias(boolean useBias) {
    return with(options, conv.withUseBias(useBias));
  }

  public L biasInitializer(Initializer initializer) {
    return with(options, conv.withBias(conv.bias().withInitializer(initializer)));
  }

  public L biasInitializer(String initializer) {
    return biasInitializer(Initializers.of(initializer));
  }

  public L biasRegularizer(Regularizer regularizer) {
    return with(options, conv.withBias(conv.bias().withRegularizer(regularizer)));
  }

  public L biasConstraint(Constraint constraint) {
    return with(options, conv.withBias(conv.bias().withConstraint(constraint)));
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() == 4,
        "%s expects 4-D input (batch, height, width, channels), got rank %s", className(),
        input.numDimensions());
    checkArgument(Shapes.last(input) > 0, "the number of input channels must be known");
    Size2D k = conv.kernelSize();
    long height = conv.padding().outputLength(input.get(1), k.height(), conv.strides().height(),
        conv.dilationRate().height());
    long width = conv.padding().outputLength(input.get(2), k.width(), conv.strides().width(),
        conv.dilationRate().width());
    checkArgument(input.get(1) < 0 || height >= 1 && width >= 1,
        "kernel %sx%s (dilation %s, padding %s) is larger than the %sx%s input", k.height(),
        k.width(), conv.dilationRate(), conv.padding().name().toLowerCase(), input.get(1),
        input.get(2));
    return Shape.of(input.get(0), height, width, outputChannels(Shapes.last(input)));
  }

  /** NHWC strides for TensorFlow. */
  protected List<Long> stridesNhwc() {
    return List.of(1L, (long) conv.strides().height(), (long) conv.strides().width(), 1L);
  }

  /** NHWC dilations for TensorFlow. */
  protected List<Long> dilationsNhwc() {
    return List.of(1L, (long) conv.dilationRate().height(), (long) conv.dilationRate().width(),
        1L);
  }

  /** A convolution op with the given padding ({@code VALID}, {@code SAME}) and dilations. */
  @FunctionalInterface
  protected interface Convolution {
    /** Emits the convolution of {@code input}. */
    Operand<TFloat32> apply(Operand<TFloat32> input, String padding, List<Long> dilations);
  }

  /**
   * {@code convolution} with this layer's padding and dilation. A dilated one is built as
   * TensorFlow's Python {@code tf.nn.convolution} and {@code depthwise_conv2d} build it when the
   * spatial sizes are known: the input spread over the batch ({@code SpaceToBatchND}, padded
   * for {@code same}), an undilated {@code valid} convolution, and the batch gathered back
   * ({@code BatchToSpaceND}). The dilated ops themselves do not train in graph mode on the CPU:
   * the C++ gradient of {@code Conv2D} drops its dilations, and oneDNN aborts the process on
   * the backprop of a dilated {@code DepthwiseConv2dNative}. Strides are 1 here: Keras refuses
   * strides > 1 with a dilation > 1.
   */
  protected Operand<TFloat32> dilated(Ops tf, Operand<TFloat32> input, Convolution convolution) {
    Size2D rate = conv.dilationRate();
    Shape shape = input.shape();
    if (rate.height() == 1 && rate.width() == 1 || shape.get(1) < 0 || shape.get(2) < 0) {
      return convolution.apply(input, conv.padding().tfName(), dilationsNhwc());
    }
    long[] rates = {rate.height(), rate.width()};
    long[] window = {conv.kernelSize().height(), conv.kernelSize().width()};
    long[][] paddings = new long[2][2];
    long[][] crops = new long[2][2];
    for (int i = 0; i < 2; i++) {
      long start = 0;
      long end = 0;
      if (conv.padding() == Padding.SAME) {
        long extra = (window[i] - 1) * rates[i];
        start = extra / 2;
        end = extra - start;
      }
      long padded = shape.get(i + 1) + start + end;
      long toMultiple = (rates[i] - padded % rates[i]) % rates[i];
      paddings[i] = new long[] {start, end + toMultiple};
      crops[i] = new long[] {0, toMultiple};
    }
    Operand<TFloat32> spread = tf.spaceToBatchNd(input, tf.constant(rates),
        tf.constant(paddings));
    Operand<TFloat32> convolved = convolution.apply(spread, Padding.VALID.tfName(),
        List.of(1L, 1L, 1L, 1L));
    return tf.batchToSpaceNd(convolved, tf.constant(rates), tf.constant(crops));
  }

  /** Adds the bias (if used) and applies the activation. */
  protected Operand<TFloat32> biasAndActivation(CallContext context, Operand<TFloat32> output) {
    if (conv.useBias()) {
      return context.biasAndActivate(conv.activation(), output, context.weight("bias"));
    }
    return context.activate(conv.activation(), output);
  }
}
