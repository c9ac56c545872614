package io.jeras.trainers;

import io.jeras.optimizers.OptimizerContext;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Keras' {@code use_ema} in a model's graph: after each step's updates, every trainable weight's
 * slot {@code average} becomes {@code m * average + (1 - m) * weight}, with {@code m} the
 * {@code ema_momentum} except on the first step (0: the average starts at the weight); with an
 * {@code ema_overwrite_frequency} {@code f}, on steps where {@code (iterations + 1) % f == 0}
 * the weight is then set to its average. {@link #finalizeWeights} sets every weight to its
 * average, as Keras' {@code finalize_variable_values} does at the end of {@code fit}.
 */
final class WeightAverages {
  private final List<Op> updates = new ArrayList<>();
  private final List<Op> finalizeWeights = new ArrayList<>();

  /**
   * @param tf ops that run after the step's weight updates
   * @param iterations Keras' {@code iterations} before this step's increment
   */
  WeightAverages(Ops tf, float momentum, Integer overwriteFrequency, Operand<TInt64> iterations,
      OptimizerContext context, List<String> names, List<Variable<TFloat32>> weights,
      Ops finalizeOps) {
    Operand<TFloat32> m = tf.math.mul(
        tf.dtypes.cast(tf.math.notEqual(iterations, tf.constant(0L)), TFloat32.class),
        tf.constant(momentum));
    Operand<TFloat32> oneMinusM = tf.math.sub(tf.constant(1f), m);
    Operand<TBool> overwrite = overwriteFrequency == null ? null
        : tf.math.equal(tf.math.floorMod(tf.math.add(iterations, tf.constant(1L)),
            tf.constant((long) overwriteFrequency)), tf.constant(0L));
    for (int i = 0; i < names.size(); i++) {
      Variable<TFloat32> weight = weights.get(i);
      Variable<TFloat32> average = context.slot(names.get(i), "average");
      Operand<TFloat32> value = tf.identity(weight);
      Assign<TFloat32> newAverage = tf.assign(average, tf.math.add(
          tf.math.mul(m, tf.identity(average)), tf.math.mul(oneMinusM, value)));
      updates.add(overwrite == null ? newAverage
          : tf.assign(weight, tf.select(overwrite, newAverage, value)));
      finalizeWeights.add(finalizeOps.assign(weight, finalizeOps.identity(average)));
    }
  }

  /** The averages' updates (and the overwrites, with a frequency), one per weight. */
  List<Op> updates() {
    return updates;
  }

  /** Sets every weight to its average; run on its own, at the end of {@code fit}. */
  List<Op> finalizeWeights() {
    return finalizeWeights;
  }
}
