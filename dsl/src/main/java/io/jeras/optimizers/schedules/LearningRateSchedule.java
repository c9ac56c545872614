package io.jeras.optimizers.schedules;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code keras.optimizers.schedules.LearningRateSchedule}: the learning rate as a
 * function of the optimizer's step, given to an optimizer in place of a constant rate.
 *
 * <pre>{@code
 * SGD.defaults().learningRate(CosineDecay.of(0.0, 10_000).warmup(0.1, 500)).momentum(0.9)
 * }</pre>
 *
 * <p>The rate is computed in the training graph from the optimizer's {@code iterations} counter
 * before it is incremented (the first step uses {@code schedule(0)}), as Keras does, so a
 * resumed checkpoint continues the schedule where it stopped. A scheduled rate cannot be set:
 * {@code ReduceLROnPlateau}, {@code LearningRateScheduler} and {@code setLearningRate} fail, as
 * in Keras.
 */
public interface LearningRateSchedule {
  /** The rate at {@code step} (a float scalar), built with {@code tf}. */
  Operand<TFloat32> call(Ops tf, Operand<TFloat32> step);
}
