package io.jeras.trainers;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.base.Suppliers;
import io.jeras.activations.Activations;
import io.jeras.bridge.FusedOps;
import io.jeras.bridge.GraphRuntime;
import io.jeras.bridge.Gradients;
import io.jeras.bridge.HostValue;
import io.jeras.bridge.NameScopes;
import io.jeras.bridge.SessionOptions;
import io.jeras.bridge.Tensors;
import io.jeras.bridge.VariableStore;
import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.WeightSpec;
import io.jeras.losses.Labels;
import io.jeras.losses.Loss;
import io.jeras.losses.Prediction;
import io.jeras.losses.Reduction;
import io.jeras.metrics.Metric;
import io.jeras.mixedprecision.Autocast;
import io.jeras.models.Model;
import io.jeras.models.ModelInput;
import io.jeras.models.Node;
import io.jeras.optimizers.LossScaleOptimizer;
import io.jeras.optimizers.Optimizer;
import io.jeras.optimizers.OptimizerContext;
import io.jeras.optimizers.schedules.LearningRateSchedule;
import io.jeras.utils.Reductions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

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
 */
public final class ModelGraph implements AutoCloseable {
  private static final String TRAINING_SCOPE = "training";

  private final GraphRuntime runtime;
  private final NameScopes scopes;
  private final VariableStore store;
  private final List<Placeholder<TFloat32>> inputs = new ArrayList<>();
  private final List<Operand<TFloat32>> outputs = new ArrayList<>();
  private final List<Operand<TFloat32>> trainingOutputs = new ArrayList<>();
  private final List<Placeholder<TFloat32>> labels = new ArrayList<>();
  /** Keras' {@code sample_weight}, one per sample; {@code [1]} when not fed. */
  private Operand<TFloat32> sampleWeights;
  private final List<Shape> labelShapes = new ArrayList<>();
  private final List<String> outputNames = new ArrayList<>();
  private final Op trainOp;
  private final List<Operand<TFloat32>> trainFetches = new ArrayList<>();
  private final List<Operand<TFloat32>> testFetches = new ArrayList<>();
  private final List<String> logKeys = new ArrayList<>();
  private final Map<String, Metric> logMetrics = new LinkedHashMap<>();
  private final Map<String, Integer> metricStateSizes = new LinkedHashMap<>();
  private final List<String> weightNames = new ArrayList<>();
  private final Map<String, WeightSpec> specs = new LinkedHashMap<>();
  private final Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
  private final Map<String, Operand<TFloat32>> weights = new LinkedHashMap<>();
  /** Values written when the session starts; emptied then (they can be large). */
  private final Map<String, HostValue> initialValues = new LinkedHashMap<>();
  private final Map<String, Object> shared = new HashMap<>();
  private final List<Consumer<Session>> sessionStarters = new ArrayList<>();
  private final List<Op> layerUpdates = new ArrayList<>();
  private final String optimizerScope;
  /** The rate the next step uses: the learning-rate variable, or the schedule at the step. */
  private Operand<TFloat32> currentLearningRate;
  /** With {@code use_ema}: sets every trainable weight to its moving average. */
  private final List<Op> finalizeWeights = new ArrayList<>();
  private RunningMeans batchLogs;

  private ModelGraph(List<Node> nodes, List<ModelInput> modelInputs, List<Integer> outputNodes,
      CompileConfig compile, long seed, SessionOptions options, boolean inferenceOnly,
      Map<String, HostValue> initial) {
    runtime = new GraphRuntime(options);
    try {
      Ops tf = runtime.tf();
      scopes = new NameScopes(tf);
      scopes.prepare(scopePaths(nodes, !inferenceOnly));
      store = new VariableStore(scopes);
      long[] nodeSeeds = createWeights(nodes, seed, initial);
      for (ModelInput input : modelInputs) {
        inputs.add(tf.withName(input.name()).placeholder(TFloat32.class,
            Placeholder.shape(input.shape())));
      }
      List<Prediction> inference = forward("", nodes, outputNodes, nodeSeeds, false);
      for (int i = 0; i < inference.size(); i++) {
        outputs.add(tf.withName("output_" + i).identity(inference.get(i).values()));
        outputNames.add(nodes.get(outputNodes.get(i)).name());
      }
      List<Prediction> training = inferenceOnly ? null
          : forward(TRAINING_SCOPE, nodes, outputNodes, nodeSeeds, true);
      if (training != null) {
        training.forEach(p -> trainingOutputs.add(p.values()));
      }
      if (compile == null) {
        trainOp = null;
        optimizerScope = null;
      } else {
        trainOp = compileTraining(compile, inference, training);
        optimizerScope = compile.optimizer() instanceof LossScaleOptimizer scaled
            ? scaled.innerOptimizer().name() : compile.optimizer().name();
      }
      startSession();
    } catch (RuntimeException | Error e) {
      runtime.close();
      throw e;
    }
  }

  /**
   * The graph of a training step of one's own: the weights of every one of {@code models}
   * under the model's name ({@code generator/dense/kernel}, starting from the model's current
   * weights), placeholders for a batch ({@code xShapes}, {@code yShapes}, batch first), and
   * what {@code step} emits; {@link #trainStep} runs it, returning the logged values.
   */
  public static ModelGraph buildCustom(List<Model> models, List<Shape> xShapes,
      List<Shape> yShapes, TrainStep step, long seed, SessionOptions options) {
    return new ModelGraph(models, xShapes, yShapes, step, seed, options);
  }

