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
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.nn.DepthwiseConv2dNative;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code DepthwiseConv2D}: each input channel convolved with its own
 * {@code depthMultiplier} kernels (no mixing across channels), as in MobileNet.
 *
 * <p>Weights: {@code kernel} of shape {@code (kh, kw, cin, depthMultiplier)} ({@code
 * glorot_uniform}) and {@code bias} of {@code cin * depthMultiplier} (zeros). Output channels:
 * {@code cin * depthMultiplier}.
 *
 * <pre>{@code
 * DepthwiseConv2D.of(3).padding(SAME).useBias(false)
 * }</pre>
 */
public final class DepthwiseConv2D extends BaseConv2D<DepthwiseConv2D> {
  private final int depthMultiplier;
  private final WeightConfig depthwise;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private DepthwiseConv2D(LayerOptions options, ConvSettings conv, int depthMultiplier,
      WeightConfig depthwise) {
    super(options, conv);
    this.depthMultiplier = depthMultiplier;
    this.depthwise = depthwise;
  }

  /** A depthwise convolution with a {@code kernelSize x kernelSize} window. */
  public static DepthwiseConv2D of(int kernelSize) {
    return of(kernelSize, kernelSize);
  }

  /** A depthwise convolution with a {@code kernelHeight x kernelWidth} window. */
  public static DepthwiseConv2D of(int kernelHeight, int kernelWidth) {
    return new DepthwiseConv2D(null, ConvSettings.defaults(kernelHeight, kernelWidth), 1,
        WeightConfig.of(Initializers.glorotUniform()));
  }

  @Override
  protected DepthwiseConv2D with(LayerOptions options, ConvSettings conv) {
    return toBuilder().options(options).conv(conv).build();
  }

  public int depthMultiplier() {
    return depthMultiplier;
  }

  /** Kernels per input channel (default 1). */
  public DepthwiseConv2D depthMultiplier(int depthMultiplier) {
    checkArgument(depthMultiplier > 0, "Invalid value for argument `depth_multiplier`. Expected"
        + " a strictly positive value. Received depth_multiplier=%s", depthMultiplier);
    return toBuilder().depthMultiplier(depthMultiplier).build();
  }

  public Initializer depthwiseInitializer() {
    return depthwise.initializer();
  }

  public Regularizer depthwiseRegularizer() {
    return depthwise.regularizer();
  }

  public Constraint depthwiseConstraint() {
    return depthwise.constraint();
  }

  public DepthwiseConv2D depthwiseInitializer(Initializer initializer) {
    return toBuilder().depthwise(depthwise.withInitializer(initializer)).build();
  }

  public DepthwiseConv2D depthwiseInitializer(String initializer) {
    return depthwiseInitializer(Initializers.of(initializer));
  }

  public DepthwiseConv2D depthwiseRegularizer(Regularizer regularizer) {
    return toBuilder().depthwise(depthwise.withRegularizer(regularizer)).build();
  }

  public DepthwiseConv2D depthwiseConstraint(Constraint constraint) {
    return toBuilder().depthwise(depthwise.withConstraint(constraint)).build();
  }

  @Override
  protected long outputChannels(long inputChannels) {
    return inputChannels * depthMultiplier;
  }

  @Override
  public List<WeightSpec> weights(Shape input) {
    long channels = Shapes.last(input);
    List<WeightSpec> weights = new ArrayList<>(2);
    weights.add(depthwise.spec("kernel", Shape.of(kernelSize().height(), kernelSize().width(),
        channels, depthMultiplier), trainable()));
    if (useBias()) {
      weights.add(conv.bias().spec("bias", Shape.of(channels * depthMultiplier), trainable()));
    }
    return weights;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    return biasAndActivation(context, depthwise(this, context, input, context.weight("kernel")));
  }

  /** The depthwise convolution with this layer's window settings (SeparableConv2D's first half). */
  static Operand<TFloat32> depthwise(BaseConv2D<?> layer, CallContext context,
      Operand<TFloat32> input, Operand<TFloat32> kernel) {
    var tf = context.tf();
    return layer.dilated(tf, input, (x, padding, dilations) -> tf.nn.depthwiseConv2dNative(x,
        kernel, layer.stridesNhwc(), padding, DepthwiseConv2dNative.dilations(dilations)));
  }
}
