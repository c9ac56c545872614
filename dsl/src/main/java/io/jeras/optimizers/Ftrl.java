package io.jeras.optimizers;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.bridge.UpdateRules;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Ftrl} (follow the regularized leader, McMahan et al. 2013): with
 * {@code p = -learning_rate_power} and {@code l2' = l2 + beta / (2 lr)}, {@code n' = n + g^2},
 * {@code z += g + 2 l2_shrinkage w - (n'^p - n^p) / lr * w},
 * {@code w = (clip(z, -l1, l1) - z) / (n'^p / lr + 2 l2')}, {@code n = n'}. Keras' defaults:
 * learning rate 0.001, learning rate power -0.5, initial accumulator value 0.1, l1, l2 and
 * l2 shrinkage strengths 0, beta 0. Slots {@code accumulator} (Keras names it
 * {@code ftrl/accumulator} for every weight; Jeras prefixes the weight's name) and
 * {@code linear}.
 *
 * <pre>{@code
 * Ftrl.defaults().learningRate(0.1).l1RegularizationStrength(0.01)
 * }</pre>
 */
public final class Ftrl extends TypedOptimizer<Ftrl> {
  public static final float DEFAULT_LEARNING_RATE = 0.001f;
  public static final double DEFAULT_LEARNING_RATE_POWER = -0.5;
  public static final double DEFAULT_INITIAL_ACCUMULATOR_VALUE = 0.1;
  public static final double DEFAULT_L1_REGULARIZATION_STRENGTH = 0;
  public static final double DEFAULT_L2_REGULARIZATION_STRENGTH = 0;
  public static final double DEFAULT_L2_SHRINKAGE_REGULARIZATION_STRENGTH = 0;
  public static final double DEFAULT_BETA = 0;

  private double learningRatePower = DEFAULT_LEARNING_RATE_POWER;
  private double initialAccumulatorValue = DEFAULT_INITIAL_ACCUMULATOR_VALUE;
  private double l1RegularizationStrength = DEFAULT_L1_REGULARIZATION_STRENGTH;
  private double l2RegularizationStrength = DEFAULT_L2_REGULARIZATION_STRENGTH;
  private double l2ShrinkageRegularizationStrength = DEFAULT_L2_SHRINKAGE_REGULARIZATION_STRENGTH;
  private double beta = DEFAULT_BETA;

  private Ftrl() {
    super(DEFAULT_LEARNING_RATE, null);
  }

  /** Keras' defaults. */
  public static Ftrl defaults() {
    return new Ftrl();
  }

  /** Keras' {@code learning_rate_power}. */
  public Ftrl learningRatePower(double learningRatePower) {
    checkArgument(learningRatePower <= 0,
        "`learning_rate_power` needs to be negative or zero. Received: learning_rate_power=%s.",
        learningRatePower);
    return with((Ftrl copy) -> copy.learningRatePower = learningRatePower);
  }

  /** Keras' {@code initial_accumulator_value}. */
  public Ftrl initialAccumulatorValue(double initialAccumulatorValue) {
    checkNonNegative("initial_accumulator_value", initialAccumulatorValue);
    return with((Ftrl copy) -> copy.initialAccumulatorValue = initialAccumulatorValue);
  }

  /** Keras' {@code l1_regularization_strength}. */
  public Ftrl l1RegularizationStrength(double l1RegularizationStrength) {
    checkNonNegative("l1_regularization_strength", l1RegularizationStrength);
    return with((Ftrl copy) -> copy.l1RegularizationStrength = l1RegularizationStrength);
  }

  /** Keras' {@code l2_regularization_strength}. */
  public Ftrl l2RegularizationStrength(double l2RegularizationStrength) {
    checkNonNegative("l2_regularization_strength", l2RegularizationStrength);
    return with((Ftrl copy) -> copy.l2RegularizationStrength = l2RegularizationStrength);
  }

  /** Keras' {@code l2_shrinkage_regularization_strength}. */
  public Ftrl l2ShrinkageRegularizationStrength(double l2ShrinkageRegularizationStrength) {
    checkNonNegative("l2_shrinkage_regularization_strength", l2ShrinkageRegularizationStrength);
    return with((Ftrl copy) ->
        copy.l2ShrinkageRegularizationStrength = l2ShrinkageRegularizationStrength);
  }

  /** Keras' {@code beta}. */
  public Ftrl beta(double beta) {
    return with((Ftrl copy) -> copy.beta = beta);
  }

  public float learningRatePower() {
    return (float) learningRatePower;
  }

  public float initialAccumulatorValue() {
    return (float) initialAccumulatorValue;
  }

  public float l1RegularizationStrength() {
    return (float) l1RegularizationStrength;
  }

  public float l2RegularizationStrength() {
    return (float) l2RegularizationStrength;
  }

  public float l2ShrinkageRegularizationStrength() {
    return (float) l2ShrinkageRegularizationStrength;
  }

  public float beta() {
    return (float) beta;
  }

  @Override
  public String name() {
    return "ftrl";
  }

  @Override
  protected Op updateStep(OptimizerContext context, String weightName,
      Variable<TFloat32> weight, Operand<TFloat32> gradient) {
    return UpdateRules.ftrl(context.tf(), weight,
        context.slot(weightName, "accumulator", (float) initialAccumulatorValue),
        context.slot(weightName, "linear"), gradient, context.learningRate(),
        learningRatePower, l1RegularizationStrength, l2RegularizationStrength,
        l2ShrinkageRegularizationStrength, beta);
  }

  /** Keras' check of an argument that must not be negative, with Keras' message. */
  private static void checkNonNegative(String argument, double value) {
    checkArgument(value >= 0, "`%s` needs to be positive or zero. Received: %s=%s.", argument,
        argument, value);
  }
}
