package io.jeras.trainers;

import io.jeras.bridge.GraphRuntime;
import io.jeras.bridge.HostValue;
import io.jeras.bridge.SessionOptions;
import io.jeras.bridge.Tensors;
import io.jeras.bridge.VariableStore;
import io.jeras.layers.WeightSpec;
import io.jeras.metrics.Metric;
import io.jeras.models.Model;
import io.jeras.models.ModelInput;
import io.jeras.models.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A model compiled into one TensorFlow graph, built once: an input placeholder per model input,
 * every weight as a {@code VariableV2}, the inference forward pass and (unless built for export)
 * the training forward pass with Dropout active and BatchNormalization on batch statistics; when
 * compiled, a labels placeholder per output, each output's loss and metrics, their weighted sum
 * plus regularization, gradients for the trainable weights, the optimizer's update ops followed
 * by weight constraints and the layers' own updates (moving statistics).
 *
 * <p>A training step is one session run: feed a batch, run the update, fetch the loss and the
 * metrics of that batch (means over the batch; the caller weights them by batch size to get
 * Keras' running means). Names in the graph follow Keras: {@code conv2d/kernel},
 * {@code adam/conv2d_kernel_momentum}, {@code adam/iteration}; the training pass lives under
 * {@code training/}, the evaluation losses and metrics under {@code evaluation/}.
 *
 * <p>{@link GraphBuilder} builds the graph and opens its session; this class runs it: the
 * steps, reading and writing variables, the optimizer's state, and closing.
 */
public final class ModelGraph implements AutoCloseable {
  private final GraphRuntime runtime;
  private final VariableStore store;
  private final GraphHandles handles;
  /** The part that trains; null in a graph built without a compile configuration. */
  private final GraphHandles.Training training;
  private RunningMeans batchLogs;

  ModelGraph(GraphRuntime runtime, VariableStore store, GraphHandles handles) {
    this.runtime = runtime;
    this.store = store;
    this.handles = handles;
    this.training = handles.training();
  }

  /** Builds the graph of {@code nodes} (inference and training passes; compiled if given). */
  public static ModelGraph build(List<Node> nodes, List<ModelInput> inputs, List<Integer> outputs,
      CompileConfig compile, long seed, SessionOptions options) {
    return build(nodes, inputs, outputs, compile, seed, options, Map.of());
  }

  /**
   * Builds the graph of {@code nodes} with some weights' initial values given (by weight name,
   * shapes must match): a rebuilt or imported model starts from its weights without drawing
   * random ones first.
   */
  public static ModelGraph build(List<Node> nodes, List<ModelInput> inputs, List<Integer> outputs,
      CompileConfig compile, long seed, SessionOptions options, Map<String, HostValue> initial) {
    return GraphBuilder.model(nodes, inputs, outputs, compile, seed, options, false, initial);
  }

  /**
   * Builds only the weights and the inference pass (no training pass, loss or optimizer): the
   * graph a SavedModel export writes, and the graph of a model that only predicts.
   */
  public static ModelGraph buildInference(List<Node> nodes, List<ModelInput> inputs,
      List<Integer> outputs, long seed, SessionOptions options) {
    return buildInference(nodes, inputs, outputs, seed, options, Map.of());
  }

  /** {@link #buildInference} with some weights' initial values given. */
  public static ModelGraph buildInference(List<Node> nodes, List<ModelInput> inputs,
      List<Integer> outputs, long seed, SessionOptions options, Map<String, HostValue> initial) {
    return GraphBuilder.model(nodes, inputs, outputs, null, seed, options, true, initial);
  }

  /**
   * The graph of a training step of one's own: the weights of every one of {@code models}
   * under the model's name ({@code generator/dense/kernel}, starting from the model's current
   * weights), placeholders for a batch ({@code xShapes}, {@code yShapes}, batch first), and
   * what {@code step} emits; {@link #trainStep} runs it, returning the logged values.
   */
  public static ModelGraph buildCustom(List<Model> models, List<Shape> xShapes,
      List<Shape> yShapes, TrainStep step, long seed, SessionOptions options) {
    return GraphBuilder.custom(models, xShapes, yShapes, step, seed, options);
  }

  /** The weights {@code nodes} create, by name ({@code conv2d/kernel}), in graph order. */
  public static Map<String, WeightSpec> weightSpecs(List<Node> nodes) {
    return GraphBuilder.weightSpecs(nodes);
  }

  /** The weights of {@code model} in a graph built by {@link #buildCustom}, by its own names. */
  public Map<String, HostValue> modelWeights(Model model) {
    String prefix = model.name() + "/";
    List<String> names = new ArrayList<>();
    for (String name : handles.weightNames()) {
      if (name.startsWith(prefix)) {
        names.add(name);
      }
    }
    Map<String, HostValue> values = new LinkedHashMap<>();
    read(names).forEach((name, value) -> values.put(name.substring(prefix.length()), value));
    return values;
  }

  /** Whether this graph holds the training forward pass (Dropout active). */
  public boolean hasTrainingPass() {
    return !handles.trainingOutputs().isEmpty();
  }

  /**
   * Keras' {@code finalize_variable_values}, run at the end of {@code fit}: with {@code
   * use_ema}, every trainable weight takes its moving average; otherwise nothing.
   */
  public void finalizeWeights() {
    if (training == null || training.finalizeWeights().isEmpty()) {
      return;
    }
    Session.Runner runner = runtime.session().runner();
    training.finalizeWeights().forEach(runner::addTarget);
    runner.run().close();
  }

  /**
   * One training step on a batch; returns the batch's loss and metrics (keys: {@link
   * #logKeys}). {@code ys}: one labels tensor per output, then optionally the samples' weights
   * (Keras' {@code sample_weight}, shape {@code (batch,)}).
   */
  public float[] trainStep(List<TFloat32> xs, List<TFloat32> ys) {
    Session.Runner runner = feed(runtime.session().runner(), xs, ys)
        .addTarget(training("train").trainOp());
    training.trainFetches().forEach(runner::fetch);
    return fetchFloats(runner);
  }

  /** The loss and metrics of a batch in inference mode (no update). */
  public float[] testStep(List<TFloat32> xs, List<TFloat32> ys) {
    Session.Runner runner = feed(runtime.session().runner(), xs, ys);
    training("evaluate").testFetches().forEach(runner::fetch);
    return fetchFloats(runner);
  }

  /** The model's outputs for a batch, in training mode (Dropout active) or inference mode. */
  public List<float[]> predictStep(List<TFloat32> xs, boolean trainingMode) {
    if (trainingMode && !hasTrainingPass()) {
      throw new IllegalStateException("this graph was built for inference only");
    }
    Session.Runner runner = feed(runtime.session().runner(), xs, List.of());
    (trainingMode ? handles.trainingOutputs() : handles.outputs()).forEach(runner::fetch);
    List<float[]> values = new ArrayList<>();
    try (Result result = runner.run()) {
      for (int i = 0; i < result.size(); i++) {
        values.add(Tensors.toFloats(result.get(i)));
      }
    }
    return values;
  }

  private Session.Runner feed(Session.Runner runner, List<TFloat32> xs, List<TFloat32> ys) {
    for (int i = 0; i < xs.size(); i++) {
      runner.feed(handles.inputs().get(i), xs.get(i));
    }
    List<Placeholder<TFloat32>> labels = labels();
    for (int i = 0; i < Math.min(labels.size(), ys.size()); i++) {
      runner.feed(labels.get(i), ys.get(i));
    }
    if (ys.size() > labels.size()) {
      runner.feed(training.sampleWeights(), ys.get(labels.size()));
    }
    return runner;
  }

  /** The training part, or a clear error naming what needed it. */
  private GraphHandles.Training training(String what) {
    if (training == null) {
      throw new IllegalStateException("cannot " + what + ": this graph was built without a"
          + " compile configuration");
    }
    return training;
  }

  /** Every fetched value, flattened in fetch order (losses are scalars, metric states vectors). */
  private static float[] fetchFloats(Session.Runner runner) {
    try (Result result = runner.run()) {
      List<float[]> parts = new ArrayList<>();
      int size = 0;
      for (int i = 0; i < result.size(); i++) {
        float[] part = Tensors.toFloats(result.get(i));
        parts.add(part);
        size += part.length;
      }
      float[] values = new float[size];
      int at = 0;
      for (float[] part : parts) {
        System.arraycopy(part, 0, values, at, part.length);
        at += part.length;
      }
      return values;
    }
  }

  /** The logs {@code train_on_batch} and {@code test_on_batch} add to (Keras' metric states). */
  RunningMeans batchLogs() {
    if (batchLogs == null) {
      batchLogs = newLogs();
    }
    return batchLogs;
  }

  /** Keras' {@code reset_metrics()}: the next on-batch call starts new logs. */
  public void resetBatchLogs() {
    batchLogs = null;
  }

  /**
   * An empty running log of this graph's loss and metrics for one epoch or evaluation, which
   * {@link #trainStep} and {@link #testStep} values are added to.
   */
  RunningMeans newLogs() {
    List<String> keys = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    List<Metric> metrics = new ArrayList<>();
    for (GraphHandles.Log log : training("log").logs()) {
      keys.add(log.key());
      metrics.add(log.metric());
      sizes.add(log.stateSize());
    }
    return new RunningMeans(keys, metrics, sizes);
  }

  /** Whether this graph can train (was built with a compile configuration). */
  public boolean isCompiled() {
    return training != null;
  }

  /** The log keys of {@link #trainStep} and {@link #testStep}: "loss", then the others. */
  public List<String> logKeys() {
    return training == null ? List.of()
        : training.logs().stream().map(GraphHandles.Log::key).toList();
  }

  /** The shapes of the labels the losses take, one per output, batch first. */
  public List<Shape> labelShapes() {
    return training == null ? List.of() : training.labelShapes();
  }

  /** The input shapes, batch first. */
  public List<Shape> inputShapes() {
    return handles.inputs().stream().map(Operand::shape).toList();
  }

  /** The output shapes, batch first. */
  public List<Shape> outputShapes() {
    return handles.outputs().stream().map(Operand::shape).toList();
  }

  /** The output layers' names. */
  public List<String> outputNames() {
    return handles.outputNames();
  }

  /** The names of the layers' weights, in layer order ({@code conv2d/kernel}, ...). */
  public List<String> weightNames() {
    return handles.weightNames();
  }

  /** The current values of the named variables (weights or optimizer state). */
  public Map<String, HostValue> read(List<String> names) {
    return store.read(runtime.session(), names);
  }

  /** Writes the given variables in one session run. */
  public void write(Map<String, HostValue> values) {
    store.write(runtime.session(), values);
  }

  /** Number and memory size of an optimizer's variables, as Keras' summary counts them. */
  public record OptimizerSize(long count, double bytes) {}

  /**
   * The optimizer's variables (learning rate, iteration count, slots), or null before the
   * first training step (Keras counts them once the optimizer is built).
   */
  public OptimizerSize optimizerSize() {
    if (optimizerScope() == null) {
      return null;
    }
    String iteration = iterationName();
    if (read(List.of(iteration)).get(iteration).longs()[0] == 0) {
      return null;
    }
    long count = 0;
    double bytes = 0;
    for (String name : optimizerVariableNames()) {
      long size = store.shape(name).size();
      count += size;
      bytes += size * (store.type(name) == TInt64.class ? 8 : 4);
    }
    return new OptimizerSize(count, bytes);
  }

  /** The optimizer's variables (learning rate, iteration, slots); empty when not compiled. */
  public List<String> optimizerVariableNames() {
    List<String> names = new ArrayList<>(store.names());
    names.removeAll(handles.weightNames());
    return names;
  }

  /** The shape of a variable. */
  public Shape variableShape(String name) {
    return store.shape(name);
  }

  /**
   * The name of the learning-rate variable; null when not compiled or when the rate follows a
   * schedule (then it is computed from the step, not stored).
   */
  public String learningRateName() {
    return optimizerScope() == null || scheduledLearningRate() ? null
        : optimizerScope() + "/learning_rate";
  }

  /** Whether the learning rate follows a schedule of the step (and so cannot be set). */
  public boolean scheduledLearningRate() {
    return optimizerScope() != null && !store.contains(optimizerScope() + "/learning_rate");
  }

  /** The learning rate the next training step will use. */
  public float currentLearningRate() {
    try (Result result = runtime.session().runner().fetch(training("read the learning rate").learningRate()).run()) {
      return Tensors.toFloat(result.get(0));
    }
  }

  /** The name of the optimizer's step counter (null when not compiled). */
  public String iterationName() {
    return optimizerScope() == null ? null : optimizerScope() + "/iteration";
  }

  /** The compiled optimizer's scope ({@code adam}); null when not compiled or custom. */
  private String optimizerScope() {
    return training == null ? null : training.optimizerScope();
  }

  /** The graph, serialized as a {@code GraphDef} (for TensorBoard's graph dashboard). */
  public byte[] graphDef() {
    return runtime.graph().toGraphDef().toByteArray();
  }

  /** The graph and session, for tools that run it directly (benchmarks, export). */
  public GraphRuntime runtime() {
    return runtime;
  }

  /** The graph's variables (for exporters). */
  public VariableStore variableStore() {
    return store;
  }

  /** The input placeholders, in model input order. */
  public List<Placeholder<TFloat32>> inputs() {
    return handles.inputs();
  }

  /** The inference outputs ({@code output_0}, ...). */
  public List<Operand<TFloat32>> outputs() {
    return handles.outputs();
  }

  /** The labels placeholders, one per output (empty when not compiled). */
  public List<Placeholder<TFloat32>> labels() {
    return training == null ? List.of() : training.labels();
  }

  /** The training target (null when not compiled). */
  public Op trainOp() {
    return training == null ? null : training.trainOp();
  }

  /** The training loss (null when not compiled). */
  public Operand<TFloat32> trainLoss() {
    return training == null || training.trainFetches().isEmpty() ? null
        : training.trainFetches().get(0);
  }

  @Override
  public void close() {
    runtime.close();
  }
}