  private ModelGraph(List<Model> models, List<Shape> xShapes, List<Shape> yShapes,
      TrainStep step, long seed, SessionOptions options) {
    runtime = new GraphRuntime(options);
    try {
      Ops tf = runtime.tf();
      scopes = new NameScopes(tf);
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
      scopes.prepare(scopePaths(nodes, false));
      store = new VariableStore(scopes);
      long[] nodeSeeds = createWeights(nodes, seed, Map.of());
      for (int i = 0; i < xShapes.size(); i++) {
        inputs.add(tf.withName("x_" + i).placeholder(TFloat32.class,
            Placeholder.shape(xShapes.get(i))));
      }
      for (int i = 0; i < yShapes.size(); i++) {
        labelShapes.add(yShapes.get(i));
        labels.add(tf.withName("y_" + i).placeholder(TFloat32.class,
            Placeholder.shape(yShapes.get(i))));
      }
      CustomStep context = new CustomStep(models, nodes, nodeSeeds, seed);
      step.build(context);
      trainOp = context.finish();
      optimizerScope = null;
      startSession();
    } catch (RuntimeException | Error e) {
      runtime.close();
      throw e;
    }
  }

  /** Opens the session, writes every initial value and runs the layers' session starters. */
  private void startSession() {
    store.write(runtime.session(), initialValues);
    initialValues.clear();
    sessionStarters.forEach(start -> start.accept(runtime.session()));
  }

  /** The weights of {@code model} in a graph built by {@link #buildCustom}, by its own names. */
  public Map<String, HostValue> modelWeights(Model model) {
    String prefix = model.name() + "/";
    List<String> names = new ArrayList<>();
    for (String name : weightNames) {
      if (name.startsWith(prefix)) {
        names.add(name);
      }
    }
    Map<String, HostValue> values = new LinkedHashMap<>();
    read(names).forEach((name, value) -> values.put(name.substring(prefix.length()), value));
    return values;
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
    return new ModelGraph(nodes, inputs, outputs, compile, seed, options, false, initial);
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
    return new ModelGraph(nodes, inputs, outputs, null, seed, options, true, initial);
  }

