package io.jeras.trainers;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.bridge.Gradients;
import io.jeras.losses.Loss;
import io.jeras.losses.Prediction;
import io.jeras.mixedprecision.Autocast;
import io.jeras.models.Model;
import io.jeras.models.Node;
import io.jeras.optimizers.LossScaleOptimizer;
import io.jeras.optimizers.Optimizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The {@link StepContext} of a graph {@link GraphBuilder#custom} builds: each call of a model
 * emits a forward pass, each {@code minimize} an {@link OptimizerStep}; {@link #finish} gathers
 * them into the training part of the graph.
 */
final class CustomStep implements StepContext {
  private final GraphBuilder graph;
  private final List<Model> models;
  private final List<Node> nodes;
  private final GraphWeights weights;
  /** Each weight's read as the next forward pass sees it: after the updates emitted so far. */
  private final Map<String, Operand<TFloat32>> reads;
  private final List<Placeholder<TFloat32>> inputs;
  private final List<Placeholder<TFloat32>> labels;
  private final Random seeds;
  private final Ops tf;
  private final List<OptimizerStep> steps = new ArrayList<>();
  /** The layers' updates of the training-mode calls so far (BatchNormalization's). */
  private final List<Op> layerUpdates = new ArrayList<>();
  private final Map<String, Operand<TFloat32>> logged = new LinkedHashMap<>();
  private final WeightedLosses losses = new WeightedLosses(null);
  private int calls;

  CustomStep(GraphBuilder graph, List<Model> models, List<Node> nodes, GraphWeights weights,
      List<Placeholder<TFloat32>> inputs, List<Placeholder<TFloat32>> labels, long seed) {
    this.graph = graph;
    this.models = models;
    this.nodes = nodes;
    this.weights = weights;
    this.reads = new HashMap<>(weights.reads());
    this.inputs = inputs;
    this.labels = labels;
    this.seeds = new Random(seed ^ 0x5DEECE66DL);
    this.tf = graph.scopes().at("step");
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
    int index = indexOf(model);
    Node node = nodes.get(index);
    checkArgument(in.size() == node.inputs().size(), "model %s takes %s input(s), got %s",
        model.name(), node.inputs().size(), in.size());
    // each call draws its own seed, so two calls of one model get different dropout masks
    long callSeed = new Random(weights.nodeSeeds()[index] + 31L * calls).nextLong();
    // after the layer updates of earlier calls (BatchNormalization's moving statistics), as
    // Keras' train_step runs them in program order: the same result every run
    LayerCallContext.Pass pass = new LayerCallContext.Pass(graph, reads, weights.variables(),
        layerUpdates, new HashMap<>(), List.copyOf(layerUpdates), true);
    LayerCallContext context = new LayerCallContext(pass, "step/call_" + calls++ + "/"
        + node.name(), node.name(), training, null, callSeed);
    return GraphBuilder.prediction(tf, Autocast.call(node.layer(), context, in), pass);
  }

  @Override
  public Operand<TFloat32> loss(Loss loss, Operand<TFloat32> yTrue, Prediction yPred) {
    return losses.reduce(tf, loss.reduction(), loss.call(tf, yTrue, yPred));
  }

  @Override
  public void minimize(Operand<TFloat32> loss, Model model, Optimizer optimizer) {
    checkArgument(!(optimizer instanceof LossScaleOptimizer), "a LossScaleOptimizer in a"
        + " training step of one's own is not supported; pass its inner optimizer");
    String prefix = nodes.get(indexOf(model)).name() + "/";
    GraphWeights.Trainables trainable = weights.trainable(prefix, reads);
    checkArgument(!trainable.names().isEmpty(), "model %s has no trainable weights",
        model.name());
    List<Output<TFloat32>> gradients = Gradients.of(graph.graph(),
        "gradients_" + steps.size(), loss, trainable.reads(), trainable.names());
    List<Operand<TFloat32>> fetches = new ArrayList<>();
    fetches.add(loss);
    fetches.addAll(logged.values());
    List<Operation> computed = GraphBuilder.computedBy(gradients, fetches);
    OptimizerStep step = OptimizerStep.emit(graph.scopes(), graph.variables(), optimizer,
        trainable, gradients, computed, List.of(), List.of());
    steps.add(step);
    // forward passes from here on read the updated weights
    Ops after = graph.scopes().at("step").withControlDependencies(List.of(step.op()));
    for (String name : weights.names()) {
      if (name.startsWith(prefix)) {
        reads.put(name, after.identity(weights.variables().get(name)));
      }
    }
  }

  @Override
  public void log(String name, Operand<TFloat32> value) {
    checkArgument(name != null && !name.isEmpty(), "a logged value needs a name");
    checkArgument(!logged.containsKey(name), "%s is logged twice", name);
    logged.put(name, value);
  }

  /**
   * The training part: the step's op runs every update and the layers' statistics; the logged
   * values (their means over the batch) are its fetches.
   */
  GraphHandles.Training finish(List<Shape> yShapes) {
    checkArgument(!steps.isEmpty(), "the training step never calls minimize: nothing trains");
    List<GraphHandles.Log> logs = new ArrayList<>();
    List<Operand<TFloat32>> fetches = new ArrayList<>();
    logged.forEach((name, value) -> {
      logs.add(new GraphHandles.Log(name, null, 1));
      fetches.add(WeightedLosses.meanOf(tf, value));
    });
    List<Op> all = new ArrayList<>();
    List<Op> finalizeWeights = new ArrayList<>();
    for (OptimizerStep step : steps) {
      all.add(step.op());
      finalizeWeights.addAll(step.finalizeWeights());
    }
    all.addAll(layerUpdates);
    Op trainOp = tf.withControlDependencies(all).withName("train_step").noOp();
    return new GraphHandles.Training(labels, yShapes, null, trainOp, fetches, List.of(), logs,
        finalizeWeights, null, null);
  }
}
