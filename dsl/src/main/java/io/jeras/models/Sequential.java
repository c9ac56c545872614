package io.jeras.models;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import io.jeras.layers.Layer;
import io.jeras.layers.core.Input;
import io.jeras.utils.Shapes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

/**
 * Keras' {@code Sequential}: a plain stack of layers, each feeding the next.
 *
 * <p>The input shape comes from an {@link Input} first, or from {@code inputShape(...)} on the
 * first layer. Each layer is named when added (Keras' automatic names {@code conv2d},
 * {@code conv2d_1}, ... counted within this model, or the name given; a duplicate is rejected)
 * and, once the input shape is known, its output shape is inferred at once, so an impossible
 * stack fails at {@code add} with the layer's name and both shapes.
 *
 * <pre>{@code
 * Sequential model = Sequential.of(
 *     Conv2D.of(32, 3).activation(RELU).inputShape(28, 28, 1),
 *     MaxPooling2D.of(2),
 *     Flatten.of(),
 *     Dense.of(10).activation(SOFTMAX));
 * model.compile(Adam.defaults(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY, Metric.ACCURACY);
 * }</pre>
 */
public final class Sequential extends Model {
  /** Keras' name of an unnamed input. */
  public static final String DEFAULT_INPUT_NAME = "input_layer";

  private final List<Layer<?>> layers = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();
  private final Set<String> names = new HashSet<>();
  private final Map<String, Integer> counters = new HashMap<>();
  private Shape inputShape;
  private String inputName = DEFAULT_INPUT_NAME;

  private Sequential(String name) {
    super(name);
  }

  /** An empty model named {@code sequential}. */
  public static Sequential create() {
    return new Sequential("sequential");
  }

  /** An empty model with a name of its own. */
  public static Sequential named(String name) {
    return new Sequential(name);
  }

  /** A model of {@code layers}, in order. */
  public static Sequential of(Layer<?>... layers) {
    Sequential model = create();
    for (Layer<?> layer : layers) {
      model.add(layer);
    }
    return model;
  }

  /** Appends a layer (Keras' {@code model.add}); returns this model. */
  public Sequential add(Layer<?> layer) {
    checkArgument(layer != null, "cannot add null to a Sequential model");
    if (layer instanceof Input input) {
      checkState(layers.isEmpty() && inputShape == null,
          "An Input can only be the first element of a Sequential model");
      inputShape = Shapes.batchOf(input.inputShape().asArray());
      if (input.name() != null) {
        inputName = input.name();
      }
      return this;
    }
    if (layer instanceof ModelLayer nested && layers.isEmpty() && inputShape == null
        && nested.model().inputs().size() == 1) {
      inputShape = nested.model().inputShape();
    }
    if (layer.inputShape() != null) {
      checkState(layers.isEmpty() && inputShape == null,
          "Only the first layer of a Sequential model can set inputShape; %s sets %s",
          layer, Shapes.format(Shapes.batchOf(layer.inputShape().asArray())));
      inputShape = Shapes.batchOf(layer.inputShape().asArray());
    }
    Layer<?> named = layer.name() != null ? layer : layer.name(autoName(layer, names, counters));
    checkArgument(!names.contains(named.name()),
        "All layers added to a Sequential model should have unique names. Name \"%s\" is already"
            + " the name of a layer in this model.", named.name());
    if (inputShape != null) {
      Shape in = nodes.isEmpty() ? inputShape : nodes.get(nodes.size() - 1).outputShape();
      nodes.add(new Node(named, nodes.size() - 1, in, named.outputShape(in)));
    }
    names.add(named.name());
    layers.add(named);
    invalidate();
    return this;
  }

  /** Appends a model as a layer (Keras' {@code Sequential([base_model, ...])}). */
  public Sequential add(Model model) {
    return add(model.asLayer());
  }

  @Override
  public List<Layer<?>> layers() {
    return List.copyOf(layers);
  }

  @Override
  protected void replaceLayer(Layer<?> replacement) {
    int index = indexOf(replacement.name());
    layers.set(index, replacement);
    if (index < nodes.size()) {
      Node node = nodes.get(index);
      nodes.set(index, new Node(replacement, node.inputs(), node.inputShapes(),
          node.outputShape()));
    }
  }

  @Override
  public Sequential setTrainable(String name, boolean trainable) {
    super.setTrainable(name, trainable);
    return this;
  }

  @Override
  public Sequential setTrainable(boolean trainable) {
    super.setTrainable(trainable);
    return this;
  }

  /**
   * A new model of this model's layers up to and including {@code name}, holding copies of
   * their current weights: Keras' {@code Model(model.input, model.get_layer(name).output)},
   * the usual way to cut a trained network's classifier off for transfer learning.
   */
  public Sequential upTo(String name) {
    int last = indexOf(name);
    Sequential base = named(name() + "_" + name);
    base.inputName = inputName;
    if (layers.get(0).inputShape() == null) {
      base.inputShape = inputShape;
    }
    for (int i = 0; i <= last; i++) {
      base.add(layers.get(i));
    }
    Map<String, FloatNdArray> mine = weights();
    List<FloatNdArray> kept = new java.util.ArrayList<>();
    base.weights().keySet().forEach(key -> kept.add(mine.get(key)));
    base.setWeights(kept);
    return base;
  }

  private int indexOf(String name) {
    return layers.indexOf(layer(name));
  }

  @Override
  public List<Node> nodes() {
    checkState(inputShape != null || layers.isEmpty(), "The model %s has no input shape yet:"
        + " give the first layer inputShape(...) or start with Input.of(...)", name());
    return List.copyOf(nodes);
  }

  @Override
  public List<ModelInput> inputs() {
    checkState(inputShape != null, "The model %s has no input shape yet: give the first layer"
        + " inputShape(...) or start with Input.of(...)", name());
    return List.of(new ModelInput(inputName, inputShape));
  }

  @Override
  public List<Integer> outputs() {
    checkState(!nodes.isEmpty(), "model %s has no layers", name());
    return List.of(nodes.size() - 1);
  }
}
