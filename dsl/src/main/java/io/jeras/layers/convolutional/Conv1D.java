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
import io.jeras.layers.WeightConfig;
import io.jeras.layers.WeightSpec;
import io.jeras.regularizers.Regularizer;
import io.jeras.utils.Shapes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Conv1D}: a 1-D convolution of {@code (batch, steps, channels)} sequences with
 * {@code filters} kernels of {@code kernelSize} steps, plus bias, then the activation. The kernel
 * is {@code (kernel_size, channels, filters)}, as Keras stores it.
 *
 * <p>Padding {@code valid} (default), {@code same} ({@code ceil(steps / strides)} steps out) or
 * {@code causal} (zeros before the sequence, so output step {@code t} sees only steps up to
 * {@code t}: for time series and WaveNet-style stacks). Computed as TensorFlow computes Keras'
 * {@code conv1d}: a 2-D convolution over a height of 1; a dilated one through {@code
 * SpaceToBatchND}, as {@code tf.nn.convolution} builds it (and as {@link Conv2D} does), which
 * needs the number of steps known.
 *
 * <pre>{@code
 * Conv1D.of(64, 3).activation("relu").padding("causal").dilationRate(2)
 * }</pre>
 */
public final class Conv1D extends Layer<Conv1D> {
  private final int filters;
  private final int kernelSize;
  private final int strides;
  private final String padding;
  private final int dilationRate;
  private final Activations activation;
  private final boolean useBias;
  private final WeightConfig kernel;
  private final WeightConfig bias;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Conv1D(LayerOptions options, int filters, int kernelSize, int strides, String padding,
      int dilationRate, Activations activation, boolean useBias, WeightConfig kernel,
      WeightConfig bias) {
    super(options);
    checkArgument(strides == 1 || dilationRate == 1, "strides > 1 not supported in conjunction"
        + " with dilation_rate > 1. Received: strides=%s and dilation_rate=%s", strides,
        dilationRate);
    this.filters = filters;
    this.kernelSize = kernelSize;
    this.strides = strides;
    this.padding = padding;
    this.dilationRate = dilationRate;
    this.activation = activation;
    this.useBias = useBias;
    this.kernel = kernel;
    this.bias = bias;
  }

  /** {@code filters} kernels of {@code kernelSize} steps, with Keras' defaults. */
  public static Conv1D of(int filters, int kernelSize) {
    checkArgument(filters > 0, "Invalid value for argument `filters`. Expected a strictly"
        + " positive value. Received filters=%s", filters);
    checkArgument(kernelSize > 0, "kernel_size must be positive, got %s", kernelSize);
    return new Conv1D(null, filters, kernelSize, 1, "valid", 1, Activations.LINEAR, true,
        WeightConfig.of(Initializers.glorotUniform()), WeightConfig.of(Initializers.zeros()));
  }

  public int filters() {
    return filters;
  }

  public int kernelSize() {
    return kernelSize;
  }

  public int strides() {
    return strides;
  }

  /** {@code valid}, {@code same} or {@code causal}. */
  public String padding() {
    return padding;
  }

  public int dilationRate() {
    return dilationRate;
  }

  public Activations activation() {
    return activation;
  }

