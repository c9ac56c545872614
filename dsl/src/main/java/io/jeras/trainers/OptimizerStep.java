package io.jeras.trainers;

import com.google.common.base.Suppliers;
import io.jeras.bridge.HostValue;
import io.jeras.bridge.NameScopes;
import io.jeras.layers.WeightSpec;
import io.jeras.optimizers.Optimizer;
import io.jeras.optimizers.OptimizerContext;
import io.jeras.optimizers.schedules.LearningRateSchedule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * One optimizer's step in a graph, as {@link #emit} built it: the op that runs it, the scope
 * its variables live under ({@code adam}: {@code adam/iteration}, {@code adam/learning_rate},
 * {@code adam/dense_kernel_momentum}), the learning rate the next step uses, and (with {@code
 * use_ema}) the ops that set each weight to its moving average at the end of {@code fit}.
 */
record OptimizerStep(Op op, String scope, Operand<TFloat32> learningRate,
    List<Op> finalizeWeights) {

  /**
   * The optimizer's updates of {@code weights} by {@code applied} (the gradients, or under loss
   * scaling the ones that are dead when not all are finite), once every op in {@code computed}
   * has run; then {@code layerUpdates} (BatchNormalization's statistics), the iteration
   * increment, and {@code alsoRun} (the loss scale's own updates, which run either way). The
   * optimizer's variables live under its name ({@code adam/...}; a second optimizer of the
   * same name in one graph gets {@code adam_1}, as Keras names it).
   */
  static OptimizerStep emit(NameScopes scopes, GraphVariables variables, Optimizer optimizer,
      GraphWeights.Trainables weights, List<? extends Operand<TFloat32>> applied,
      List<Operation> computed, List<Op> layerUpdates, List<Op> alsoRun) {
    String scope = uniqueScope(variables, optimizer.name());
    Ops tf = scopes.at(scope);
    Variable<TInt64> iteration = variables.counter(scope + "/iteration");
    LearningRateSchedule schedule = optimizer.learningRateSchedule();
    Operand<TFloat32> learningRate;
    if (schedule == null) {
      variables.scalar(scope + "/learning_rate", optimizer.learningRate());
      learningRate = variables.read(scope + "/learning_rate");
    } else {
      // Keras: schedule(iterations), the count before this step's increment
      Ops at = scopes.at(scope + "/learning_rate_schedule");
      learningRate = schedule.call(at,
          at.dtypes.cast(variables.readLong(scope + "/iteration"), TFloat32.class));
    }
    List<String> names = weights.names();
    List<Variable<TFloat32>> trainableVars = weights.variables();

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
          new Context(scopes, variables, scope, computed, learningRate, null, null, scalars),
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
    OptimizerContext context = new Context(scopes, variables, scope, computed, learningRate,
        step, scalarOps, scalars);
    List<Op> updates = optimizer.applyGradients(context, names, trainableVars, toApply);
    // After the updates (on a step that only accumulates, at once): the moving averages, then
    // the constraints, which Keras applies to the updated weights last.
    Op updated = tf.withControlDependencyOps(accumulation == null
        ? updates.stream().map(Op::op).toList()
        : List.of(accumulation.barrier(tf, updates).op())).noOp();
    // (the updates themselves only without accumulation: there they are dead on most steps)
    List<Op> done = new ArrayList<>(accumulation == null ? updates : List.of());
    done.add(updated);
    List<Op> finalizeWeights = List.of();
    if (optimizer.useEma()) {
      Ops ema = scopes.at(scope + "/ema").withControlDependencies(List.of(updated));
      WeightAverages averages = new WeightAverages(ema, optimizer.emaMomentum(),
          optimizer.emaOverwriteFrequency(), accumulation == null ? iterations
              : ema.math.floorDiv(iterations, ema.constant((long) accumulationSteps)),
          context, names, trainableVars, scopes.at(scope + "/ema_finalize"));
      done.addAll(averages.updates());
      finalizeWeights = averages.finalizeWeights();
      updated = ema.withControlDependencies(averages.updates()).noOp();
    }
    Ops constraints = scopes.at(scope + "/constraints")
        .withControlDependencies(List.of(updated));
    for (int i = 0; i < trainableVars.size(); i++) {
      WeightSpec spec = weights.specs().get(i);
      if (spec.constraint() != null) {
        Variable<TFloat32> variable = trainableVars.get(i);
        done.add(constraints.assign(variable, spec.constraint().apply(constraints, variable)));
      }
    }
    if (accumulation != null) {
      done.addAll(accumulation.accumulatorUpdates());
    }
    done.addAll(layerUpdates);
    Op increment = tf.withControlDependencies(done).withName("train_step")
        .assignAdd(iteration, tf.constant(1L));
    Op op = increment;
    if (!alsoRun.isEmpty()) {
      List<Op> all = new ArrayList<>(alsoRun);
      all.add(increment);
      op = tf.withControlDependencies(all).withName("train_step_done").noOp();
    }
    return new OptimizerStep(op, scope, learningRate, List.copyOf(finalizeWeights));
  }

  /** {@code name}, or {@code name_1}, {@code name_2}... if an optimizer already has it. */
  private static String uniqueScope(GraphVariables variables, String name) {
    String scope = name;
    for (int k = 1; variables.contains(scope + "/iteration"); k++) {
      scope = name + "_" + k;
    }
    return scope;
  }

  /** The optimizer's view of the graph during one step: see {@link OptimizerContext}. */
  private static final class Context implements OptimizerContext {
    private final NameScopes scopes;
    private final GraphVariables variables;
    private final String scope;
    private final List<Operation> dependencies;
    private final Ops tf;
    private final Operand<TFloat32> learningRate;
    private final Operand<TFloat32> step;
    private final Supplier<Ops> scalarOps;
    private final Map<String, Operand<TFloat32>> scalars;

    Context(NameScopes scopes, GraphVariables variables, String scope,
        List<Operation> dependencies, Operand<TFloat32> learningRate, Operand<TFloat32> step,
        Supplier<Ops> scalarOps, Map<String, Operand<TFloat32>> scalars) {
      this.scopes = scopes;
      this.variables = variables;
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
      if (variables.contains(name)) {
        return variables.variable(name);
      }
      Shape shape = variables.shape(weight);
      float[] values = new float[Math.toIntExact(shape.size())];
      Arrays.fill(values, initialValue);
      return variables.create(name, HostValue.of(shape, values));
    }

    @Override
    public Operand<TFloat32> stepScalar(String name, float initialValue,
        BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> update) {
      return scalars.computeIfAbsent(name, unused -> {
        Variable<TFloat32> variable = variables.scalar(scope + "/" + name, initialValue);
        Ops tf = scalarOps.get();
        return tf.assign(variable, update.apply(tf, variable));
      });
    }

    @Override
    public OptimizerContext after(Op op) {
      List<Operation> more = new ArrayList<>(dependencies);
      more.add(op.op());
      return new Context(scopes, variables, scope, more, learningRate, step, scalarOps,
          scalars);
    }
  }
}
