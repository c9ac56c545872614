package io.jeras.layers.core;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.activations.Activations;
import io.jeras.constraints.Constraint;
import io.jeras.initializers.Initializer;
import io.jeras.initializers.Initializers;
import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import io.jeras.layers.WeightConfig;
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
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Dense}: {@code activation(input . kernel + bias)} on a batch of vectors.
 *
 * <p>Defaults as in Keras: linear activation, bias used, kernel {@code glorot_uniform}, bias
 * {@code zeros}. The input must be 2-D {@code (batch, features)}; put a {@link
 * io.jeras.layers.reshaping.Flatten} before it after convolutions. Parameters: {@code in * units
 * + units}.
 *
 * <pre>{@code
 * Dense.of(512).activation(RELU)
 * }</pre>
 */
@Getter
@Accessors(fluent = true)
public final class Dense extends Layer<Dense> {
  private final int units;
  private final Activations activation;
  private final boolean useBias;
  @Getter(AccessLevel.NONE)
  private final WeightConfig kernel;
  @Getter(AccessLevel.NONE)
  private final WeightConfig bias;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Dense(LayerOptions options, int units, Activations activation, boolean useBias,
      WeightConfig kernel, WeightConfig bias) {
    super(options);
    this.units = units;
    this.activation = activation;
    this.useBias = useBias;
    this.kernel = kernel;
    this.bias = bias;
  }

  /** A Dense layer of {@code units} outputs with Keras' defaults. */
  public static Dense of(int units) {
    checkArgument(units > 0,
        "Received an invalid value for `units`, expected a positive integer. Received: units=%s",
        units);
    return new Dense(null, units, Activations.LINEAR, true,
        WeightConfig.of(Initializers.glorotUniform()), WeightConfig.of(Initializers.zeros()));
  }

  public Dense activation(Activations activation) {
    return toBuilder().activation(activation).build();
  }

  /** The activation by Keras name ({@code "relu"}). */
  public Dense activation(String activation) {
    return activation(Activations.of(activation));
  }

  public Dense useBias(boolean useBias) {
    return toBuilder().useBias(useBias).build();
  }

  public Initializer kernelInitializer() {
    return kernel.initializer();
  }

  public Initializer biasInitializer() {
    return bias.initializer();
  }

  public Regularizer kernelRegularizer() {
    return kernel.regularizer();
  }

  public Regularizer biasRegularizer() {
    return bias.regularizer();
  }

  public Constraint kernelConstraint() {
    return kernel.constraint();
  }

  public Constraint biasConstraint() {
    return bias.constraint();
  }

  public Dense kernelInitializer(Initializer initializer) {
    return toBuilder().kernel(kernel.withInitializer(initializer)).build();
  }

  public Dense kernelInitializer(String initializer) {
    return kernelInitializer(Initializers.of(initializer));
  }

  public Dense biasInitializer(Initializer initializer) {
    return toBuilder().bias(bias.withInitializer(initializer)).build();
  }

  public Dense biasInitializer(String initializer) {
    return biasInitializer(Initializers.of(initializer));
  }

  public Dense kernelRegularizer(Regularizer regularizer) {
    return toBuilder().kernel(kernel.withRegularizer(regularizer)).build();
  }

  public Dense biasRegularizer(Regularizer regularizer) {
    return toBuilder().bias(bias.withRegularizer(regularizer)).build();
  }

  public Dense kernelConstraint(Constraint constraint) {
    return toBuilder().kernel(kernel.withConstraint(constraint)).build();
  }

  public Dense biasConstraint(Constraint constraint) {
    return toBuilder().bias(bias.withConstraint(constraint)).build();
  }

  @Override
  protected Dense withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() == 2,
        "Dense expects 2-D input (batch, features), got rank %s; add a Flatten layer before it",
        input.numDimensions());
    checkArgument(input.get(1) > 0, "the number of input features must be known");
    return Shape.of(input.get(0), units);
  }

  @Override
  public List<WeightSpec> weights(Shape input) {
    List<WeightSpec> weights = new ArrayList<>(2);
    weights.add(kernel.spec("kernel", Shape.of(Shapes.last(input), units), trainable()));
    if (useBias) {
      weights.add(bias.spec("bias", Shape.of(units), trainable()));
    }
    return weights;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    var tf = context.tf();
    Operand<TFloat32> output = tf.linalg.matMul(input, context.weight("kernel"));
    if (useBias) {
      output = tf.nn.biasAdd(output, context.weight("bias"));
    }
    return context.activate(activation, output);
  }
}