  public boolean useBias() {
    return useBias;
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

  public Initializer biasInitializer() {
    return bias.initializer();
  }

  public Regularizer biasRegularizer() {
    return bias.regularizer();
  }

  public Constraint biasConstraint() {
    return bias.constraint();
  }

  public Conv1D strides(int strides) {
    checkArgument(strides > 0, "strides must be positive, got %s", strides);
    return toBuilder().strides(strides).build();
  }

  /** Keras' {@code padding}: {@code "valid"}, {@code "same"} or {@code "causal"}. */
  public Conv1D padding(String padding) {
    String name = padding.toLowerCase(Locale.ROOT);
    checkArgument(List.of("valid", "same", "causal").contains(name), "Invalid value for"
        + " argument `padding`: expected \"valid\", \"same\" or \"causal\". Received: padding=%s",
        padding);
    return toBuilder().padding(name).build();
  }

  public Conv1D dilationRate(int dilationRate) {
    checkArgument(dilationRate > 0, "dilation_rate must be positive, got %s", dilationRate);
    return toBuilder().dilationRate(dilationRate).build();
  }

  public Conv1D activation(Activations activation) {
    return toBuilder().activation(activation).build();
  }

  public Conv1D activation(String activation) {
    return activation(Activations.of(activation));
  }

  public Conv1D useBias(boolean useBias) {
    return toBuilder().useBias(useBias).build();
  }

  public Conv1D kernelInitializer(Initializer initializer) {
    return toBuilder().kernel(kernel.withInitializer(initializer)).build();
  }

  public Conv1D kernelInitializer(String initializer) {
    return kernelInitializer(Initializers.of(initializer));
  }

  public Conv1D kernelRegularizer(Regularizer regularizer) {
    return toBuilder().kernel(kernel.withRegularizer(regularizer)).build();
  }

  public Conv1D kernelConstraint(Constraint constraint) {
    return toBuilder().kernel(kernel.withConstraint(constraint)).build();
  }

  public Conv1D biasInitializer(Initializer initializer) {
    return toBuilder().bias(bias.withInitializer(initializer)).build();
  }

  public Conv1D biasInitializer(String initializer) {
    return biasInitializer(Initializers.of(initializer));
  }

  public Conv1D biasRegularizer(Regularizer regularizer) {
    return toBuilder().bias(bias.withRegularizer(regularizer)).build();
  }

  public Conv1D biasConstraint(Constraint constraint) {
    return toBuilder().bias(bias.withConstraint(constraint)).build();
  }

  @Override
  protected Conv1D withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  /** The padding of the windows themselves: causal pads first, then convolves valid. */
  private Padding windowPadding() {
    return padding.equals("same") ? Padding.SAME : Padding.VALID;
  }

  /** Zeros a causal convolution puts before the sequence. */
  private int causalPad() {
    return padding.equals("causal") ? dilationRate * (kernelSize - 1) : 0;
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() == 3, "Conv1D expects 3-D input (batch, steps,"
        + " channels), got rank %s", input.numDimensions());
    checkArgument(Shapes.last(input) > 0, "the number of input channels must be known");
    checkArgument(dilationRate == 1 || input.get(1) > 0, "a dilated Conv1D needs a known"
        + " number of steps (its convolution is built for that length); the input has shape %s",
        Shapes.format(input));
    long steps = input.get(1) < 0 ? -1 : input.get(1) + causalPad();
    long out = windowPadding().outputLength(steps, kernelSize, strides, dilationRate);
    checkArgument(steps < 0 || out >= 1, "kernel %s (dilation %s, padding %s) is longer than"
        + " the %s steps", kernelSize, dilationRate, padding, input.get(1));
    return Shape.of(input.get(0), out, filters);
  }

  @Override
  public List<WeightSpec> weights(Shape input) {
    List<WeightSpec> weights = new ArrayList<>(2);
    weights.add(kernel.spec("kernel", Shape.of(kernelSize, Shapes.last(input), filters),
        trainable()));
    if (useBias) {
      weights.add(bias.spec("bias", Shape.of(filters), trainable()));
    }
    return weights;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    Ops tf = context.tf();
    Operand<TFloat32> x = input;
    if (causalPad() > 0) {
      x = tf.pad(x, tf.constant(new int[][] {{0, 0}, {causalPad(), 0}, {0, 0}}),
          tf.constant(0f));
    }
    Operand<TFloat32> kernelValue = context.weight("kernel");
    Operand<TFloat32> output = dilationRate > 1 ? dilated(tf, x, kernelValue)
        : convolve(tf, x, kernelValue, windowPadding());
    if (useBias) {
      return context.biasAndActivate(activation, output, context.weight("bias"));
    }
    return context.activate(activation, output);
  }

  /** The 1-D convolution as a 2-D one over a height of 1 (as TensorFlow's conv1d). */
  private Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernelValue,
      Padding windowPadding) {
    Operand<TFloat32> image = tf.expandDims(x, tf.constant(1));
    Operand<TFloat32> kernel2d = tf.expandDims(kernelValue, tf.constant(0));
    Operand<TFloat32> out = tf.nn.conv2d(image, kernel2d, List.of(1L, 1L, (long) strides, 1L),
        windowPadding.tfName());
    return tf.squeeze(out, org.tensorflow.op.core.Squeeze.axis(List.of(1L)));
  }

  /**
   * A dilated convolution as TensorFlow's Python {@code tf.nn.convolution} builds it when the
   * length is known: the steps spread over the batch ({@code SpaceToBatchND}, padded for
   * {@code same}), an undilated valid convolution, the batch gathered back. (The C++ gradient
   * of {@code Conv2D} drops dilations, so the dilated op itself would not train.)
   */
  private Operand<TFloat32> dilated(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernelValue) {
    long rate = dilationRate;
    long start = 0;
    long end = 0;
    if (windowPadding() == Padding.SAME) {
      long extra = (kernelSize - 1) * rate;
      start = extra / 2;
      end = extra - start;
    }
    long padded = x.shape().get(1) + start + end;
    long toMultiple = (rate - padded % rate) % rate;
    Operand<TFloat32> spread = tf.spaceToBatchNd(x, tf.constant(new long[] {rate}),
        tf.constant(new long[][] {{start, end + toMultiple}}));
    Operand<TFloat32> convolved = convolve(tf, spread, kernelValue, Padding.VALID);
    return tf.batchToSpaceNd(convolved, tf.constant(new long[] {rate}),
        tf.constant(new long[][] {{0, toMultiple}}));
  }
}
