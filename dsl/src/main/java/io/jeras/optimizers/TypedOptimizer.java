package io.jeras.optimizers;

import io.jeras.optimizers.schedules.LearningRateSchedule;

/**
 * An optimizer whose shared setters (learning rate, weight decay, clipping, EMA, gradient
 * accumulation) return its own type, so they chain with its own options in any order: {@code
 * Adam.defaults().weightDecay(0.01).beta1(0.8)}. Every Keras optimizer extends this; only
 * {@link LossScaleOptimizer}, which wraps another, extends {@link Optimizer} directly.
 *
 * @param <O> the optimizer class itself
 */
public abstract class TypedOptimizer<O extends TypedOptimizer<O>> extends Optimizer {

  protected TypedOptimizer(float learningRate, LearningRateSchedule schedule) {
    super(learningRate, schedule);
  }

  @SuppressWarnings("unchecked")
  private O self(Optimizer changed) {
    return (O) changed;
  }

  @Override
  public O learningRate(double learningRate) {
    return self(super.learningRate(learningRate));
  }

  @Override
  public O learningRate(LearningRateSchedule schedule) {
    return self(super.learningRate(schedule));
  }

  @Override
  public O weightDecay(double weightDecay) {
    return self(super.weightDecay(weightDecay));
  }

  @Override
  public O excludeFromWeightDecay(String... varNames) {
    return self(super.excludeFromWeightDecay(varNames));
  }

  @Override
  public O clipnorm(double clipnorm) {
    return self(super.clipnorm(clipnorm));
  }

  @Override
  public O clipvalue(double clipvalue) {
    return self(super.clipvalue(clipvalue));
  }

  @Override
  public O globalClipnorm(double globalClipnorm) {
    return self(super.globalClipnorm(globalClipnorm));
  }

  @Override
  public O useEma(boolean useEma) {
    return self(super.useEma(useEma));
  }

  @Override
  public O emaMomentum(double emaMomentum) {
    return self(super.emaMomentum(emaMomentum));
  }

  @Override
  public O emaOverwriteFrequency(int frequency) {
    return self(super.emaOverwriteFrequency(frequency));
  }

  @Override
  public O gradientAccumulationSteps(int steps) {
    return self(super.gradientAccumulationSteps(steps));
  }
}