  /** Whether this graph holds the training forward pass (Dropout active). */
  public boolean hasTrainingPass() {
    return !trainingOutputs.isEmpty();
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
        if (node.layer() instanceof io.jeras.models.ModelLayer nested) {
          collectLayerPaths(nested.model().nodes(), prefix + node.name() + "/", into);
        }
      }
    }
  }

  /** The weights {@code nodes} create, by name ({@code conv2d/kernel}), in graph order. */
  public static Map<String, WeightSpec> weightSpecs(List<Node> nodes) {
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
   * where it holds a value of the right shape, else from the initializer; returns node seeds.
   */
  private long[] createWeights(List<Node> nodes, long seed, Map<String, HostValue> initial) {
    Random seeds = new Random(seed);
    long[] nodeSeeds = new long[nodes.size()];
    for (int i = 0; i < nodes.size(); i++) {
      nodeSeeds[i] = seeds.nextLong();
      Random weightSeeds = new Random(nodeSeeds[i]);
      for (WeightSpec spec : nodes.get(i).weights()) {
        String name = nodes.get(i).name() + "/" + spec.name();
        long weightSeed = weightSeeds.nextLong();
        if (specs.containsKey(name)) {
          continue;
        }
        variables.put(name, store.create(name, spec.shape(), TFloat32.class));
        weights.put(name, store.read(name, TFloat32.class));
        specs.put(name, spec);
        HostValue given = initial.get(name);
        if (given != null && given.shape().equals(spec.shape())) {
          initialValues.put(name, given);
        } else {
          long initSeed = spec.initializer().seed() != null ? spec.initializer().seed()
              : weightSeed;
          initialValues.put(name,
              HostValue.of(spec.shape(), spec.initializer().generate(spec.shape(), initSeed)));
        }
        weightNames.add(name);
      }
    }
    return nodeSeeds;
  }

  /** Emits one forward pass; returns the model outputs with their logits, if any. */
  private List<Prediction> forward(String prefix, List<Node> nodes, List<Integer> outputNodes,
      long[] nodeSeeds, boolean training) {
    Map<Output<?>, Operand<TFloat32>> logits = new HashMap<>();
    List<Operand<TFloat32>> results = Node.forward(nodes, inputs, new Node.Runner() {
      @Override
      public Layer<?> layer(int index, Node node) {
        return node.layer();
      }

      @Override
      public CallContext context(int index, Node node, Layer<?> layer) {
        String scope = prefix.isEmpty() ? node.name() : prefix + "/" + node.name();
        return new NodeContext(scope, node.name(), training && layer.followsTraining(),
            training, layer.computeType(), nodeSeeds[index], logits);
      }
    });
    // Outputs, losses and metrics in float32 whatever the layers computed in, as in Keras. A
    // 16-bit output is cast, and Keras' loss then no longer sees the softmax's logits: it
    // computes the cross-entropy from the (16-bit) probabilities, and so does Jeras.
    Ops tf = scopes.at(prefix);
    List<Prediction> predictions = new ArrayList<>();
    for (int index : outputNodes) {
      Operand<TFloat32> out = results.get(index);
      boolean cast = out.type() != TFloat32.class;
      predictions.add(new Prediction(Autocast.to(tf, out, TFloat32.class),
          cast ? null : logits.get(out.asOutput())));
    }
    return predictions;
  }

  /** What a layer sees while emitting its ops: its scope, weights, seed and the pass. */
  private final class NodeContext implements CallContext {
    private final String scope;
    private final String weightPrefix;
    private final boolean training;
    /** Whether the ops are the training pass, which gradients are taken of. */
    private final boolean trainingPass;
    /** The type weights are read in (null: as stored). */
    private final Class<? extends TFloating> computeType;
    private final long seed;
    private final Map<Output<?>, Operand<TFloat32>> logits;
    /** Ops every op of this context waits for (a training step's earlier layer updates). */
    private final List<Op> after;

    NodeContext(String scope, String weightPrefix, boolean training, boolean trainingPass,
        Class<? extends TFloating> computeType, long seed,
        Map<Output<?>, Operand<TFloat32>> logits) {
      this(scope, weightPrefix, training, trainingPass, computeType, seed, logits, List.of());
    }

    NodeContext(String scope, String weightPrefix, boolean training, boolean trainingPass,
        Class<? extends TFloating> computeType, long seed,
        Map<Output<?>, Operand<TFloat32>> logits, List<Op> after) {
      this.scope = scope;
      this.weightPrefix = weightPrefix;
      this.training = training;
      this.trainingPass = trainingPass;
      this.computeType = computeType;
      this.seed = seed;
      this.logits = logits;
      this.after = after;
    }

    @Override
    public Ops tf() {
      return after.isEmpty() ? scopes.at(scope) : scopes.at(scope).withControlDependencies(after);
    }

    @Override
    public boolean training() {
      return training;
    }

    @Override
    public Operand<TFloat32> weight(String name) {
      Operand<TFloat32> weight = weights.get(weightPrefix + "/" + name);
      if (weight == null) {
        throw new IllegalStateException("layer " + weightPrefix + " has no weight " + name);
      }
      return computeType == null ? weight : Autocast.to(tf(), weight, computeType);
    }

    @Override
    public Variable<TFloat32> variable(String name) {
      Variable<TFloat32> variable = variables.get(weightPrefix + "/" + name);
      if (variable == null) {
        throw new IllegalStateException("layer " + weightPrefix + " has no weight " + name);
      }
      return variable;
    }

    @Override
    public void addUpdate(Op update) {
      if (training) {
        layerUpdates.add(update);
      }
    }

    @Override
    public CallContext child(String name, long childSeed, boolean childTraining,
        Class<? extends TFloating> childType) {
      return new NodeContext(scope + "/" + name, weightPrefix + "/" + name,
          training && childTraining, trainingPass, childType, childSeed, logits, after);
    }

    @Override
    public long seed() {
      return seed;
    }

    @Override
    public <T> T shared(String key, Supplier<T> builder) {
      @SuppressWarnings("unchecked")
      T value = (T) ModelGraph.this.shared.computeIfAbsent(key, k -> builder.get());
      return value;
    }

    @Override
    public void onSessionStart(Consumer<Session> action) {
      sessionStarters.add(action);
    }

    @Override
    public Operand<TFloat32> activate(Activations activation, Operand<TFloat32> preActivation) {
      Operand<TFloat32> activated = activation.apply(tf(), preActivation);
      if (activation.producesProbabilities()) {
        logits.put(activated.asOutput(), preActivation);
      }
      return activated;
    }

    @Override
    public Operand<TFloat32> biasAndActivate(Activations activation, Operand<TFloat32> product,
        Operand<TFloat32> bias) {
      if (trainingPass && activation == Activations.RELU) {
        Operand<TFloat32> fused = FusedOps.biasRelu(tf(), product, bias);
        if (fused != null) {
          return fused;
        }
      }
      return activate(activation, tf().nn.biasAdd(product, bias));
    }
  }

  private Op compileTraining(CompileConfig compile, List<Prediction> inference,
      List<Prediction> training) {
    Ops tf = runtime.tf();
    boolean single = compile.outputs().size() == 1;
    for (int i = 0; i < compile.outputs().size(); i++) {
      Shape outputShape = outputs.get(i).shape();
      Shape labelShape = compile.outputs().get(i).loss().labels() == Labels.SPARSE
          ? Shape.of(Shape.UNKNOWN_SIZE) : outputShape;
      labelShapes.add(labelShape);
      labels.add(tf.withName(single ? "labels" : "labels_" + outputNames.get(i))
          .placeholder(TFloat32.class, Placeholder.shape(labelShape)));
    }
    sampleWeights = tf.withName("sample_weight")
        .placeholderWithDefault(tf.constant(new float[] {1f}), Shape.of(Shape.UNKNOWN_SIZE));
    List<String> trainable = new ArrayList<>();
    for (String name : weightNames) {
      if (specs.get(name).trainable()) {
        trainable.add(name);
      }
    }
    Ops lossScope = scopes.at(TRAINING_SCOPE + "/loss");
    Operand<TFloat32> regularization = regularization(lossScope, trainable);
    addLosses(trainFetches, scopes.at(TRAINING_SCOPE + "/loss"), compile, training,
        regularization);
    addLosses(testFetches, scopes.at("evaluation/loss"), compile, inference, regularization);
    logKeys.add("loss");
    if (!single) {
      outputNames.forEach(name -> logKeys.add(name + "_loss"));
    }
    for (int i = 0; i < compile.outputs().size(); i++) {
      for (Metric metric : compile.outputs().get(i).metrics()) {
        String key = single ? metric.name() : outputNames.get(i) + "_" + metric.name();
        logKeys.add(key);
        logMetrics.put(key, metric);
        metricStateSizes.put(key, metric.stateSize(outputs.get(i).shape()));
        Ops trainScope = scopes.at(TRAINING_SCOPE + "/metrics/" + key);
        trainFetches.add(metric.update(trainScope, labels.get(i), training.get(i).values()));
        Ops evalScope = scopes.at("evaluation/metrics/" + key);
        testFetches.add(metric.update(evalScope, labels.get(i), inference.get(i).values()));
      }
    }
    List<Operand<TFloat32>> trainableValues = new ArrayList<>();
    List<Variable<TFloat32>> trainableVars = new ArrayList<>();
    for (String name : trainable) {
      trainableValues.add(weights.get(name));
      trainableVars.add(variables.get(name));
    }
    if (!(compile.optimizer() instanceof LossScaleOptimizer scaled)) {
      List<Output<TFloat32>> gradients = Gradients.of(runtime.graph(), "gradients",
          trainFetches.get(0), trainableValues, trainable);
      return optimizerStep(optimizerOf(compile), trainable, trainableVars, gradients, gradients,
          computedBy(gradients), layerUpdates, List.of());
    }
    LossScaling scaling = new LossScaling(scaled, scopes, store, initialValues);
    List<Output<TFloat32>> unscaled = scaling.unscale(Gradients.of(runtime.graph(), "gradients",
        scaling.scale(trainFetches.get(0)), trainableValues, trainable));
    return optimizerStep(optimizerOf(compile), trainable, trainableVars, unscaled,
        scaling.gate(unscaled), computedBy(unscaled), layerUpdates, scaling.updates());
  }

  /** The optimizer that updates the weights (under loss scaling, the inner one). */
  private static Optimizer optimizerOf(CompileConfig compile) {
    return compile.optimizer() instanceof LossScaleOptimizer scaled
        ? scaled.innerOptimizer() : compile.optimizer();
  }

  /**
   * What the updates wait for: every gradient, the loss and the metrics, so no update can race
   * a read of the weights it changes.
   */
  private List<Operation> computedBy(List<Output<TFloat32>> gradients) {
    List<Operation> computed = new ArrayList<>();
    gradients.forEach(g -> computed.add(g.op()));
    trainFetches.forEach(f -> computed.add(f.op()));
    return computed;
  }

  /** The total loss, then (with several outputs) each output's loss, into {@code fetches}. */
  private void addLosses(List<Operand<TFloat32>> fetches, Ops tf, CompileConfig compile,
      List<Prediction> predictions, Operand<TFloat32> regularization) {
    List<Operand<TFloat32>> perOutput = new ArrayList<>();
    Operand<TFloat32> total = null;
    for (int i = 0; i < predictions.size(); i++) {
      CompileConfig.OutputSpec spec = compile.outputs().get(i);
      Operand<TFloat32> loss = reduce(tf, spec.loss().reduction(),
          weighted(tf, spec.loss().call(tf, labels.get(i), predictions.get(i))));
      perOutput.add(loss);
      Operand<TFloat32> weighted = spec.weight() == 1.0 ? loss
          : tf.math.mul(tf.constant((float) spec.weight()), loss);
      total = total == null ? weighted : tf.math.add(total, weighted);
    }
    fetches.add(regularization == null ? total : tf.math.add(total, regularization));
    if (predictions.size() > 1) {
      fetches.addAll(perOutput);
    }
  }

  /**
   * Keras' {@code reduce_weighted_values} before the mean: each sample's losses times its
   * weight (the weights shaped {@code (batch, 1, ...)} to the losses' rank).
   */
  private Operand<TFloat32> weighted(Ops tf, Operand<TFloat32> losses) {
    return sampleWeights == null ? losses : tf.math.mul(losses, weightsLike(tf, losses));
  }

  /**
   * The sample weights shaped to broadcast over {@code losses}: {@code (batch, 1, ...)}; ones
   * in a graph without them (a training step of one's own).
   */
  private Operand<TFloat32> weightsLike(Ops tf, Operand<TFloat32> losses) {
    if (sampleWeights == null) {
      return ones(tf, losses);
    }
    int rank = losses.shape().numDimensions();
    if (rank <= 1) {
      return sampleWeights;
    }
    long[] shape = new long[rank];
    Arrays.fill(shape, 1);
    shape[0] = -1;
    return tf.reshape(sampleWeights, tf.constant(shape));
  }

  /**
   * Keras' {@code reduce_values} of weighted losses: their sum, divided by their number (the
   * default), by the sum of the sample weights ({@code mean_with_sample_weight}; 0 when that
   * is 0), or not at all ({@code sum}).
   */
  private Operand<TFloat32> reduce(Ops tf, Reduction reduction, Operand<TFloat32> weighted) {
    return switch (reduction) {
      case SUM_OVER_BATCH_SIZE, MEAN -> meanOf(tf, weighted);
      case SUM -> tf.reduceSum(weighted, Reductions.allAxes(tf, weighted));
      case MEAN_WITH_SAMPLE_WEIGHT -> tf.math.divNoNan(
          tf.reduceSum(weighted, Reductions.allAxes(tf, weighted)),
          tf.reduceSum(tf.math.mul(ones(tf, weighted), weightsLike(tf, weighted)),
              Reductions.allAxes(tf, weighted)));
    };
  }

  /**
   * Ones of the shape of {@code x}, as {@code stop_gradient(x) * 0 + 1}: TensorFlow's C++
   * gradient registry has no gradient for OnesLike, which the gradients would pass through.
   */
  private static Operand<TFloat32> ones(Ops tf, Operand<TFloat32> x) {
    return tf.math.add(tf.math.mul(tf.stopGradient(x), tf.constant(0f)), tf.constant(1f));
  }

  private Operand<TFloat32> regularization(Ops tf, List<String> trainable) {
    Operand<TFloat32> total = null;
    for (String name : trainable) {
      if (specs.get(name).regularizer() != null) {
        Operand<TFloat32> penalty = specs.get(name).regularizer().penalty(tf, weights.get(name));
        total = total == null ? penalty : tf.math.add(total, penalty);
      }
    }
    return total;
  }

  private static Operand<TFloat32> meanOf(Ops tf, Operand<TFloat32> values) {
    return tf.math.mean(values, Reductions.allAxes(tf, values));
  }

  /**
   * The optimizer's updates of {@code applied} (the gradients, or under loss scaling the ones
   * that are dead when not all are finite), once every op in {@code computed} has run; then
   * {@code withLayerUpdates} (BatchNormalization's statistics), the iteration increment, and
   * {@code alsoRun} (the loss scale's own updates, which run either way). The optimizer's
   * variables live under its name ({@code adam/...}; a second optimizer of the same name in
   * one graph gets {@code adam_1}, as Keras names it).
   */
  private Op optimizerStep(Optimizer optimizer, List<String> names,
      List<Variable<TFloat32>> trainableVars, List<Output<TFloat32>> gradients,
      List<Output<TFloat32>> applied, List<Operation> computed, List<Op> withLayerUpdates,
      List<Op> alsoRun) {
    String scope = uniqueScope(optimizer.name());
    Ops tf = scopes.at(scope);
    store.create(scope + "/iteration", Shape.scalar(), TInt64.class);
    @SuppressWarnings("unchecked")
    Variable<TInt64> iteration = (Variable<TInt64>) store.variable(scope + "/iteration");
    initialValues.put(scope + "/iteration", HostValue.ofLongs(Shape.scalar(), new long[] {0}));
    LearningRateSchedule schedule = optimizer.learningRateSchedule();
    if (schedule == null) {
      store.create(scope + "/learning_rate", Shape.scalar(), TFloat32.class);
      initialValues.put(scope + "/learning_rate",
          HostValue.of(Shape.scalar(), new float[] {optimizer.learningRate()}));
      currentLearningRate = store.read(scope + "/learning_rate", TFloat32.class);
    } else {
      // Keras: schedule(iterations), the count before this step's increment
      Ops at = scopes.at(scope + "/learning_rate_schedule");
      currentLearningRate = schedule.call(at,
          at.dtypes.cast(store.read(scope + "/iteration", TInt64.class), TFloat32.class));
    }
    Operand<TFloat32> learningRate = currentLearningRate;

    Ops afterComputed = tf.withControlDependencyOps(computed);
    Operand<TInt64> iterations = afterComputed.identity(iteration);
    Integer accumulationSteps = optimizer.gradientAccumulationSteps();
    Map<String, Operand<TFloat32>> scalars = new HashMap<>();
    GradientAccumulation accumulation = null;
    List<? extends Operand<TFloat32>> toApply = applied;
    Operand<TFloat32> step;
    if (accumulationSteps == null) {
      step = afterComputed.math.add(afterComputed.dtypes.cast(iterations, TFloat32.class),
          afterComputed.constant(1f));
    } else {
      accumulation = new GradientAccumulation(
          scopes.at(scope + "/gradient_accumulation").withControlDependencyOps(computed),
          accumulationSteps, iterations,
          new OptimizerStepContext(scope, computed, learningRate, null, null, scalars),
          names, applied);
      step = accumulation.step();
      toApply = accumulation.gradients();
    }
    // A once-per-step scalar (Nadam's u_product) also waits for every applied gradient: under
    // loss scaling a skipped step leaves it unchanged, as Keras does (and so does a step that
    // only accumulates). (Through identities: a control edge from a Switch is never dead, its
    // output can be.) Built only when an optimizer has such a scalar.
    List<? extends Operand<TFloat32>> gated = toApply;
    Supplier<Ops> scalarOps = Suppliers.memoize(() -> {
      List<Operation> beforeScalars = new ArrayList<>(computed);
      Ops gate = scopes.at(scope + "/step_gate");
      gated.forEach(g -> beforeScalars.add(gate.identity(g).op()));
      return tf.withControlDependencyOps(beforeScalars);
    });
    OptimizerContext context = new OptimizerStepContext(scope, computed, learningRate, step,
        scalarOps, scalars);
    List<Op> updates = optimizer.applyGradients(context, names, trainableVars, toApply);
    // After the updates (on a step that only accumulates, at once): the moving averages, then
    // the constraints, which Keras applies to the updated weights last.
    Op updated = tf.withControlDependencyOps(accumulation == null
        ? updates.stream().map(Op::op).toList()
        : List.of(accumulation.barrier(tf, updates).op())).noOp();
    // (the updates themselves only without accumulation: there they are dead on most steps)
    List<Op> done = new ArrayList<>(accumulation == null ? updates : List.of());
    done.add(updated);
    if (optimizer.useEma()) {
      Ops ema = scopes.at(scope + "/ema").withControlDependencies(List.of(updated));
      WeightAverages averages = new WeightAverages(ema, optimizer.emaMomentum(),
          optimizer.emaOverwriteFrequency(), accumulation == null ? iterations
              : ema.math.floorDiv(iterations, ema.constant((long) accumulationSteps)),
          context, names, trainableVars, scopes.at(scope + "/ema_finalize"));
      done.addAll(averages.updates());
      finalizeWeights.addAll(averages.finalizeWeights());
      updated = ema.withControlDependencies(averages.updates()).noOp();
    }
    Ops constraints = scopes.at(scope + "/constraints")
        .withControlDependencies(List.of(updated));
    for (int i = 0; i < trainableVars.size(); i++) {
      WeightSpec spec = specs.get(names.get(i));
      if (spec.constraint() != null) {
        Variable<TFloat32> variable = trainableVars.get(i);
        done.add(constraints.assign(variable, spec.constraint().apply(constraints, variable)));
      }
    }
    if (accumulation != null) {
      done.addAll(accumulation.accumulatorUpdates());
    }
    done.addAll(withLayerUpdates);
    Op increment = tf.withControlDependencies(done).withName("train_step")
        .assignAdd(iteration, tf.constant(1L));
    if (alsoRun.isEmpty()) {
      return increment;
    }
    List<Op> all = new ArrayList<>(alsoRun);
    all.add(increment);
    return tf.withControlDependencies(all).withName("train_step_done").noOp();
  }

  /** The {@link StepContext} of a graph built by {@link #buildCustom}. */
  private final class CustomStep implements StepContext {
    private final List<Model> models;
    private final List<Node> nodes;
    private final long[] nodeSeeds;
    private final Random seeds;
    private final Ops tf;
    private final List<Op> steps = new ArrayList<>();
    private final Map<String, Operand<TFloat32>> logged = new LinkedHashMap<>();
    private int calls;

    CustomStep(List<Model> models, List<Node> nodes, long[] nodeSeeds, long seed) {
      this.models = models;
      this.nodes = nodes;
      this.nodeSeeds = nodeSeeds;
      this.seeds = new Random(seed ^ 0x5DEECE66DL);
      this.tf = scopes.at("step");
    }

    @Override
    public Ops tf() {
      return tf;
    }

    @Override
    public Operand<TFloat32> x(int i) {
      checkArgument(i >= 0 && i < inputs.size(), "the batch has %s input(s), not %s",
          inputs.size(), i + 1);
      return inputs.get(i);
    }

    @Override
    public Operand<TFloat32> y(int i) {
      checkArgument(i >= 0 && i < labels.size(), "the batch has %s labels, not %s (fit"
          + " without y gives none)", labels.size(), i + 1);
      return labels.get(i);
    }

    @Override
    public Operand<TInt32> batchSize() {
      return tf.gather(tf.shape(inputs.get(0)), tf.constant(0), tf.constant(0));
    }

    @Override
    public Operand<TFloat32> normal(long... sampleShape) {
      List<Operand<TInt32>> dims = new ArrayList<>();
      dims.add(tf.reshape(batchSize(), tf.constant(new int[] {1})));
      for (long d : sampleShape) {
        dims.add(tf.constant(new int[] {Math.toIntExact(d)}));
      }
      return tf.random.randomStandardNormal(tf.concat(dims, tf.constant(0)), TFloat32.class,
          RandomStandardNormal.seed(seeds.nextLong()),
          RandomStandardNormal.seed2(seeds.nextLong()));
    }

    private int indexOf(Model model) {
      int index = models.indexOf(model);
      checkArgument(index >= 0, "model %s is not one of this step's models %s", model.name(),
          models.stream().map(Model::name).toList());
      return index;
    }

    @Override
    public Prediction call(Model model, List<Operand<TFloat32>> in, boolean training) {
      Node node = nodes.get(indexOf(model));
      checkArgument(in.size() == node.inputs().size(), "model %s takes %s input(s), got %s",
          model.name(), node.inputs().size(), in.size());
      Map<Output<?>, Operand<TFloat32>> logits = new HashMap<>();
      // each call draws its own seed, so two calls of one model get different dropout masks
      long callSeed = new Random(nodeSeeds[indexOf(model)] + 31L * calls).nextLong();
      // after the layer updates of earlier calls (BatchNormalization's moving statistics), as
      // Keras' train_step runs them in program order: the same result every run
      NodeContext context = new NodeContext("step/call_" + calls++ + "/" + node.name(),
          node.name(), training, true, null, callSeed, logits, List.copyOf(layerUpdates));
      Operand<TFloat32> out = Autocast.call(node.layer(), context, in);
      Operand<TFloat32> values = Autocast.to(tf, out, TFloat32.class);
      return new Prediction(values, out.type() == TFloat32.class
          ? logits.get(out.asOutput()) : null);
    }

    @Override
    public Operand<TFloat32> loss(Loss loss, Operand<TFloat32> yTrue,
        Prediction yPred) {
      return reduce(tf, loss.reduction(), loss.call(tf, yTrue, yPred));
    }

    @Override
    public void minimize(Operand<TFloat32> loss, Model model, Optimizer optimizer) {
      checkArgument(!(optimizer instanceof LossScaleOptimizer), "a LossScaleOptimizer in a"
          + " training step of one's own is not supported; pass its inner optimizer");
      String prefix = nodes.get(indexOf(model)).name() + "/";
      List<String> names = new ArrayList<>();
      List<Operand<TFloat32>> reads = new ArrayList<>();
      List<Variable<TFloat32>> vars = new ArrayList<>();
      for (String name : weightNames) {
        if (name.startsWith(prefix) && specs.get(name).trainable()) {
          names.add(name);
          reads.add(weights.get(name));
          vars.add(variables.get(name));
        }
      }
      checkArgument(!names.isEmpty(), "model %s has no trainable weights", model.name());
      List<Output<TFloat32>> gradients = Gradients.of(runtime.graph(),
          "gradients_" + steps.size(), loss, reads, names);
      List<Operation> computed = new ArrayList<>();
      gradients.forEach(g -> computed.add(g.op()));
      computed.add(loss.op());
      logged.values().forEach(v -> computed.add(v.op()));
      Op step = optimizerStep(optimizer, names, vars, gradients, gradients, computed, List.of(),
          List.of());
      steps.add(step);
      // forward passes from here on read the updated weights
      Ops after = scopes.at("step").withControlDependencies(List.of(step));
      for (String name : weightNames) {
        if (name.startsWith(prefix)) {
          weights.put(name, after.identity(variables.get(name)));
        }
      }
    }

    @Override
    public void log(String name, Operand<TFloat32> value) {
      checkArgument(name != null && !name.isEmpty(), "a logged value needs a name");
      checkArgument(!logged.containsKey(name), "%s is logged twice", name);
      logged.put(name, value);
    }

    /** The step's op: every update and the layers' statistics; the logged values as fetches. */
    Op finish() {
      checkArgument(!steps.isEmpty(), "the training step never calls minimize: nothing trains");
      logged.forEach((name, value) -> {
        logKeys.add(name);
        trainFetches.add(meanOf(tf, value));
      });
      List<Op> all = new ArrayList<>(steps);
      all.addAll(layerUpdates);
      return tf.withControlDependencies(all).withName("train_step").noOp();
    }
  }

  /** {@code name}, or {@code name_1}, {@code name_2}... if an optimizer already has it. */
  private String uniqueScope(String name) {
    String scope = name;
    for (int k = 1; store.contains(scope + "/iteration"); k++) {
      scope = name + "_" + k;
    }
    return scope;
  }

  /** The optimizer's view of the graph during one step: see {@link OptimizerContext}. */
  private final class OptimizerStepContext implements OptimizerContext {
    private final String scope;
    private final List<Operation> dependencies;
    private final Ops tf;
    private final Operand<TFloat32> learningRate;
    private final Operand<TFloat32> step;
    private final Supplier<Ops> scalarOps;
    private final Map<String, Operand<TFloat32>> scalars;

    OptimizerStepContext(String scope, List<Operation> dependencies,
        Operand<TFloat32> learningRate, Operand<TFloat32> step, Supplier<Ops> scalarOps,
        Map<String, Operand<TFloat32>> scalars) {
      this.scope = scope;
      this.dependencies = List.copyOf(dependencies);
      this.tf = scopes.at(scope).withControlDependencyOps(this.dependencies);
      this.learningRate = learningRate;
      this.step = step;
      this.scalarOps = scalarOps;
      this.scalars = scalars;
    }

    @Override
    public Ops tf() {
      return tf;
    }

    @Override
    public Operand<TFloat32> learningRate() {
      return learningRate;
    }

    @Override
    public Operand<TFloat32> step() {
      return step;
    }

    @Override
    public Variable<TFloat32> slot(String weight, String slot, float initialValue) {
      String name = scope + "/" + weight.replace('/', '_') + "_" + slot;
      if (store.contains(name)) {
        @SuppressWarnings("unchecked")
        Variable<TFloat32> existing = (Variable<TFloat32>) store.variable(name);
        return existing;
      }
      Shape shape = store.shape(weight);
      float[] values = new float[Math.toIntExact(shape.size())];
      Arrays.fill(values, initialValue);
      initialValues.put(name, HostValue.of(shape, values));
      return store.create(name, shape, TFloat32.class);
    }

    @Override
    public Operand<TFloat32> stepScalar(String name, float initialValue,
        BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> update) {
      return scalars.computeIfAbsent(name, unused -> {
        String path = scope + "/" + name;
        initialValues.put(path, HostValue.of(Shape.scalar(), new float[] {initialValue}));
        Variable<TFloat32> variable = store.create(path, Shape.scalar(), TFloat32.class);
        Ops tf = scalarOps.get();
        return tf.assign(variable, update.apply(tf, variable));
      });
    }

    @Override
    public OptimizerContext after(Op op) {
      List<Operation> more = new ArrayList<>(dependencies);
      more.add(op.op());
      return new OptimizerStepContext(scope, more, learningRate, step, scalarOps, scalars);
    }
  }

  /**
   * Keras' {@code finalize_variable_values}, run at the end of {@code fit}: with {@code
   * use_ema}, every trainable weight takes its moving average; otherwise nothing.
   */
  public void finalizeWeights() {
    if (finalizeWeights.isEmpty()) {
      return;
    }
    Session.Runner runner = runtime.session().runner();
    finalizeWeights.forEach(runner::addTarget);
    runner.run().close();
  }

  /**
   * One training step on a batch; returns the batch's loss and metrics (keys: {@link
   * #logKeys}). {@code ys}: one labels tensor per output, then optionally the samples' weights
   * (Keras' {@code sample_weight}, shape {@code (batch,)}).
   */
  public float[] trainStep(List<TFloat32> xs, List<TFloat32> ys) {
    Session.Runner runner = feed(runtime.session().runner(), xs, ys).addTarget(trainOp);
    trainFetches.forEach(runner::fetch);
    return fetchFloats(runner);
  }

  /** The loss and metrics of a batch in inference mode (no update). */
  public float[] testStep(List<TFloat32> xs, List<TFloat32> ys) {
    Session.Runner runner = feed(runtime.session().runner(), xs, ys);
    testFetches.forEach(runner::fetch);
    return fetchFloats(runner);
  }

  /** The model's outputs for a batch, in training mode (Dropout active) or inference mode. */
  public List<float[]> predictStep(List<TFloat32> xs, boolean training) {
    if (training && trainingOutputs.isEmpty()) {
      throw new IllegalStateException("this graph was built for inference only");
    }
    Session.Runner runner = feed(runtime.session().runner(), xs, List.of());
    (training ? trainingOutputs : outputs).forEach(runner::fetch);
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
      runner.feed(inputs.get(i), xs.get(i));
    }
    for (int i = 0; i < Math.min(labels.size(), ys.size()); i++) {
      runner.feed(labels.get(i), ys.get(i));
    }
    if (ys.size() > labels.size()) {
      runner.feed(sampleWeights, ys.get(labels.size()));
    }
    return runner;
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
    List<Integer> sizes = new ArrayList<>();
    List<Metric> metrics = new ArrayList<>();
    for (String key : logKeys) {
      metrics.add(logMetrics.get(key));
      sizes.add(metricStateSizes.getOrDefault(key, 1));
    }
    return new RunningMeans(logKeys, metrics, sizes);
  }

  /** Whether this graph can train (was built with a compile configuration). */
  public boolean isCompiled() {
    return trainOp != null;
  }

  /** The log keys of {@link #trainStep} and {@link #testStep}: "loss", then the others. */
  public List<String> logKeys() {
    return List.copyOf(logKeys);
  }

  /** The shapes of the labels the losses take, one per output, batch first. */
  public List<Shape> labelShapes() {
    return List.copyOf(labelShapes);
  }

  /** The input shapes, batch first. */
  public List<Shape> inputShapes() {
    return inputs.stream().map(Operand::shape).toList();
  }

  /** The output shapes, batch first. */
  public List<Shape> outputShapes() {
    return outputs.stream().map(Operand::shape).toList();
  }

  /** The output layers' names. */
  public List<String> outputNames() {
    return List.copyOf(outputNames);
  }

  /** The names of the layers' weights, in layer order ({@code conv2d/kernel}, ...). */
  public List<String> weightNames() {
    return List.copyOf(weightNames);
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
    if (trainOp == null) {
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
    names.removeAll(weightNames);
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
    return optimizerScope == null || scheduledLearningRate() ? null
        : optimizerScope + "/learning_rate";
  }

  /** Whether the learning rate follows a schedule of the step (and so cannot be set). */
  public boolean scheduledLearningRate() {
    return optimizerScope != null && !store.contains(optimizerScope + "/learning_rate");
  }

  /** The learning rate the next training step will use. */
  public float currentLearningRate() {
    try (Result result = runtime.session().runner().fetch(currentLearningRate).run()) {
      return Tensors.toFloat(result.get(0));
    }
  }

  /** The name of the optimizer's step counter (null when not compiled). */
  public String iterationName() {
    return optimizerScope == null ? null : optimizerScope + "/iteration";
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
    return List.copyOf(inputs);
  }

  /** The inference outputs ({@code output_0}, ...). */
  public List<Operand<TFloat32>> outputs() {
    return List.copyOf(outputs);
  }

  /** The labels placeholders, one per output (empty when not compiled). */
  public List<Placeholder<TFloat32>> labels() {
    return List.copyOf(labels);
  }

  /** The training target (null when not compiled). */
  public Op trainOp() {
    return trainOp;
  }

  /** The training loss (null when not compiled). */
  public Operand<TFloat32> trainLoss() {
    return trainFetches.isEmpty() ? null : trainFetches.get(0);
  }

  @Override
  public void close() {
    runtime.close();
  }
}
