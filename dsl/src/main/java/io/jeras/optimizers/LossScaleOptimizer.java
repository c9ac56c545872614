package io.jeras.optimizers;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.optimizers.schedules.LearningRateSchedule;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code LossScaleOptimizer}: dynamic loss scaling for float16 training. The loss is
 * multiplied by a scale before the gradients are taken and the gradients divided by it again;
 * when every gradient is finite the inner optimizer applies them and, after {@code
 * dynamicGrowthSteps} such steps in a row, the scale doubles; otherwise the step is skipped (the
 * inner optimizer's iteration count does not move) and the scale halves. {@code compile} wraps
 * the optimizer in one when a layer computes in float16 ({@code mixed_float16}), as Keras does.
 * Its variables are {@code loss_scale_optimizer/step_counter} and {@code
 * loss_scale_optimizer/dynamic_scale}; the inner optimizer's keep their names.
 *
 * <pre>{@code
 * LossScaleOptimizer.of(Adam.defaults())                 // scale 2^15, growth every 2000 steps
 * }</pre>
 */
public final class LossScaleOptimizer extends Optimizer {
  private final Optimizer inner;
  private final float initialScale;
  private final int dynamicGrowthSteps;

  private LossScaleOptimizer(Optimizer inner, float initialScale, int dynamicGrowthSteps) {
    super(inner.learningRate(), inner.learningRateSchedule());
    checkArgument(!(inner instanceof LossScaleOptimizer),
        "LossScaleOptimizer cannot wrap another LossScaleOptimizer");
    checkArgument(initialScale > 0 && Float.isFinite(initialScale),
        "Argument `initial_scale` must be a positive float. Received: initial_scale=%s",
        initialScale);
    checkArgument(dynamicGrowthSteps > 0,
        "Argument `dynamic_growth_steps` must be a positive int. Received:"
            + " dynamic_growth_steps=%s", dynamicGrowthSteps);
    this.inner = inner;
    this.initialScale = initialScale;
    this.dynamicGrowthSteps = dynamicGrowthSteps;
  }

  /** Keras' defaults: initial scale 2^15, doubled after 2000 finite steps. */
  public static LossScaleOptimizer of(Optimizer inner) {
    checkArgument(inner != null, "LossScaleOptimizer needs an inner optimizer");
    return new LossScaleOptimizer(inner, 32768f, 2000);
  }

  public LossScaleOptimizer initialScale(float scale) {
    return new LossScaleOptimizer(inner, scale, dynamicGrowthSteps);
  }

  public LossScaleOptimizer dynamicGrowthSteps(int steps) {
    return new LossScaleOptimizer(inner, initialScale, steps);
  }

  /** The inner optimizer with this learning rate, wrapped the same way. */
  @Override
  public LossScaleOptimizer learningRate(double learningRate) {
    return new LossScaleOptimizer(inner.learningRate(learningRate), initialScale,
        dynamicGrowthSteps);
  }

  /** The inner optimizer with this schedule, wrapped the same way. */
  @Override
  public LossScaleOptimizer learningRate(LearningRateSchedule schedule) {
    return new LossScaleOptimizer(inner.learningRate(schedule), initialScale,
        dynamicGrowthSteps);
  }

  /** The inner optimizer with this weight decay, wrapped the same way. */
  @Override
  public LossScaleOptimizer weightDecay(double weightDecay) {
    return new LossScaleOptimizer(inner.weightDecay(weightDecay), initialScale,
        dynamicGrowthSteps);
  }

  /** The inner optimizer with these exclusions from weight decay, wrapped the same way. */
  @Override
  public LossScaleOptimizer excludeFromWeightDecay(String... varNames) {
    return new LossScaleOptimizer(inner.excludeFromWeightDecay(varNames), initialScale,
        dynamicGrowthSteps);
  }

  /** The inner optimizer with this {@code clipnorm}, wrapped the same way. */
  @Override
  public LossScaleOptimizer clipnorm(double clipnorm) {
    return new LossScaleOptimizer(inner.clipnorm(clipnorm), initialScale, dynamicGrowthSteps);
  }

  /** The inner optimizer with this {@code clipvalue}, wrapped the same way. */
  @Override
  public LossScaleOptimizer clipvalue(double clipvalue) {
    return new LossScaleOptimizer(inner.clipvalue(clipvalue), initialScale, dynamicGrowthSteps);
  }

  /** The inner optimizer with this {@code global_clipnorm}, wrapped the same way. */
  @Override
  public LossScaleOptimizer globalClipnorm(double globalClipnorm) {
    return wrap(inner.globalClipnorm(globalClipnorm));
  }

  /** The inner optimizer with or without a moving average of the weights, wrapped the same way. */
  @Override
  public LossScaleOptimizer useEma(boolean useEma) {
    return wrap(inner.useEma(useEma));
  }

  /** The inner optimizer with this {@code ema_momentum}, wrapped the same way. */
  @Override
  public LossScaleOptimizer emaMomentum(double emaMomentum) {
    return wrap(inner.emaMomentum(emaMomentum));
  }

  /** The inner optimizer with this {@code ema_overwrite_frequency}, wrapped the same way. */
  @Override
  public LossScaleOptimizer emaOverwriteFrequency(int frequency) {
    return wrap(inner.emaOverwriteFrequency(frequency));
  }

  /** The inner optimizer with this {@code gradient_accumulation_steps}, wrapped the same way. */
  @Override
  public LossScaleOptimizer gradientAccumulationSteps(int steps) {
    return wrap(inner.gradientAccumulationSteps(steps));
  }

  private LossScaleOptimizer wrap(Optimizer changedInner) {
    return new LossScaleOptimizer(changedInner, initialScale, dynamicGrowthSteps);
  }

  public Optimizer innerOptimizer() {
    return inner;
  }

  public float initialScale() {
    return initialScale;
  }

  public int dynamicGrowthSteps() {
    return dynamicGrowthSteps;
  }

  /** Keras' name, {@code loss_scale_optimizer}: the scope of the scale and the counter. */
  @Override
  public String name() {
    return "loss_scale_optimizer";
  }

  /** The inner optimizer's step (its clipping, weight decay, update) on the unscaled gradients. */
  @Override
  public List<Op> applyGradients(OptimizerContext context, List<String> names,
      List<Variable<TFloat32>> weights, List<? extends Operand<TFloat32>> gradients) {
    return inner.applyGradients(context, names, weights, gradients);
  }

  /** The inner optimizer's update rule. */
  @Override
  protected Op updateStep(OptimizerContext context, String weightName, Variable<TFloat32> weight,
      Operand<TFloat32> gradient) {
    return inner.updateStep(context, weightName, weight, gradient);
  }
}
