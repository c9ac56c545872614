package io.jeras.layers;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.mixedprecision.DTypePolicy;
import io.jeras.mixedprecision.MixedPrecision;
import java.util.List;
import java.util.regex.Pattern;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * A Keras layer: an immutable configuration that knows its output shape and its weights for an
 * input shape, and emits its TensorFlow ops for an input.
 *
 * <p>Every setter returns a new layer; a model names unnamed layers when they are added, the
 * Keras way ({@code conv2d}, {@code conv2d_1}, ...). Shapes passed to {@link #outputShape} and
 * {@link #weights} include the batch dimension, which is unknown (-1).
 *
 * @param <L> the concrete layer type, so that setters chain
 */
public abstract class Layer<L extends Layer<L>> {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9.][A-Za-z0-9_.\\-]*");

  protected final LayerOptions options;

  protected Layer(LayerOptions options) {
    LayerOptions given = options == null ? LayerOptions.DEFAULTS : options;
    // Keras: a layer takes the global dtype policy when it is created
    this.options = given.dtypePolicy() == null
        ? given.withDtypePolicy(MixedPrecision.globalPolicy()) : given;
  }

  /** A copy of this layer with other common options. */
  protected abstract L withOptions(LayerOptions options);

  /** The output shape for {@code input}; throws IllegalArgumentException saying why not. */
  protected abstract Shape computeOutputShape(Shape input);

  /** Emits this layer's ops applied to {@code input}. */
  public abstract Operand<TFloat32> call(CallContext context, Operand<TFloat32> input);

  /**
   * Keras' {@code supports_masking}: whether this layer passes its input's mask on to its output
   * unchanged (layers that keep the steps: Dense, Dropout, activations, normalizations). False
   * by default: the mask stops here, as at Flatten or a convolution.
   */
  public boolean propagatesMask() {
    return false;
  }

  /** The weights this layer creates for {@code input} (none by default). */
  public List<WeightSpec> weights(Shape input) {
    return List.of();
  }

  /**
   * The output shape for several inputs. Single-input layers take exactly one; merge layers
   * ({@code Add}, {@code Concatenate}, ...) override this.
   */
  protected Shape computeOutputShape(List<Shape> inputs) {
    checkArgument(inputs.size() == 1, "%s takes one input, got %s", className(), inputs.size());
    return computeOutputShape(inputs.get(0));
  }

  /** Emits this layer's ops applied to several inputs (merge layers override this). */
  public Operand<TFloat32> call(CallContext context, List<Operand<TFloat32>> inputs) {
    checkArgument(inputs.size() == 1, "%s takes one input, got %s", className(), inputs.size());
    return call(context, inputs.get(0));
  }

  /** The weights this layer creates for its inputs. */
  public List<WeightSpec> weights(List<Shape> inputs) {
    return weights(inputs.get(0));
  }

  /**
   * The output shape for {@code input}.
   *
   * @throws IncompatibleShapeException naming this layer, the input shape and the reason
   */
  public final Shape outputShape(Shape input) {
    return outputShape(List.of(input));
  }

  /**
   * The output shape for {@code inputs}.
   *
   * @throws IncompatibleShapeException naming this layer, the input shapes and the reason
   */
  public final Shape outputShape(List<Shape> inputs) {
    try {
      return computeOutputShape(inputs);
    } catch (IncompatibleShapeException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new IncompatibleShapeException(displayName(), className(), inputs, e.getMessage());
    }
  }

  /**
   * Keras' {@code layer(x)} in the functional API: this layer applied to symbolic inputs. The
   * output shape is inferred now, so an impossible shape fails here, naming the layer. Applying
   * the same layer object twice shares its weights.
   */
  public KerasTensor apply(KerasTensor... inputs) {
    return apply(List.of(inputs));
  }

  /** {@link #apply(KerasTensor...)} for a list (merge layers). */
  public KerasTensor apply(List<KerasTensor> inputs) {
    checkArgument(!inputs.isEmpty(), "%s needs at least one input", className());
    List<Shape> shapes = inputs.stream().map(KerasTensor::shape).toList();
    try {
      return new KerasTensor(this, inputs, outputShape(shapes), null);
    } catch (IncompatibleShapeException e) {
      if (inputs.size() < 2) {
        throw e;
      }
      List<String> sources = inputs.stream().map(t -> t.isInput()
          ? "input " + (t.inputLayer().name() == null ? "input_layer" : t.inputLayer().name())
          : t.layer().displayName()).toList();
      throw new IncompatibleShapeException(e.getMessage() + " (inputs from " + sources + ")");
    }
  }

  /** This layer's name, or null if no model has named it yet. */
  public String name() {
    return options.name();
  }

  /** Names this layer (letters, digits, {@code _ . -}; unique within its model). */
  public L name(String name) {
    checkArgument(name != null && NAME.matcher(name).matches(),
        "Invalid layer name \"%s\": use letters, digits, '_', '.' and '-'", name);
    return withOptions(options.withName(name));
  }

  /** Whether the optimizer updates this layer's weights (default true). */
  public boolean trainable() {
    return options.trainable();
  }

  public L trainable(boolean trainable) {
    return withOptions(options.withTrainable(trainable));
  }

  /**
   * Keras' call argument {@code training}: {@code training(false)} keeps this layer in inference
   * mode even while the model trains (Keras' {@code layer(x, training=False)}: no Dropout,
   * BatchNormalization on its moving statistics, which stay unchanged; trainable weights still
   * learn). The common case is a pretrained base, {@code base(x, training=False)}. With
   * {@code true} (the default) the layer follows the model.
   */
  public L training(boolean training) {
    return withOptions(options.withInferenceMode(!training));
  }

  /** Whether this layer follows the model's mode (false after {@code training(false)}). */
  public boolean followsTraining() {
    return !options.inferenceMode();
  }

  /** The sample shape (without batch) this layer takes as a model's first layer, or null. */
  public Shape inputShape() {
    return options.inputShape();
  }

  /** Declares the sample shape of the model's input, Keras' {@code input_shape=(28, 28, 1)}. */
  public L inputShape(long... sampleShape) {
    checkArgument(sampleShape.length > 0, "inputShape needs at least one dimension");
    for (long d : sampleShape) {
      checkArgument(d > 0, "inputShape dimensions must be positive, got %s",
          java.util.Arrays.toString(sampleShape));
    }
    return withOptions(options.withInputShape(Shape.of(sampleShape)));
  }

  /**
   * The type this layer computes in, its inputs and weights cast to it ({@link
   * io.jeras.mixedprecision.Autocast}): its policy's compute type. The normalizations compute in
   * float32 under any policy, as Keras' do; a nested model leaves it to its layers (null).
   */
  public Class<? extends TFloating> computeType() {
    return options.dtypePolicy().computeType();
  }

  /** Keras' {@code dtype_policy}: what this layer computes in and keeps its weights in. */
  public DTypePolicy dtypePolicy() {
    return options.dtypePolicy();
  }

  /**
   * Keras' {@code dtype} argument: this layer's policy ({@code "float32"}, {@code
   * "mixed_float16"}, {@code "mixed_bfloat16"}) instead of the global one.
   */
  public L dtype(String policy) {
    return withOptions(options.withDtypePolicy(DTypePolicy.of(policy)));
  }

  /** Keras' class name of this layer ({@code Conv2D}). */
  public String className() {
    return getClass().getSimpleName();
  }

  /** The prefix of Keras' automatic names: the class name in snake_case ({@code conv2d}). */
  public String autoNamePrefix() {
    return toSnakeCase(className());
  }

  /**
   * Keras' {@code to_snake_case}: {@code Conv2D -> conv2d}, {@code MaxPooling2D ->
   * max_pooling2d}, {@code ReLU -> re_lu}.
   */
  public static String toSnakeCase(String name) {
    String s = name.replaceAll("\\W+", "");
    s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
    s = s.replaceAll("([a-z])([A-Z])", "$1_$2");
    return s.toLowerCase(java.util.Locale.ROOT);
  }

  /** The name, or the class name before the layer is named (for messages). */
  public String displayName() {
    return name() != null ? name() : autoNamePrefix();
  }

  /** Number of scalars in this layer's weights for {@code input}. */
  public long countParams(List<Shape> inputs) {
    return weights(inputs).stream().mapToLong(WeightSpec::size).sum();
  }

  /** Number of scalars in this layer's weights for {@code input}. */
  public long countParams(Shape input) {
    return weights(input).stream().mapToLong(WeightSpec::size).sum();
  }

  @Override
  public String toString() {
    return className() + "(" + displayName() + ")";
  }
}
