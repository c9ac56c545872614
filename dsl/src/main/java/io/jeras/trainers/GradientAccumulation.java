package io.jeras.trainers;

import io.jeras.optimizers.OptimizerContext;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.SwitchCond;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Keras' {@code gradient_accumulation_steps = n} in a model's graph. Each weight has a slot
 * {@code gradient_accumulator}; on a step where {@code (iterations + 1) % n == 0} the optimizer
 * gets {@code (gradient + accumulator) / n} and the accumulator is reset to zero, on every other
 * step the gradient is added to it. The optimizer's gradients are live only on the update steps
 * (TensorFlow's {@code Switch}), so its update ops, weight decay and once-per-step scalars run
 * only then; {@link #barrier} is how later ops wait for those updates on either kind of step.
 */
final class GradientAccumulation {
  private final Operand<TFloat32> step;
  private final List<Output<TFloat32>> gradients = new ArrayList<>();
  private final List<Op> accumulatorUpdates = new ArrayList<>();
  private final SwitchCond<TFloat32> marker;

  /**
   * @param tf ops that run once every gradient is computed
   * @param iterations the optimizer's iteration count before this step
   * @param gradients this batch's gradients (dead when loss scaling skips the step: then the
   *     accumulators do not move either)
   */
  GradientAccumulation(Ops tf, int n, Operand<TInt64> iterations, OptimizerContext context,
      List<String> names, List<? extends Operand<TFloat32>> gradients) {
    Operand<TInt64> steps = tf.constant((long) n);
    Operand<TBool> isUpdate = tf.math.equal(
        tf.math.floorMod(tf.math.add(iterations, tf.constant(1L)), steps), tf.constant(0L));
    // Keras' `iterations` under accumulation: the number of updates so far
    step = tf.math.add(tf.dtypes.cast(tf.math.floorDiv(iterations, steps), TFloat32.class),
        tf.constant(1f));
    Operand<TFloat32> count = tf.constant((float) n);
    for (int i = 0; i < names.size(); i++) {
      Variable<TFloat32> accumulator = context.slot(names.get(i), "gradient_accumulator");
      Operand<TFloat32> sum = tf.math.add(gradients.get(i), tf.identity(accumulator));
      accumulatorUpdates.add(tf.assign(accumulator,
          tf.select(isUpdate, tf.zerosLike(sum), sum)));
      this.gradients.add(tf.switchCond(tf.math.div(sum, count), isUpdate).outputTrue());
    }
    marker = tf.switchCond(tf.identity(gradients.get(0)), isUpdate);
  }

  /** The step number the update rules see ({@code t}): {@code floor(iterations / n) + 1}. */
  Operand<TFloat32> step() {
    return step;
  }

  /** The gradients the optimizer applies: the mean over the {@code n} batches, on update steps. */
  List<Output<TFloat32>> gradients() {
    return gradients;
  }

  /** The accumulators' updates (added to, or reset on an update step). */
  List<Op> accumulatorUpdates() {
    return accumulatorUpdates;
  }

  /**
   * A value ready after {@code updates} on an update step and at once on any other step (a
   * {@code Merge} of the two branches); dead only when the step's gradients are.
   */
  Operand<TFloat32> barrier(Ops tf, List<Op> updates) {
    Operand<TFloat32> updated = tf.withControlDependencies(updates).identity(marker.outputTrue());
    return tf.merge(List.of(updated, marker.outputFalse())).output();
  }
}
