package io.jeras.trainers;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.bridge.GraphRuntime;
import io.jeras.bridge.Gradients;
import io.jeras.bridge.HostValue;
import io.jeras.bridge.NameScopes;
import io.jeras.bridge.SessionOptions;
import io.jeras.bridge.VariableStore;
import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.WeightSpec;
import io.jeras.losses.Labels;
import io.jeras.losses.Prediction;
import io.jeras.metrics.Metric;
import io.jeras.mixedprecision.Autocast;
import io.jeras.models.Model;
import io.jeras.models.ModelInput;
import io.jeras.models.ModelLayer;
import io.jeras.models.Node;
import io.jeras.optimizers.LossScaleOptimizer;
import io.jeras.optimizers.Optimizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Builds a {@link ModelGraph}. {@link #model} and {@link #custom} run the steps in order, each
 * step emitting its part of the graph and returning what the later ones use: the weights
 * ({@link GraphWeights}), placeholders, forward passes ({@link Pass}: predictions and the layers'
 * updates), the training part ({@link GraphHandles.Training}: losses, metrics and the {@link
 * OptimizerStep}); then {@link #start} opens the session and hands the {@link GraphHandles} to
 * the runtime. What the builder itself keeps is what every step adds to and nothing reads back
 * before the end: the variables' initial values, objects layers share, session starters.
 */
final class GraphBuilder {
  static final String TRAINING_SCOPE = "training";

  private final GraphRuntime runtime;
  private final NameScopes scopes;
  private final GraphVariables variables;
  private final Map<String, Object> shared = new HashMap<>();
  private final List<Consumer<Session>> sessionStarters = new ArrayList<>();

  /** A forward pass: the model's outputs and the updates its layers emitted (training mode). */
  record Pass(List<Prediction> predictions, List<Op> updates) {
    List<Operand<TFloat32>> values() {
      return predictions.stream().map(Prediction::values).toList();
    }
  }

  private GraphBuilder(GraphRuntime runtime, List<String> scopePaths) {
    this.runtime = runtime;
    this.scopes = new NameScopes(runtime.tf());
    scopes.prepare(scopePaths);
    this.variables = new GraphVariables(new VariableStore(scopes));
  }

  /**
   * The graph of a model: weights, input placeholders, the inference pass, unless {@code
   * inferenceOnly} the training pass, and when {@code compile} is given the training part.
   */
  static ModelGraph model(List<Node> nodes, List<ModelInput> modelInputs,
      List<Integer> outputNodes, CompileConfig compile, long seed, SessionOptions options,
      boolean inferenceOnly, Map<String, HostValue> initial) {
    GraphRuntime runtime = new GraphRuntime(options);
    try {
      GraphBuilder builder = new GraphBuilder(runtime, scopePaths(nodes, !inferenceOnly));
      GraphWeights weights = builder.createWeights(nodes, seed, initial);
      List<Placeholder<TFloat32>> inputs = new ArrayList<>();
      for (ModelInput input : modelInputs) {
        inputs.add(builder.placeholder(input.name(), input.shape()));
      }
      Pass inference = builder.forward("", nodes, outputNodes, weights, inputs, false);
      List<Operand<TFloat32>> outputs = new ArrayList<>();
      List<String> outputNames = new ArrayList<>();
      for (int i = 0; i < outputNodes.size(); i++) {
        outputs.add(runtime.tf().withName("output_" + i)
            .identity(inference.predictions().get(i).values()));
        outputNames.add(nodes.get(outputNodes.get(i)).name());
      }
      Pass training = inferenceOnly ? null
          : builder.forward(TRAINING_SCOPE, nodes, outputNodes, weights, inputs, true);
      GraphHandles.Training compiled = compile == null ? null
          : builder.compile(compile, weights, outputs, outputNames, inference, training);
      return builder.start(new GraphHandles(inputs, outputs,
          training == null ? List.of() : training.values(), outputNames, weights.names(),
          compiled));
    } catch (RuntimeException | Error e) {
      runtime.close();
      throw e;
    }
  }

  /**
   * The graph of a training step of one's own: the weights of every one of {@code models} under
   * the model's name ({@code generator/dense/kernel}, starting from the model's current
   * weights), placeholders {@code x_0, ...} and {@code y_0, ...} for a batch, and what {@code
   * step} emits.
   */
  static ModelGraph custom(List<Model> models, List<Shape> xShapes, List<Shape> yShapes,
      TrainStep step, long seed, SessionOptions options) {
    List<Node> nodes = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Model model : models) {
      checkArgument(names.add(model.name()), "two models of a training step are both named"
          + " %s; name them apart (Sequential.named(\"generator\"))", model.name());
      List<Integer> indices = new ArrayList<>();
      List<Shape> shapes = new ArrayList<>();
      for (int i = 0; i < model.inputs().size(); i++) {
        indices.add(-(i + 1));
        shapes.add(model.inputs().get(i).shape());
      }
      nodes.add(new Node(model.asLayer().name(model.name()), indices, shapes,
          model.outputShape()));
    }
    GraphRuntime runtime = new GraphRuntime(options);
    try {
      GraphBuilder builder = new GraphBuilder(runtime, scopePaths(nodes, false));
      GraphWeights weights = builder.createWeights(nodes, seed, Map.of());
      List<Placeholder<TFloat32>> inputs = new ArrayList<>();
      for (int i = 0; i < xShapes.size(); i++) {
        inputs.add(builder.placeholder("x_" + i, xShapes.get(i)));
      }
      List<Placeholder<TFloat32>> labels = new ArrayList<>();
      for (int i = 0; i < yShapes.size(); i++) {
        labels.add(builder.placeholder("y_" + i, yShapes.get(i)));
      }
      CustomStep context = new CustomStep(builder, models, nodes, weights, inputs, labels, seed);
      step.build(context);
      return builder.start(new GraphHandles(inputs, List.of(), List.of(), List.of(),
          weights.names(), context.finish(yShapes)));
    } catch (RuntimeException | Error e) {
      runtime.close();
      throw e;
    }
  }

  /** Writes every initial value, runs the layers' session starters: the graph can run. */
  private ModelGraph start(GraphHandles handles) {
    variables.initialize(runtime.session());
    sessionStarters.forEach(start -> start.accept(runtime.session()));
    return new ModelGraph(runtime, variables.store(), handles);
  }

  /**
   * The scopes the layers' ops and variables will live in: each layer's (nested models' layers
   * too), under the training pass and the variable writers as well.
   */
  private static List<String> scopePaths(List<Node> nodes, boolean training) {
    List<String> layers = new ArrayList<>();
    collectLayerPaths(nodes, "", layers);
    List<String> paths = new ArrayList<>();
    for (String layer : layers) {
      paths.add(layer);
      paths.add(VariableStore.ASSIGN_SCOPE + "/" + layer);
      if (training) {
        paths.add(TRAINING_SCOPE + "/" + layer);
      }
    }
    return paths;
  }

  private static void collectLayerPaths(List<Node> nodes, String prefix, List<String> into) {
    Set<String> seen = new HashSet<>();
    for (Node node : nodes) {
      if (seen.add(node.name())) {
        into.add(prefix + node.name());
        if (node.layer() instanceof ModelLayer nested) {
          collectLayerPaths(nested.model().nodes(), prefix + node.name() + "/", into);
        }
      }
    }
  }

  /** The weights {@code nodes} create, by name ({@code conv2d/kernel}), in graph order. */
  static Map<String, WeightSpec> weightSpecs(List<Node> nodes) {
    Map<String, WeightSpec> specs = new LinkedHashMap<>();
    for (Node node : nodes) {
      for (WeightSpec spec : node.weights()) {
        specs.putIfAbsent(node.name() + "/" + spec.name(), spec);
      }
    }
    return specs;
  }

  /**
   * Creates each layer's weights once (shared layers have several nodes), from {@code initial}
   * where it holds a value of the right shape, else from the initializer; draws node seeds.
   */
  GraphWeights createWeights(List<Node> nodes, long seed, Map<String, HostValue> initial) {
    Random seeds = new Random(seed);
    long[] nodeSeeds = new long[nodes.size()];
    List<String> names = new ArrayList<>();
    Map<String, WeightSpec> specs = new LinkedHashMap<>();
    Map<String, Variable<TFloat32>> vars = new LinkedHashMap<>();
    Map<String, Operand<TFloat32>> reads = new LinkedHashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      nodeSeeds[i] = seeds.nextLong();
      Random weightSeeds = new Random(nodeSeeds[i]);
      for (WeightSpec spec : nodes.get(i).weights()) {
        String name = nodes.get(i).name() + "/" + spec.name();
        long weightSeed = weightSeeds.nextLong();
        if (specs.containsKey(name)) {
          continue;
        }
        HostValue given = initial.get(name);
        if (given == null || !given.shape().equals(spec.shape())) {
          long initSeed = spec.initializer().seed() != null ? spec.initializer().seed()
              : weightSeed;
          given = HostValue.of(spec.shape(), spec.initializer().generate(spec.shape(), initSeed));
        }
        vars.put(name, variables.create(name, given));
        reads.put(name, variables.read(name));
        specs.put(name, spec);
        names.add(name);
      }
    }
    return new GraphWeights(List.copyOf(names), specs, vars, reads, nodeSeeds);
  }

  private Placeholder<TFloat32> placeholder(String name, Shape shape) {
    return runtime.tf().withName(name).placeholder(TFloat32.class, Placeholder.shape(shape));
  }

  /** Emits one forward pass of {@code nodes} under {@code prefix}. */
  private Pass forward(String prefix, List<Node> nodes, List<Integer> outputNodes,
      GraphWeights weights, List<Placeholder<TFloat32>> inputs, boolean training) {
    LayerCallContext.Pass pass = new LayerCallContext.Pass(this, weights.reads(),
        weights.variables(), new ArrayList<>(), new HashMap<>(), List.of(), training);
    List<Operand<TFloat32>> results = Node.forward(nodes, inputs, List.of(), new Node.Runner() {
      @Override
      public Layer<?> layer(int index, Node node) {
        return node.layer();
      }

      @Override
      public CallContext context(int index, Node node, Layer<?> layer) {
        String scope = prefix.isEmpty() ? node.name() : prefix + "/" + node.name();
        return new LayerCallContext(pass, scope, node.name(), training && layer.followsTraining(),
            layer.computeType(), weights.nodeSeeds()[index]);
      }
    }).results();
    // Outputs, losses and metrics in float32 whatever the layers computed in, as in Keras. A
    // 16-bit output is cast, and Keras' loss then no longer sees the softmax's logits: it
    // computes the cross-entropy from the (16-bit) probabilities, and so does Jeras.
    List<Prediction> predictions = new ArrayList<>();
    for (int index : outputNodes) {
      predictions.add(prediction(scopes.at(prefix), results.get(index), pass));
    }
    return new Pass(predictions, pass.updates());
  }

  /** A layer's output as the losses take it: float32, with its logits if it has them. */
  static Prediction prediction(Ops tf, Operand<TFloat32> out, LayerCallContext.Pass pass) {
    boolean cast = out.type() != TFloat32.class;
    return new Prediction(Autocast.to(tf, out, TFloat32.class),
        cast ? null : pass.logits().get(out.asOutput()));
  }

  /**
   * The training part: a labels placeholder per output and the {@code sample_weight} one, the
   * total loss (then each output's) and the metrics' state increments of the training pass and
   * of the inference pass, and the optimizer's step on the gradients of the training loss.
   */
  private GraphHandles.Training compile(CompileConfig compile, GraphWeights weights,
      List<Operand<TFloat32>> outputs, List<String> outputNames, Pass inference, Pass training) {
    Ops tf = runtime.tf();
    boolean single = compile.outputs().size() == 1;
    List<Placeholder<TFloat32>> labels = new ArrayList<>();
    List<Shape> labelShapes = new ArrayList<>();
    for (int i = 0; i < compile.outputs().size(); i++) {
      Shape labelShape = compile.outputs().get(i).loss().labels() == Labels.SPARSE
          ? Shape.of(Shape.UNKNOWN_SIZE) : outputs.get(i).shape();
      labelShapes.add(labelShape);
      labels.add(placeholder(single ? "labels" : "labels_" + outputNames.get(i), labelShape));
    }
    Operand<TFloat32> sampleWeights = tf.withName("sample_weight")
        .placeholderWithDefault(tf.constant(new float[] {1f}), Shape.of(Shape.UNKNOWN_SIZE));
    WeightedLosses losses = new WeightedLosses(sampleWeights);
    GraphWeights.Trainables trainable = weights.trainable("", weights.reads());
    Operand<TFloat32> regularization =
        regularization(scopes.at(TRAINING_SCOPE + "/loss"), trainable);
    List<Operand<TFloat32>> trainFetches = new ArrayList<>(totalLoss(losses,
        scopes.at(TRAINING_SCOPE + "/loss"), compile, labels, training, regularization));
    List<Operand<TFloat32>> testFetches = new ArrayList<>(totalLoss(losses,
        scopes.at("evaluation/loss"), compile, labels, inference, regularization));
    List<GraphHandles.Log> logs = new ArrayList<>();
    logs.add(new GraphHandles.Log("loss", null, 1));
    if (!single) {
      outputNames.forEach(name -> logs.add(new GraphHandles.Log(name + "_loss", null, 1)));
    }
    for (int i = 0; i < compile.outputs().size(); i++) {
      for (Metric metric : compile.outputs().get(i).metrics()) {
        String key = single ? metric.name() : outputNames.get(i) + "_" + metric.name();
        logs.add(new GraphHandles.Log(key, metric, metric.stateSize(outputs.get(i).shape())));
        trainFetches.add(update(metric, scopes.at(TRAINING_SCOPE + "/metrics/" + key),
            labels.get(i), training.predictions().get(i), sampleWeights));
        testFetches.add(update(metric, scopes.at("evaluation/metrics/" + key), labels.get(i),
            inference.predictions().get(i), sampleWeights));
      }
    }
    OptimizerStep step = optimizerStep(compile.optimizer(), trainable, trainFetches,
        training.updates());
    return new GraphHandles.Training(labels, labelShapes, sampleWeights, step.op(),
        trainFetches, testFetches, logs, step.finalizeWeights(), step.scope(),
        step.learningRate());
  }

  /** A metric's state increment: with the sample weights if it is a weighted metric. */
  private static Operand<TFloat32> update(Metric metric, Ops tf, Operand<TFloat32> labels,
      Prediction prediction, Operand<TFloat32> sampleWeights) {
    return metric.isWeighted()
        ? metric.update(tf, labels, prediction.values(), sampleWeights)
        : metric.update(tf, labels, prediction.values());
  }

  /**
   * The gradients of the training loss ({@code trainFetches}' first) and the optimizer's step
   * on them, once they, the loss and the metrics are computed (no update can race a read of
   * the weights it changes); under a {@link LossScaleOptimizer}, of the scaled loss, applied by
   * the inner optimizer only when all are finite.
   */
  private OptimizerStep optimizerStep(Optimizer optimizer, GraphWeights.Trainables trainable,
      List<Operand<TFloat32>> trainFetches, List<Op> layerUpdates) {
    if (!(optimizer instanceof LossScaleOptimizer scaled)) {
      List<Output<TFloat32>> gradients = Gradients.of(graph(), "gradients",
          trainFetches.get(0), trainable.reads(), trainable.names());
      return OptimizerStep.emit(scopes, variables, optimizer, trainable, gradients,
          computedBy(gradients, trainFetches), layerUpdates, List.of());
    }
    LossScaling scaling = new LossScaling(scaled, scopes, variables);
    List<Output<TFloat32>> unscaled = scaling.unscale(Gradients.of(graph(), "gradients",
        scaling.scale(trainFetches.get(0)), trainable.reads(), trainable.names()));
    return OptimizerStep.emit(scopes, variables, scaled.innerOptimizer(), trainable,
        scaling.gate(unscaled), computedBy(unscaled, trainFetches), layerUpdates,
        scaling.updates());
  }

  /** Every gradient's op and every fetch's op: what a step's updates wait for. */
  static List<Operation> computedBy(List<Output<TFloat32>> gradients,
      List<Operand<TFloat32>> fetches) {
    List<Operation> computed = new ArrayList<>();
    gradients.forEach(g -> computed.add(g.op()));
    fetches.forEach(f -> computed.add(f.op()));
    return computed;
  }

  /** The total loss, then (with several outputs) each output's loss. */
  private static List<Operand<TFloat32>> totalLoss(WeightedLosses losses, Ops tf,
      CompileConfig compile, List<Placeholder<TFloat32>> labels, Pass pass,
      Operand<TFloat32> regularization) {
    List<Operand<TFloat32>> perOutput = new ArrayList<>();
    Operand<TFloat32> total = null;
    for (int i = 0; i < pass.predictions().size(); i++) {
      CompileConfig.OutputSpec spec = compile.outputs().get(i);
      Operand<TFloat32> loss = losses.reduce(tf, spec.loss().reduction(),
          spec.loss().call(tf, labels.get(i), pass.predictions().get(i)));
      perOutput.add(loss);
      Operand<TFloat32> weighted = spec.weight() == 1.0 ? loss
          : tf.math.mul(tf.constant((float) spec.weight()), loss);
      total = total == null ? weighted : tf.math.add(total, weighted);
    }
    List<Operand<TFloat32>> fetches = new ArrayList<>();
    fetches.add(regularization == null ? total : tf.math.add(total, regularization));
    if (perOutput.size() > 1) {
      fetches.addAll(perOutput);
    }
    return fetches;
  }

  /** The sum of the trainable weights' regularization penalties; null when none has one. */
  private static Operand<TFloat32> regularization(Ops tf, GraphWeights.Trainables trainable) {
    Operand<TFloat32> total = null;
    for (int i = 0; i < trainable.names().size(); i++) {
      WeightSpec spec = trainable.specs().get(i);
      if (spec.regularizer() != null) {
        Operand<TFloat32> penalty = spec.regularizer().penalty(tf, trainable.reads().get(i));
        total = total == null ? penalty : tf.math.add(total, penalty);
      }
    }
    return total;
  }

  NameScopes scopes() {
    return scopes;
  }

  GraphVariables variables() {
    return variables;
  }

  Graph graph() {
    return runtime.graph();
  }

  /** An object layers share in this graph (one per key), built by the first that asks. */
  <T> T shared(String key, Supplier<T> builder) {
    @SuppressWarnings("unchecked")
    T value = (T) shared.computeIfAbsent(key, k -> builder.get());
    return value;
  }

  /** Runs {@code action} once the session is open and the weights are written. */
  void onSessionStart(Consumer<Session> action) {
    sessionStarters.add(action);
  }
}
