package io.jeras.trainers;

import io.jeras.activations.Activations;
import io.jeras.bridge.GraphRuntime;
import io.jeras.bridge.Gradients;
import io.jeras.bridge.HostValue;
import io.jeras.bridge.NameScopes;
import io.jeras.bridge.SessionOptions;
import io.jeras.bridge.Tensors;
import io.jeras.bridge.VariableStore;
import io.jeras.layers.CallContext;
import io.jeras.layers.WeightSpec;
import io.jeras.losses.Labels;
import io.jeras.losses.Prediction;
import io.jeras.metrics.Metric;
import io.jeras.models.Node;
import io.jeras.optimizers.OptimizerContext;
import io.jeras.utils.Reductions;
import io.jeras.utils.Shapes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A model compiled into one TensorFlow graph, built once: the input placeholder, every weight as
 * a {@code VariableV2}, the inference forward pass and, when compiled for training, the labels
 * placeholder, the training forward pass (Dropout active), loss plus regularization, gradients
 * for the trainable weights, the optimizer's update ops and the metrics, on both passes.
 *
 * <p>A training step is one session run: feed a batch, run the update, fetch the loss and the
 * metrics of that batch (means over the batch; the caller weights them by batch size to get
 * Keras' running means). Names in the graph follow Keras: {@code conv2d/kernel},
 * {@code adam/conv2d_kernel_momentum}, {@code adam/iteration}; the training pass lives under
 * {@code training/}, the evaluation metrics under {@code evaluation/}.
 */
public final class ModelGraph implements AutoCloseable {
  private static final String TRAINING_SCOPE = "training";

  private final GraphRuntime runtime;
  private final VariableStore store;
  private final Placeholder<TFloat32> input;
  private final Operand<TFloat32> output;
  private final Operand<TFloat32> trainingOutput;
  private final Placeholder<TFloat32> labels;
  private final Op trainOp;
  private final List<Operand<TFloat32>> trainFetches = new ArrayList<>();
  private final List<Operand<TFloat32>> testFetches = new ArrayList<>();
  private final List<String> logKeys = new ArrayList<>();
  private final List<String> weightNames = new ArrayList<>();
  private final Map<String, HostValue> initialValues = new LinkedHashMap<>();
  private final Map<String, Object> shared = new HashMap<>();
  private final List<Consumer<Session>> sessionStarters = new ArrayList<>();
  private final Shape labelShape;
  private final String learningRateName;

  private ModelGraph(List<Node> nodes, String inputName, Shape inputShape, CompileConfig compile,
      long seed, SessionOptions options, boolean inferenceOnly) {
    runtime = new GraphRuntime(options);
    try {
      Ops tf = runtime.tf();
      NameScopes scopes = new NameScopes(tf);
      store = new VariableStore(scopes);
      Random seeds = new Random(seed);
      long[] nodeSeeds = new long[nodes.size()];
      Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
      Map<String, Operand<TFloat32>> weights = new LinkedHashMap<>();
      Map<String, WeightSpec> specs = new LinkedHashMap<>();
      for (int i = 0; i < nodes.size(); i++) {
        nodeSeeds[i] = seeds.nextLong();
        Random weightSeeds = new Random(nodeSeeds[i]);
        for (WeightSpec spec : nodes.get(i).weights()) {
          String name = nodes.get(i).name() + "/" + spec.name();
          variables.put(name, store.create(name, spec.shape(), TFloat32.class));
          weights.put(name, store.read(name, TFloat32.class));
          specs.put(name, spec);
          long weightSeed = weightSeeds.nextLong();
          long initSeed = spec.initializer().seed() != null ? spec.initializer().seed() : weightSeed;
          initialValues.put(name,
              HostValue.of(spec.shape(), spec.initializer().generate(spec.shape(), initSeed)));
          weightNames.add(name);
        }
      }

      input = tf.withName(inputName).placeholder(TFloat32.class,
          Placeholder.shape(inputShape));
      Prediction inference = forward(scopes, "", nodes, nodeSeeds, weights, input, false);
      output = tf.withName("output_0").identity(inference.values());
      Prediction training = inferenceOnly ? null
          : forward(scopes, TRAINING_SCOPE, nodes, nodeSeeds, weights, input, true);
      trainingOutput = inferenceOnly ? null : training.values();

      if (compile == null) {
        labels = null;
        trainOp = null;
        labelShape = null;
        learningRateName = null;
      } else {
        Shape outputShape = output.shape();
        labelShape = compile.loss().labels() == Labels.SPARSE
            ? Shape.of(Shape.UNKNOWN_SIZE) : outputShape;
        labels = tf.withName("labels").placeholder(TFloat32.class, Placeholder.shape(labelShape));

        List<String> trainable = new ArrayList<>();
        for (String name : weightNames) {
          if (specs.get(name).trainable()) {
            trainable.add(name);
          }
        }
        Ops lossScope = scopes.at(TRAINING_SCOPE + "/loss");
        Operand<TFloat32> regularization = regularization(lossScope, trainable, specs, weights);
        Operand<TFloat32> loss = totalLoss(lossScope, compile, training, regularization);
        logKeys.add("loss");
        trainFetches.add(loss);
        Operand<TFloat32> evalLoss =
            totalLoss(scopes.at("evaluation/loss"), compile, inference, regularization);
        testFetches.add(evalLoss);
        for (Metric metric : compile.metrics()) {
          logKeys.add(metric.name());
          trainFetches.add(meanOf(scopes.at(TRAINING_SCOPE + "/metrics/" + metric.name()),
              metric.call(scopes.at(TRAINING_SCOPE + "/metrics/" + metric.name()), labels,
                  training.values())));
          Ops evalScope = scopes.at("evaluation/metrics/" + metric.name());
          testFetches.add(meanOf(evalScope, metric.call(evalScope, labels, inference.values())));
        }

        List<Operand<TFloat32>> trainableValues = new ArrayList<>();
        List<Variable<TFloat32>> trainableVars = new ArrayList<>();
        for (String name : trainable) {
          trainableValues.add(weights.get(name));
          trainableVars.add(variables.get(name));
        }
        List<Output<TFloat32>> gradients =
            Gradients.of(runtime.graph(), "gradients", loss, trainableValues, trainable);
        trainOp = optimizerStep(scopes, compile, trainable, trainableVars, gradients);
        learningRateName = compile.optimizer().name() + "/learning_rate";
      }
      runtime.session();
      store.write(runtime.session(), initialValues);
      sessionStarters.forEach(start -> start.accept(runtime.session()));
    } catch (RuntimeException | Error e) {
      runtime.close();
      throw e;
    }
  }

  /** Builds the graph of {@code nodes} (inference only when {@code compile} is null). */
  public static ModelGraph build(List<Node> nodes, String inputName, Shape inputShape,
      CompileConfig compile, long seed, SessionOptions options) {
    return new ModelGraph(nodes, inputName, inputShape, compile, seed, options, false);
  }

  /**
   * Builds only the weights and the inference pass (no training pass, loss or optimizer): the
   * graph a SavedModel export writes.
   */
  public static ModelGraph buildInference(List<Node> nodes, String inputName, Shape inputShape,
      long seed, SessionOptions options) {
    return new ModelGraph(nodes, inputName, inputShape, null, seed, options, true);
  }

  private Prediction forward(NameScopes scopes, String prefix, List<Node> nodes,
      long[] nodeSeeds, Map<String, Operand<TFloat32>> weights, Operand<TFloat32> x,
      boolean training) {
    Map<Output<?>, Operand<TFloat32>> logits = new HashMap<>();
    List<Operand<TFloat32>> outputs = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      Node node = nodes.get(i);
      Operand<TFloat32> in = node.input() < 0 ? x : outputs.get(node.input());
      Ops tf = scopes.at(prefix.isEmpty() ? node.name() : prefix + "/" + node.name());
      long nodeSeed = nodeSeeds[i];
      CallContext context = new CallContext() {
        @Override
        public Ops tf() {
          return tf;
        }

        @Override
        public boolean training() {
          return training;
        }

        @Override
        public Operand<TFloat32> weight(String name) {
          Operand<TFloat32> weight = weights.get(node.name() + "/" + name);
          if (weight == null) {
            throw new IllegalStateException("layer " + node.name() + " has no weight " + name);
          }
          return weight;
        }

        @Override
        public long seed() {
          return nodeSeed;
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
          Operand<TFloat32> activated = activation.apply(tf, preActivation);
          if (activation.producesProbabilities()) {
            logits.put(activated.asOutput(), preActivation);
          }
          return activated;
        }
      };
      outputs.add(node.layer().call(context, in));
    }
    Operand<TFloat32> last = outputs.get(outputs.size() - 1);
    return new Prediction(last, logits.get(last.asOutput()));
  }

  private static Operand<TFloat32> regularization(Ops tf, List<String> trainable,
      Map<String, WeightSpec> specs, Map<String, Operand<TFloat32>> weights) {
    Operand<TFloat32> total = null;
    for (String name : trainable) {
      if (specs.get(name).regularizer() != null) {
        Operand<TFloat32> penalty = specs.get(name).regularizer().penalty(tf, weights.get(name));
        total = total == null ? penalty : tf.math.add(total, penalty);
      }
    }
    return total;
  }

  private Operand<TFloat32> totalLoss(Ops tf, CompileConfig compile, Prediction prediction,
      Operand<TFloat32> regularization) {
    Operand<TFloat32> perSample = compile.loss().call(tf, labels, prediction);
    Operand<TFloat32> loss = meanOf(tf, perSample);
    return regularization == null ? loss : tf.math.add(loss, regularization);
  }

  private static Operand<TFloat32> meanOf(Ops tf, Operand<TFloat32> values) {
    return tf.math.mean(values, Reductions.allAxes(tf, values));
  }

  private Op optimizerStep(NameScopes scopes, CompileConfig compile, List<String> names,
      List<Variable<TFloat32>> variables, List<Output<TFloat32>> gradients) {
    String scope = compile.optimizer().name();
    Ops tf = scopes.at(scope);
    store.create(scope + "/learning_rate", Shape.scalar(), TFloat32.class);
    Operand<TFloat32> learningRate = store.read(scope + "/learning_rate", TFloat32.class);
    initialValues.put(scope + "/learning_rate",
        HostValue.of(Shape.scalar(), new float[] {compile.optimizer().learningRate()}));
    store.create(scope + "/iteration", Shape.scalar(), TInt64.class);
    @SuppressWarnings("unchecked")
    Variable<TInt64> iteration = (Variable<TInt64>) store.variable(scope + "/iteration");
    initialValues.put(scope + "/iteration", HostValue.ofLongs(Shape.scalar(), new long[] {0}));

    // Updates start only once every gradient, the loss and the metrics are computed, so no
    // update can race a read of the weights it changes.
    List<Operation> computed = new ArrayList<>();
    gradients.forEach(g -> computed.add(g.op()));
    trainFetches.forEach(f -> computed.add(f.op()));
    Ops afterComputed = tf.withControlDependencyOps(computed);
    Operand<TFloat32> step = afterComputed.math.add(afterComputed.dtypes.cast(
        store.read(scope + "/iteration", TInt64.class), TFloat32.class), afterComputed.constant(1f));
    OptimizerContext context = new OptimizerContext() {
      @Override
      public Ops tf() {
        return afterComputed;
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
      public Variable<TFloat32> slot(String weight, String slot) {
        String name = scope + "/" + weight.replace('/', '_') + "_" + slot;
        if (store.contains(name)) {
          @SuppressWarnings("unchecked")
          Variable<TFloat32> existing = (Variable<TFloat32>) store.variable(name);
          return existing;
        }
        Shape shape = store.shape(weight);
        initialValues.put(name, HostValue.of(shape, new float[Math.toIntExact(shape.size())]));
        return store.create(name, shape, TFloat32.class);
      }
    };
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      updates.add(compile.optimizer().apply(context, names.get(i), variables.get(i),
          gradients.get(i)));
    }
    return tf.withControlDependencies(updates).withName("train_step")
        .assignAdd(iteration, tf.constant(1L));
  }

  /** One training step on a batch; returns the batch's loss and metrics (keys: {@link #logKeys}). */
  public float[] trainStep(TFloat32 x, TFloat32 y) {
    Session.Runner runner = runtime.session().runner().feed(input, x).feed(labels, y)
        .addTarget(trainOp);
    trainFetches.forEach(runner::fetch);
    return fetchFloats(runner);
  }

  /** The loss and metrics of a batch in inference mode (no update). */
  public float[] testStep(TFloat32 x, TFloat32 y) {
    Session.Runner runner = runtime.session().runner().feed(input, x).feed(labels, y);
    testFetches.forEach(runner::fetch);
    return fetchFloats(runner);
  }

  /** The model's output for a batch, in inference mode. */
  public float[] predictStep(TFloat32 x) {
    return predictStep(x, false);
  }

  /** The model's output for a batch, in training mode (Dropout active) or inference mode. */
  public float[] predictStep(TFloat32 x, boolean training) {
    if (training && trainingOutput == null) {
      throw new IllegalStateException("this graph was built for inference only");
    }
    try (Result result = runtime.session().runner().feed(input, x)
        .fetch(training ? trainingOutput : output).run()) {
      return Tensors.toFloats(result.get(0));
    }
  }

  private static float[] fetchFloats(Session.Runner runner) {
    try (Result result = runner.run()) {
      float[] values = new float[result.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = Tensors.toFloat(result.get(i));
      }
      return values;
    }
  }

  /** Whether this graph can train (was built with a compile configuration). */
  public boolean isCompiled() {
    return trainOp != null;
  }

  /** The log keys of {@link #trainStep} and {@link #testStep}: "loss", then the metrics. */
  public List<String> logKeys() {
    return List.copyOf(logKeys);
  }

  /** The shape of the labels the loss takes, batch first (null when not compiled). */
  public Shape labelShape() {
    return labelShape;
  }

  /** The shape of the input, batch first. */
  public Shape inputShape() {
    return input.shape();
  }

  /** The shape of the output, batch first. */
  public Shape outputShape() {
    return output.shape();
  }

  /** The names of the layers' weights, in layer order ({@code conv2d/kernel}, ...). */
  public List<String> weightNames() {
    return List.copyOf(weightNames);
  }

  /** The current values of the named variables (weights or optimizer state). */
  public Map<String, HostValue> read(List<String> names) {
    return store.read(runtime.session(), names);
  }

  /** Every variable: weights, then optimizer state. */
  public Map<String, HostValue> readAll() {
    return store.readAll(runtime.session());
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
    for (String name : store.names()) {
      if (!weightNames.contains(name)) {
        long size = store.shape(name).size();
        count += size;
        bytes += size * (store.type(name) == TInt64.class ? 8 : 4);
      }
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

  /** All variable names in the graph. */
  public List<String> variableNames() {
    return store.names();
  }

  /** The name of the learning-rate variable (null when not compiled). */
  public String learningRateName() {
    return learningRateName;
  }

  /** The name of the optimizer's step counter (null when not compiled). */
  public String iterationName() {
    return learningRateName == null ? null
        : learningRateName.substring(0, learningRateName.lastIndexOf('/')) + "/iteration";
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

  /** The input placeholder. */
  public Placeholder<TFloat32> input() {
    return input;
  }

  /** The inference output. */
  public Operand<TFloat32> output() {
    return output;
  }

  /** The labels placeholder (null when not compiled). */
  public Placeholder<TFloat32> labels() {
    return labels;
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
