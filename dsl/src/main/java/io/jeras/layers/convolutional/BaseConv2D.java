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

  /** Adds the bias (if used) and applies the activation. */
  protected Operand<TFloat32> biasAndActivation(CallContext context, Operand<TFloat32> output) {
    if (conv.useBias()) {
      output = context.tf().nn.biasAdd(output, context.weight("bias"));
    }
    return context.activate(conv.activation(), output);
  }
}
