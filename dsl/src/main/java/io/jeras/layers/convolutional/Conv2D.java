package io.jeras.layers.convolutional;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.constraints.Constraint;
import io.jeras.initializers.Initializer;
import io.jeras.initializers.Initializers;
import io.jeras.layers.CallContext;
import io.jeras.layers.LayerOptions;
import io.jeras.layers.WeightConfig;
import io.jeras.layers.WeightSpec;
import io.jeras.regularizers.Regularizer;
import io.jeras.utils.Shapes;
import java.util.ArrayList;
import java.util.List;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' {@code Conv2D}: a 2-D convolution (cross-correlation, as TensorFlow computes it) of
 * NHWC images with {@code filters} kernels, plus bias, then the activation.
 *
 * <p>Defaults as in Keras: strides 1, padding {@code valid}, dilation 1, linear activation, bias
 * used, kernel {@code glorot_uniform}, bias {@code zeros}. Output size per axis: valid
 * {@code floor((in - d(k-1) - 1) / s) + 1}, same {@code ceil(in / s)}. Parameters:
 * {@code kh * kw * cin / groups * filters + filters}.
 *
 * <pre>{@code
 * Conv2D.of(32, 3).activation(RELU).padding(SAME).inputShape(150, 150, 3)
 * }</pre>
 */
public final class Conv2D extends BaseConv2D<Conv2D> {
  private final int filters;
  private final int groups;
  private final WeightConfig kernel;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Conv2D(LayerOptions options, ConvSettings conv, int filters, int groups,
      WeightConfig kernel) {
    super(options, conv);
    this.filters = filters;
    this.groups = groups;
    this.kernel = kernel;
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
    return new Conv2D(null, ConvSettings.defaults(kernelHeight, kernelWidth), filters, 1,
        WeightConfig.of(Initializers.glorotUniform()));
  }

  @Override
  protected Conv2D with(LayerOptions options, ConvSettings conv) {
    return toBuilder().options(options).conv(conv).build();
  }

  public int filters() {
    return filters;
  }

  /** The number of channel groups (default 1: every filter sees every input channel). */
  public int groups() {
    return groups;
  }

  /**
   * Keras' {@code groups}: the input channels split into {@code groups} groups, each convolved
   * with its own {@code filters / groups} filters, the results concatenated along the channels
   * (group {@code g} gives output channels {@code g * filters / groups} onwards). Input channels
   * and filters must both be divisible by {@code groups}; the kernel is {@code (kh, kw, cin /
   * groups, filters)}. {@code groups} equal to the input channels is a depthwise convolution
   * (ConvNeXt's 7x7 blocks).
   */
  public Conv2D groups(int groups) {
    checkArgument(groups > 0, "The number of groups must be a positive integer. Received:"
        + " groups=%s.", groups);
    checkArgument(filters % groups == 0, "The number of filters must be evenly divisible by the"
        + " number of groups. Received: groups=%s, filters=%s.", groups, filters);
    return toBuilder().groups(groups).build();
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

  public Conv2D kernelInitializer(Initializer initializer) {
    return toBuilder().kernel(kernel.withInitializer(initializer)).build();
  }

  public Conv2D kernelInitializer(String initializer) {
    return kernelInitializer(Initializers.of(initializer));
  }

  public Conv2D kernelRegularizer(Regularizer regularizer) {
    return toBuilder().kernel(kernel.withRegularizer(regularizer)).build();
  }

  public Conv2D kernelConstraint(Constraint constraint) {
    return toBuilder().kernel(kernel.withConstraint(constraint)).build();
  }

  @Override
  protected long outputChannels(long inputChannels) {
    return filters;
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    Shape output = super.computeOutputShape(input);
    long channels = Shapes.last(input);
    checkArgument(channels % groups == 0, "The number of input channels must be evenly divisible"
        + " by the number of groups. Received groups=%s, but the input has %s channels (full"
        + " input shape is %s).", groups, channels, Shapes.format(input));
    return output;
  }

  @Override
  public List<WeightSpec> weights(Shape input) {
    List<WeightSpec> weights = new ArrayList<>(2);
    weights.add(kernel.spec("kernel", Shape.of(kernelSize().height(), kernelSize().width(),
        Shapes.last(input) / groups, filters), trainable()));
    if (useBias()) {
      weights.add(conv.bias().spec("bias", Shape.of(filters), trainable()));
    }
    return weights;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    Operand<TFloat32> kernelValue = context.weight("kernel");
    long channels = Shapes.last(input.shape());
    Operand<TFloat32> output;
    if (groups == 1) {
      output = convolve(context.tf(), input, kernelValue);
    } else if (groups == channels) {
      // One input channel per group: a depthwise convolution with filters / groups kernels per
      // channel. Kernel (kh, kw, 1, filters) read as (kh, kw, channels, filters / channels):
      // output channel c * m + j is input channel c convolved with kernel[..., 0, c * m + j].
      Ops tf = context.tf();
      Operand<TFloat32> depthwise = tf.reshape(kernelValue, tf.constant(new long[] {
          kernelSize().height(), kernelSize().width(), channels, filters / channels}));
      output = DepthwiseConv2D.depthwise(this, context, input, depthwise);
    } else {
      // The gradient of a grouped Conv2D works on the CPU only through oneDNN (without it,
      // e.g. TF_ENABLE_ONEDNN_OPTS=0, TensorFlow refuses it; Keras compiles grouped
      // convolutions with XLA for that reason): one convolution per group, concatenated.
      Ops tf = context.tf();
      Operand<TInt32> channelAxis = tf.constant(3);
      List<Output<TFloat32>> inputs = tf.split(channelAxis, input, (long) groups).output();
      List<Output<TFloat32>> kernels = tf.split(channelAxis, kernelValue, (long) groups)
          .output();
      List<Operand<TFloat32>> parts = new ArrayList<>(groups);
      for (int g = 0; g < groups; g++) {
        parts.add(convolve(tf, inputs.get(g), kernels.get(g)));
      }
      output = tf.concat(parts, channelAxis);
    }
    return biasAndActivation(context, output);
  }

  private Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> input, Operand<TFloat32> kernel) {
    return dilated(tf, input, (x, padding, dilations) -> tf.nn.conv2d(x, kernel, stridesNhwc(),
        padding, Conv2d.dilations(dilations)));
  }
}
