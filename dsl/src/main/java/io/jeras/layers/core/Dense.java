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
import org.tensorflow.types.TInt64;

/**
 * Keras' {@code Dense}: {@code activation(input . kernel + bias)}, applied on the last axis.
 *
 * <p>Defaults as in Keras: linear activation, bias used, kernel {@code glorot_uniform}, bias
 * {@code zeros}. The input has at least 2 dimensions and a known last one; as in Keras 3, an
 * input of higher rank is multiplied along its last axis (each position of a sequence or each
 * pixel of a feature map gets the same kernel), so {@code (batch, d1, ..., in)} gives {@code
 * (batch, d1, ..., units)}: put a {@link io.jeras.layers.reshaping.Flatten} before it to classify
 * a whole feature map instead. Parameters: {@code in * units + units}.
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

  /** Keras' {@code supports_masking}: the input's mask passes on. */
  @Override
  public boolean propagatesMask() {
    return true;
  }

  @Override
  protected Dense withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() >= 2, "Dense expects input of rank 2 or more (batch,"
        + " ..., features), got rank %s", input.numDimensions());
    checkArgument(Shapes.last(input) > 0, "the number of input features must be known");
    long[] dims = input.asArray();
    dims[dims.length - 1] = units;
    return Shape.of(dims);
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
    Shape shape = input.shape();
    Operand<TFloat32> output;
    if (shape.numDimensions() == 2) {
      output = tf.linalg.matMul(input, context.weight("kernel"));
    } else {
      // Keras multiplies the last axis (a broadcast batch matmul); the same product as one
      // MatMul over all leading positions, reshaped back.
      Operand<TFloat32> rows = tf.reshape(input, tf.constant(new long[] {-1, Shapes.last(shape)}));
      output = tf.linalg.matMul(rows, context.weight("kernel"));
      long[] dims = outputShape(shape).asArray();
      dims[0] = -1;
      boolean known = java.util.Arrays.stream(dims).skip(1).allMatch(d -> d > 0);
      Operand<TInt64> target = known ? tf.constant(dims) : tf.concat(List.of(
          tf.slice(tf.shape(input, TInt64.class), tf.constant(new long[] {0}),
              tf.constant(new long[] {dims.length - 1})), tf.constant(new long[] {units})),
          tf.constant(0));
      output = tf.reshape(output, target);
    }
    if (useBias) {
      return context.biasAndActivate(activation, output, context.weight("bias"));
    }
    return context.activate(activation, output);
  }
}
