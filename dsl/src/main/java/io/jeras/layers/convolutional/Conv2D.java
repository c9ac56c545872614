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
public final class Conv2D extends BaseConv2D<Conv2D> {
  private final int filters;
  private final WeightConfig kernel;

  private Conv2D(LayerOptions options, ConvSettings conv, int filters, WeightConfig kernel) {
    super(options, conv);
    this.filters = filters;
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
    return new Conv2D(null, ConvSettings.defaults(kernelHeight, kernelWidth), filters,
        WeightConfig.of(Initializers.glorotUniform()));
  }

  @Override
  protected Conv2D with(LayerOptions options, ConvSettings conv) {
    return new Conv2D(options, conv, filters, kernel);
  }

  public int filters() {
    return filters;
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
    return new Conv2D(options, conv, filters, kernel.withInitializer(initializer));
  }

  public Conv2D kernelInitializer(String initializer) {
    return kernelInitializer(Initializers.of(initializer));
  }

  public Conv2D kernelRegularizer(Regularizer regularizer) {
    return new Conv2D(options, conv, filters, kernel.withRegularizer(regularizer));
  }

  public Conv2D kernelConstraint(Constraint constraint) {
    return new Conv2D(options, conv, filters, kernel.withConstraint(constraint));
  }

  @Override
  protected long outputChannels(long inputChannels) {
    return filters;
  }

  @Override
  public List<WeightSpec> weights(Shape input) {
    List<WeightSpec> weights = new ArrayList<>(2);
    weights.add(kernel.spec("kernel", Shape.of(kernelSize().height(), kernelSize().width(),
        Shapes.last(input), filters), trainable()));
    if (useBias()) {
      weights.add(conv.bias().spec("bias", Shape.of(filters), trainable()));
    }
    return weights;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    Operand<TFloat32> output = context.tf().nn.conv2d(input, context.weight("kernel"),
        stridesNhwc(), padding().tfName(), Conv2d.dilations(dilationsNhwc()));
    return biasAndActivation(context, output);
  }
}
