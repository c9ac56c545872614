package io.jeras.trainers;

import io.jeras.activations.Activations;
import io.jeras.bridge.FusedOps;
import io.jeras.layers.CallContext;
import io.jeras.mixedprecision.Autocast;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/** What a layer sees while emitting its ops: its scope, weights, seed and the pass. */
final class LayerCallContext implements CallContext {

  /**
   * What the layer calls of one forward pass share: the graph, the weights' reads, where the
   * layers' updates go ({@code updates}), the logits of probability outputs (for the losses),
   * ops every call waits for ({@code after}: a training step's earlier layer updates), and
   * whether the pass is one gradients are taken of.
   */
  record Pass(GraphBuilder graph, Map<String, Operand<TFloat32>> reads,
      Map<String, Variable<TFloat32>> variables, List<Op> updates,
      Map<Output<?>, Operand<TFloat32>> logits, List<Op> after, boolean trainingPass) {}

  private final Pass pass;
  private final String scope;
  private final String weightPrefix;
  private final boolean training;
  /** The type weights are read in (null: as stored). */
  private final Class<? extends TFloating> computeType;
  private final long seed;
  private final Operand<TBool> inputMask;
  private Operand<TBool> outputMask;

  LayerCallContext(Pass pass, String scope, String weightPrefix, boolean training,
      Class<? extends TFloating> computeType, long seed) {
    this(pass, scope, weightPrefix, training, computeType, seed, null);
  }

  private LayerCallContext(Pass pass, String scope, String weightPrefix, boolean training,
      Class<? extends TFloating> computeType, long seed, Operand<TBool> inputMask) {
    this.pass = pass;
    this.scope = scope;
    this.weightPrefix = weightPrefix;
    this.training = training;
    this.computeType = computeType;
    this.seed = seed;
    this.inputMask = inputMask;
  }

  @Override
  public Operand<TBool> inputMask() {
    return inputMask;
  }

  @Override
  public CallContext withInputMask(Operand<TBool> mask) {
    return new LayerCallContext(pass, scope, weightPrefix, training, computeType, seed, mask);
  }

  @Override
  public void setOutputMask(Operand<TBool> mask) {
    outputMask = mask;
  }

  @Override
  public Operand<TBool> outputMask() {
    return outputMask;
  }

  @Override
  public Ops tf() {
    Ops tf = pass.graph().scopes().at(scope);
    return pass.after().isEmpty() ? tf : tf.withControlDependencies(pass.after());
  }

  @Override
  public boolean training() {
    return training;
  }

  @Override
  public Operand<TFloat32> weight(String name) {
    Operand<TFloat32> weight = pass.reads().get(weightPrefix + "/" + name);
    if (weight == null) {
      throw new IllegalStateException("layer " + weightPrefix + " has no weight " + name);
    }
    return computeType == null ? weight : Autocast.to(tf(), weight, computeType);
  }

  @Override
  public Variable<TFloat32> variable(String name) {
    Variable<TFloat32> variable = pass.variables().get(weightPrefix + "/" + name);
    if (variable == null) {
      throw new IllegalStateException("layer " + weightPrefix + " has no weight " + name);
    }
    return variable;
  }

  @Override
  public void addUpdate(Op update) {
    if (training) {
      pass.updates().add(update);
    }
  }

  @Override
  public CallContext child(String name, long childSeed, boolean childTraining,
      Class<? extends TFloating> childType) {
    return new LayerCallContext(pass, scope + "/" + name, weightPrefix + "/" + name,
        training && childTraining, childType, childSeed);
  }

  @Override
  public long seed() {
    return seed;
  }

  @Override
  public <T> T shared(String key, Supplier<T> builder) {
    return pass.graph().shared(key, builder);
  }

  @Override
  public void onSessionStart(Consumer<Session> action) {
    pass.graph().onSessionStart(action);
  }

  @Override
  public Operand<TFloat32> activate(Activations activation, Operand<TFloat32> preActivation) {
    Operand<TFloat32> activated = activation.apply(tf(), preActivation);
    if (activation.producesProbabilities()) {
      pass.logits().put(activated.asOutput(), preActivation);
    }
    return activated;
  }

  @Override
  public Operand<TFloat32> biasAndActivate(Activations activation, Operand<TFloat32> product,
      Operand<TFloat32> bias) {
    if (pass.trainingPass() && activation == Activations.RELU) {
      Operand<TFloat32> fused = FusedOps.biasRelu(tf(), product, bias);
      if (fused != null) {
        return fused;
      }
    }
    return activate(activation, tf().nn.biasAdd(product, bias));
  }
}
