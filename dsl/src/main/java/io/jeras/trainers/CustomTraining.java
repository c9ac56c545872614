package io.jeras.trainers;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import io.jeras.Jeras;
import io.jeras.bridge.HostValue;
import io.jeras.bridge.SessionOptions;
import io.jeras.callbacks.History;
import io.jeras.data.ArrayData;
import io.jeras.models.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Trains with a {@link TrainStep} of one's own, as a Keras model whose {@code train_step} is
 * overridden: {@code fit} runs the step on every batch with Keras' epoch loop, progress bar,
 * callbacks and {@link History} of the logged values. The step's graph holds its own copy of
 * every model's weights, made from the models' weights when it is built; at the end of every
 * epoch (before the callbacks see it) the trained weights are written back into the models, so
 * a callback can call {@code generator.predict(...)} and the models hold the result afterwards.
 * The callbacks' model is the first model given. A second {@code fit} continues from the step
 * graph's weights and optimizer state (changes made to the models in between are not seen: make
 * a new {@code CustomTraining} to start from them).
 *
 * <pre>{@code
 * try (CustomTraining gan = CustomTraining.of(ganStep, generator, discriminator)) {
 *   gan.fit(images, Fit.epochs(10).batchSize(64).callbacks(saveSamples));
 * }
 * }</pre>
 */
public final class CustomTraining implements AutoCloseable {
  private final TrainStep step;
  private final List<Model> models;
  private ModelGraph graph;
  private List<Shape> xShapes;
  private List<Shape> yShapes;

  private CustomTraining(TrainStep step, List<Model> models) {
    this.step = step;
    this.models = models;
  }

  /** A training with {@code step} over {@code models} (every model the step calls). */
  public static CustomTraining of(TrainStep step, Model... models) {
    checkArgument(step != null, "a custom training needs a step");
    checkArgument(models.length > 0, "a custom training needs the models its step calls");
    return new CustomTraining(step, List.of(models));
  }

  /** Keras' {@code fit(x)} with the step: batches of inputs only. */
  public History fit(NdArray<?> x, Fit fit) {
    return fit(List.of(x), List.of(), fit);
  }

  /** Keras' {@code fit(x, y)} with the step: batches of inputs and labels. */
  public History fit(NdArray<?> x, NdArray<?> y, Fit fit) {
    return fit(List.of(x), List.of(y), fit);
  }

  /** {@code fit} with several inputs and labels, in the order the step reads them. */
  public History fit(List<? extends NdArray<?>> x, List<? extends NdArray<?>> y, Fit fit) {
    checkArgument(!x.isEmpty(), "fit needs at least one input array");
    List<ArrayData> xs = new ArrayList<>();
    List<ArrayData> ys = new ArrayList<>();
    x.forEach(a -> xs.add(ArrayData.of(a)));
    y.forEach(a -> ys.add(ArrayData.of(a)));
    long samples = xs.get(0).size();
    for (ArrayData data : concat(xs, ys)) {
      checkArgument(data.shape().numDimensions() >= 1 && data.size() == samples,
          "every array must hold the %s samples of the first, got shape %s", samples,
          data.shape());
    }
    List<Shape> newX = batchShapes(xs);
    List<Shape> newY = batchShapes(ys);
    if (graph == null || !newX.equals(xShapes) || !newY.equals(yShapes)) {
      close();
      graph = ModelGraph.buildCustom(models, newX, newY, step, Jeras.nextSeed(),
          SessionOptions.defaults());
      xShapes = newX;
      yShapes = newY;
    }
    try {
      // (the epoch loop ends with Keras' finalize_variable_values; then the models get them)
      History history = Trainer.fitCustom(models.get(0), graph, xs, ys, fit, this::writeBack);
      writeBack();
      return history;
    } catch (RuntimeException e) {
      writeBack();
      throw e;
    }
  }

  private static List<ArrayData> concat(List<ArrayData> a, List<ArrayData> b) {
    List<ArrayData> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static List<Shape> batchShapes(List<ArrayData> data) {
    return data.stream().map(d -> Shape.of(Shape.UNKNOWN_SIZE).append(d.sampleShape()))
        .toList();
  }

  /** Copies the step graph's weights into each model. */
  private void writeBack() {
    checkState(graph != null, "nothing trained yet");
    for (Model model : models) {
      Map<String, HostValue> values = graph.modelWeights(model);
      List<FloatNdArray> arrays = new ArrayList<>();
      for (String name : model.weightNames()) {
        HostValue value = values.get(name);
        arrays.add(NdArrays.wrap(value.shape(), DataBuffers.of(value.floats(), true, false)));
      }
      model.setWeights(arrays);
    }
  }

  /** The step's graph (built at the first {@code fit}), for reading its variables. */
  public ModelGraph graph() {
    checkState(graph != null, "the step's graph is built at the first fit");
    return graph;
  }

  @Override
  public void close() {
    if (graph != null) {
      graph.close();
      graph = null;
    }
  }
}
