package io.jeras.models;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.base.Supplier;
import com.google.common.base.Suppliers;
import io.jeras.initializers.Initializer;
import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import io.jeras.layers.WeightSpec;
import io.jeras.utils.Shapes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * A model used as a layer of another model, Keras' {@code outer = Model(x, base(x))} or
 * {@code Sequential([base, Dense(10)])}: the inner model's layers run inside the outer model's
 * graph under the inner model's name ({@code base/conv2d/kernel}), with its training flag.
 *
 * <p>The inner model is read when the outer model's graph is built, so {@code
 * base.setTrainable(false)} followed by the outer {@code compile} freezes it, as in Keras. A
 * frozen model layer freezes all its layers and runs its BatchNormalization layers in inference
 * mode. Its initial weights are the inner model's weights at that moment if the inner model has
 * been built (trained, loaded or set), otherwise fresh ones from its initializers; from then on
 * the outer model holds its own copy (Keras shares the variables; Jeras models each own their
 * graph, so train the outer model and read the weights from it).
 */
public final class ModelLayer extends Layer<ModelLayer> {
  private final Model model;

  ModelLayer(LayerOptions options, Model model) {
    super(options);
    checkArgument(model.outputs().size() == 1, "Model %s has %s outputs %s; a model used as a"
        + " layer must have one output", model.name(), model.outputs().size(),
        model.outputNames());
    this.model = model;
  }

  /** The model inside. */
  public Model model() {
    return model;
  }

  @Override
  protected ModelLayer withOptions(LayerOptions options) {
    return new ModelLayer(options, model);
  }

  /** Keras shows a nested model's class: {@code Sequential} or {@code Functional}. */
  @Override
  public String className() {
    return model.getClass().getSimpleName();
  }

  /** A nested model is named after the model ({@code sequential}). */
  @Override
  public String autoNamePrefix() {
    return model.name();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    return computeOutputShape(List.of(input));
  }

  @Override
  protected Shape computeOutputShape(List<Shape> inputs) {
    List<ModelInput> expected = model.inputs();
    checkArgument(inputs.size() == expected.size(), "model %s takes %s input(s), got %s",
        model.name(), expected.size(), inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      checkArgument(Shapes.compatible(inputs.get(i), expected.get(i).shape()),
          "model %s expects input \"%s\" of shape %s, got %s", model.name(),
          expected.get(i).name(), Shapes.format(expected.get(i).shape()),
          Shapes.format(inputs.get(i)));
    }
    return model.outputShape();
  }

  /** The inner layer as it runs here: frozen when this layer is. */
  private Layer<?> effective(Layer<?> layer) {
    return trainable() || !layer.trainable() ? layer : layer.trainable(false);
  }

  @Override
  public List<WeightSpec> weights(Shape input) {
    return weights(List.of(input));
  }

  @Override
  public List<WeightSpec> weights(List<Shape> inputs) {
    List<WeightSpec> weights = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    // read once, when the outer graph is built and asks for the first initial value
    Supplier<Map<String, FloatNdArray>> current = Suppliers.memoize(
        () -> model.hasWeights() ? model.weights() : null);
    for (Node node : model.nodes()) {
      if (!seen.add(node.name())) {
        continue;
      }
      for (WeightSpec spec : effective(node.layer()).weights(node.inputShapes())) {
        String name = node.name() + "/" + spec.name();
        weights.add(new WeightSpec(name, spec.shape(),
            new InnerWeights(model.name(), current, name, spec.initializer()), spec.regularizer(),
            spec.constraint(), spec.trainable()));
      }
    }
    return weights;
  }

  /** None of its own: each inner layer casts to its own compute type. */
  @Override
  public Class<? extends TFloating> computeType() {
    return null;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    return call(context, List.of(input));
  }

  @Override
  public Operand<TFloat32> call(CallContext context, List<Operand<TFloat32>> inputs) {
    Random seeds = new Random(context.seed());
    List<Operand<TBool>> inputMasks = new ArrayList<>();
    inputMasks.add(context.inputMask());
    Node.Pass pass = Node.forward(model.nodes(), inputs, inputMasks, new Node.Runner() {
      @Override
      public Layer<?> layer(int index, Node node) {
        return effective(node.layer());
      }

      @Override
      public CallContext context(int index, Node node, Layer<?> layer) {
        return context.child(node.name(), seeds.nextLong(), node.layer().followsTraining(),
            layer.computeType());
      }
    });
    int output = model.outputs().get(0);
    if (pass.masks().get(output) != null) {
      context.setOutputMask(pass.masks().get(output));
    }
    return pass.results().get(output);
  }

  /**
   * The inner model's current value of a weight when it has been built, else its initializer's
   * values.
   */
  private record InnerWeights(String model, Supplier<Map<String, FloatNdArray>> current,
      String name, Initializer initializer) implements Initializer {
    @Override
    public float[] generate(Shape shape, long seed) {
      Map<String, FloatNdArray> weights = current.get();
      if (weights == null) {
        return initializer.generate(shape, seed);
      }
      FloatNdArray value = weights.get(name);
      checkArgument(value != null && value.shape().equals(shape),
          "model %s has no weight %s of shape %s", model, name, Shapes.format(shape));
      return io.jeras.data.Data.toFloatArray(value);
    }

    @Override
    public Long seed() {
      return initializer.seed();
    }

    @Override
    public String kerasName() {
      return initializer.kerasName();
    }
  }
}
