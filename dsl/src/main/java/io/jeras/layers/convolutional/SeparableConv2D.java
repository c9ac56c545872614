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
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code SeparableConv2D}: a depthwise convolution (each channel on its own, with the
 * window, strides and dilation) followed by a 1x1 pointwise convolution mixing the channels
 * into {@code filters} outputs, then bias and activation; TensorFlow's
 * {@code separable_conv2d}.
 *
 * <p>Weights: {@code depthwise_kernel} {@code (kh, kw, cin, depthMultiplier)},
 * {@code pointwise_kernel} {@code (1, 1, cin * depthMultiplier, filters)} (both
 * {@code glorot_uniform}), {@code bias} {@code (filters)}. Parameters:
 * {@code kh*kw*cin*dm + cin*dm*filters + filters}, against {@code kh*kw*cin*filters + filters}
 * for a Conv2D.
 *
 * <pre>{@code
 * SeparableConv2D.of(64, 3).padding(SAME).activation(RELU)
 * }</pre>
 */
public final class SeparableConv2D extends BaseConv2D<SeparableConv2D> {
  private final int filters;
  private final int depthMultiplier;
  private final WeightConfig depthwise;
  private final WeightConfig pointwise;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private SeparableConv2D(LayerOptions options, ConvSettings conv, int filters,
      int depthMultiplier, WeightConfig depthwise, WeightConfig pointwise) {
    super(options, conv);
    this.filters = filters;
    this.depthMultiplier = depthMultiplier;
    this.depthwise = depthwise;
    this.pointwise = pointwise;
  }

  /** {@code filters} outputs from a {@code kernelSize x kernelSize} depthwise window. */
  public static SeparableConv2D of(int filters, int kernelSize) {
    return of(filters, kernelSize, kernelSize);
  }

  /** {@code filters} outputs from a {@code kernelHeight x kernelWidth} depthwise window. */
  public static SeparableConv2D of(int filters, int kernelHeight, int kernelWidth) {
    checkArgument(filters > 0,
        "Invalid value for argument `filters`. Expected a strictly positive value. Received"
            + " filters=%s", filters);
    WeightConfig glorot = WeightConfig.of(Initializers.glorotUniform());
    return new SeparableConv2D(null, ConvSettings.defaults(kernelHeight, kernelWidth), filters,
        1, glorot, glorot);
  }

  @Override
  protected SeparableConv2D with(LayerOptions options, ConvSettings conv) {
    return toBuilder().options(options).conv(conv).build();
  }

  public int filters() {
    return filters;
  }

  public int depthMultiplier() {
    return depthMultiplier;
  }

  /** Depthwise kernels per input channel (default 1). */
  public SeparableConv2D depthMultiplier(int depthMultiplier) {
    checkArgument(depthMultiplier > 0, "Invalid value for argument `depth_multiplier`. Expected"
        + " a strictly positive value. Received depth_multiplier=%s", depthMultiplier);
    return toBuilder().depthMultiplier(depthMultiplier).build();
  }

  public Initializer depthwiseInitializer() {
    return depthwise.initializer();
  }

  public Initializer pointwiseInitializer() {
    return pointwise.initializer();
  }

  public Regularizer depthwiseRegularizer() {
    return depthwise.regularizer();
  }

  public Regularizer pointwiseRegularizer() {
    return pointwise.regularizer();
  }

  public Constraint depthwiseConstraint() {
    return depthwise.constraint();
  }

  public Constraint pointwiseConstraint() {
    return pointwise.constraint();
  }

  public SeparableConv2D depthwiseInitializer(Initializer initializer) {
    return toBuilder().depthwise(depthwise.withInitializer(initializer)).build();
  }

  public SeparableConv2D depthwiseInitializer(String initializer) {
    return depthwiseInitializer(Initializers.of(initializer));
  }

  public SeparableConv2D pointwiseInitializer(Initializer initializer) {
    return toBuilder().pointwise(pointwise.withInitializer(initializer)).build();
  }

  public SeparableConv2D pointwiseInitializer(String initializer) {
    return pointwiseInitializer(Initializers.of(initializer));
  }

  public SeparableConv2D depthwiseRegularizer(Regularizer regularizer) {
    return toBuilder().depthwise(depthwise.withRegularizer(regularizer)).build();
  }

  public SeparableConv2D pointwiseRegularizer(Regularizer regularizer) {
    return toBuilder().pointwise(pointwise.withRegularizer(regularizer)).build();
  }

  public SeparableConv2D depthwiseConstraint(Constraint constraint) {
    return toBuilder().depthwise(depthwise.withConstraint(constraint)).build();
  }

  public SeparableConv2D pointwiseConstraint(Constraint constraint) {
    return toBuilder().pointwise(pointwise.withConstraint(constraint)).build();
  }

  @Override
  protected long outputChannels(long inputChannels) {
    return filters;
  }

  @Override
  public List<WeightSpec> weights(Shape input) {
    long channels = Shapes.last(input);
    List<WeightSpec> weights = new ArrayList<>(3);
    weights.add(depthwise.spec("depthwise_kernel", Shape.of(kernelSize().height(),
        kernelSize().width(), channels, depthMultiplier), trainable()));
    weights.add(pointwise.spec("pointwise_kernel",
        Shape.of(1, 1, channels * depthMultiplier, filters), trainable()));
    if (useBias()) {
      weights.add(conv.bias().spec("bias", Shape.of(filters), trainable()));
    }
    return weights;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    Operand<TFloat32> mixed = DepthwiseConv2D.depthwise(this, context, input,
        context.weight("depthwise_kernel"));
    Operand<TFloat32> output = context.tf().nn.conv2d(mixed, context.weight("pointwise_kernel"),
        List.of(1L, 1L, 1L, 1L), "VALID");
    return biasAndActivation(context, output);
  }
}
