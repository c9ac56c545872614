package io.jeras.trainers;

import io.jeras.bridge.NameScopes;
import io.jeras.optimizers.LossScaleOptimizer;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The graph side of a {@link LossScaleOptimizer}, as Keras' TensorFlow backend runs it: the loss
 * times {@code dynamic_scale} is differentiated, each gradient divided by the scale; when all are
 * finite they flow on to the inner optimizer, else they are dead (TensorFlow's {@code Switch}:
 * the updates, the constraints and the iteration increment that consume them do not run). Then
 * the counter and the scale move as Keras moves them.
 */
final class LossScaling {
  private final Ops tf;
  private final Variable<TInt64> counter;
  private final Variable<TFloat32> scale;
  private final Output<TFloat32> scaleValue;
  private final int growthSteps;
  private Operand<TBool> finite;
  private final List<Operation> unscaled = new ArrayList<>();

  LossScaling(LossScaleOptimizer optimizer, NameScopes scopes, GraphVariables variables) {
    String scope = optimizer.name();
    tf = scopes.at(scope);
    counter = variables.counter(scope + "/step_counter");
    scale = variables.scalar(scope + "/dynamic_scale", optimizer.initialScale());
    scaleValue = variables.read(scope + "/dynamic_scale");
    growthSteps = optimizer.dynamicGrowthSteps();
  }

  /** What is differentiated: the loss times the scale. */
  Operand<TFloat32> scale(Operand<TFloat32> loss) {
    return tf.math.mul(loss, scaleValue);
  }

  /**
   * The gradients divided by the scale (for the control dependencies of the updates: computed
   * whether finite or not).
   */
  List<Output<TFloat32>> unscale(List<Output<TFloat32>> gradients) {
    List<Output<TFloat32>> result = new ArrayList<>(gradients.size());
    List<Operand<TBool>> checks = new ArrayList<>(gradients.size());
    for (Output<TFloat32> gradient : gradients) {
      Output<TFloat32> g = tf.math.div(gradient, scaleValue).asOutput();
      result.add(g);
      unscaled.add(g.op());
      checks.add(tf.reduceAll(tf.math.isFinite(g), tf.range(tf.constant(0), tf.rank(g),
          tf.constant(1))));
    }
    finite = tf.reduceAll(tf.stack(checks), tf.constant(0));
    return result;
  }

  /** The unscaled gradients as the optimizer gets them: dead unless all are finite. */
  List<Output<TFloat32>> gate(List<Output<TFloat32>> unscaledGradients) {
    List<Output<TFloat32>> result = new ArrayList<>(unscaledGradients.size());
    for (Output<TFloat32> g : unscaledGradients) {
      result.add(tf.switchCond(g, finite).outputTrue());
    }
    return result;
  }

  /**
   * The counter and scale updates, after every read of the scale: finite and the counter at
   * {@code growthSteps - 1}: counter 0, scale doubled; finite otherwise: counter + 1; not
   * finite: counter 0, scale halved.
   */
  List<Op> updates() {
    Ops after = tf.withControlDependencyOps(unscaled);
    Operand<TInt64> count = after.identity(counter);
    Operand<TFloat32> current = after.identity(scale);
    Operand<TBool> growth = after.math.equal(count, after.constant((long) growthSteps - 1));
    Operand<TInt64> zero = after.constant(0L);
    Operand<TInt64> newCount = after.select(finite,
        after.select(growth, zero, after.math.add(count, after.constant(1L))), zero);
    Operand<TFloat32> newScale = after.select(finite,
        after.select(growth, after.math.mul(current, after.constant(2f)), current),
        after.math.div(current, after.constant(2f)));
    return List.of(after.assign(counter, newCount), after.assign(scale, newScale));
  }
}
