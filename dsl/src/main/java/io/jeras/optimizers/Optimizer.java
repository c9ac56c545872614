package io.jeras.optimizers;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.bridge.UpdateRules;
import io.jeras.optimizers.schedules.LearningRateSchedule;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A Keras optimizer: hyperparameters and the update rule it emits for each trainable weight.
 *
 * <p>The model's graph holds the learning rate as a variable (or, with a {@link
 * LearningRateSchedule}, computes it from the step), an {@code iteration} counter (int64,
 * incremented after every step) and each optimizer's slots; the update ops run only
 * after every gradient has been computed, so a step is the same however TensorFlow schedules it.
 *
 * <p>Every optimizer takes Keras' per-weight base options: {@code weightDecay} (decoupled:
 * {@code w -= w * weight_decay * lr} before the update, on every trainable weight, as Keras
 * does by default), {@code clipnorm} (each gradient rescaled to at most that L2 norm) and
 * {@code clipvalue} (each gradient clipped elementwise to {@code [-clipvalue, clipvalue]});
 * at most one of the two clips can be set. Keras applies them in the order clip, decay, update,
 * and so does {@link #apply}. Keras' {@code global_clipnorm}, {@code use_ema} and {@code
 * gradient_accumulation_steps} are not supported.
 *
 * <p>Optimizers are immutable: each setter returns a changed copy.
 */
public abstract class Optimizer implements Cloneable {
  private float learningRate;
  private LearningRateSchedule schedule;
  private Float weightDecay;
  private Float clipnorm;
  private Float clipvalue;
  private Pattern excludedFromWeightDecay;

  /** A constant {@code learningRate}, or with a {@code schedule} (non-null) that instead. */
  protected Optimizer(float learningRate, LearningRateSchedule schedule) {
    checkLearningRate(learningRate, schedule);
    this.learningRate = schedule != null ? Float.NaN : learningRate;
    this.schedule = schedule;
  }

  private static void checkLearningRate(float learningRate, LearningRateSchedule schedule) {
    checkArgument(schedule != null || learningRate >= 0 && Float.isFinite(learningRate),
        "Argument `learning_rate` must be a non-negative number. Received: learning_rate=%s",
        learningRate);
  }

  /** Keras' name of this optimizer ({@code "adam"}); its variables live under this scope. */
  public abstract String name();

  /** The initial learning rate; NaN when the rate follows a {@link #learningRateSchedule}. */
  public float learningRate() {
    return learningRate;
  }

  /** The schedule the learning rate follows, or null for a constant (settable) rate. */
  public LearningRateSchedule learningRateSchedule() {
    return schedule;
  }

  /** Keras' {@code weight_decay}, or null when none is applied. */
  public Float weightDecay() {
    return weightDecay;
  }

  /** Keras' {@code clipnorm}, or null when gradients are not clipped by norm. */
  public Float clipnorm() {
    return clipnorm;
  }

  /** Keras' {@code clipvalue}, or null when gradients are not clipped by value. */
  public Float clipvalue() {
    return clipvalue;
  }

  /** This optimizer with a constant learning rate. */
  public Optimizer learningRate(double learningRate) {
    checkLearningRate((float) learningRate, null);
    return with(copy -> {
      copy.learningRate = (float) learningRate;
      copy.schedule = null;
    });
  }

  /** The learning rate following {@code schedule} (Keras: a {@code LearningRateSchedule}). */
  public Optimizer learningRate(LearningRateSchedule schedule) {
    Objects.requireNonNull(schedule, "schedule");
    return with(copy -> {
      copy.learningRate = Float.NaN;
      copy.schedule = schedule;
    });
  }

  /**
   * Keras' {@code weight_decay}: before each update, {@code w -= w * weightDecay * lr}. Pass
   * Without it none is applied (every optimizer's default but {@link AdamW}'s).
   */
  public Optimizer weightDecay(double weightDecay) {
    return with(copy -> copy.weightDecay = (float) weightDecay);
  }

  /**
   * Keras' {@code exclude_from_weight_decay(var_names=...)}: no weight decay for the weights
   * whose own name ({@code kernel}, {@code bias}, {@code gamma}: the last part of {@code
   * dense/kernel}, as Keras matches {@code variable.name}) contains a match of any of these
   * regular expressions. Keras excludes none by default.
   */
  public Optimizer excludeFromWeightDecay(String... varNames) {
    Pattern pattern = varNames.length == 0 ? null
        : Pattern.compile(String.join("|", new LinkedHashSet<>(List.of(varNames))));
    return with(copy -> copy.excludedFromWeightDecay = pattern);
  }

  /** Whether Keras' weight decay applies to the weight named {@code weightName}. */
  public boolean usesWeightDecay(String weightName) {
    return weightDecay != null && (excludedFromWeightDecay == null
        || !excludedFromWeightDecay.matcher(
            weightName.substring(weightName.lastIndexOf('/') + 1)).find());
  }

  /**
   * Keras' {@code clipnorm}: each weight's gradient is rescaled so that its L2 norm is at most
   * this (0: no clipping).
   */
  public Optimizer clipnorm(double clipnorm) {
    checkOneClip(clipnorm, clipvalue);
    return with(copy -> copy.clipnorm = (float) clipnorm);
  }

  /**
   * Keras' {@code clipvalue}: each gradient is clipped elementwise to {@code [-clipvalue,
   * clipvalue]} (0: no clipping).
   */
  public Optimizer clipvalue(double clipvalue) {
    checkOneClip(clipnorm, clipvalue);
    return with(copy -> copy.clipvalue = (float) clipvalue);
  }

  private static void checkOneClip(Number clipnorm, Number clipvalue) {
    checkArgument(clipnorm == null || clipvalue == null,
        "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received:"
            + " clipnorm=%s, clipvalue=%s, global_clipnorm=None",
        Objects.toString(clipnorm, "None"), Objects.toString(clipvalue, "None"));
  }

  /** A copy of this optimizer changed by {@code change}. */
  @SuppressWarnings("unchecked")
  protected final <T extends Optimizer> T with(Consumer<T> change) {
    T copy;
    try {
      copy = (T) clone();
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
    change.accept(copy);
    return copy;
  }

  /**
   * Emits one step for {@code weight} (named {@code weightName}) as Keras' {@code apply} does:
   * the gradient clipped ({@code clipnorm} or {@code clipvalue}), then the weight decay, then
   * this optimizer's {@link #updateStep}.
   */
  public Op apply(OptimizerContext context, String weightName, Variable<TFloat32> weight,
      Operand<TFloat32> gradient) {
    Ops tf = context.tf();
    Operand<TFloat32> clipped = gradient;
    if (clipnorm != null && clipnorm > 0) {
      clipped = UpdateRules.clipByNorm(tf, gradient, clipnorm);
    } else if (clipvalue != null && clipvalue > 0) {
      clipped = tf.clipByValue(gradient, tf.constant(-clipvalue), tf.constant(clipvalue));
    }
    if (!usesWeightDecay(weightName)) {
      return updateStep(context, weightName, weight, clipped);
    }
    // After an identity of the gradient: under loss scaling a skipped step's gradient is dead
    // (a Switch output), and so is this identity, so the decay is skipped too. (A control edge
    // from the Switch itself would not be dead.)
    Op decay = UpdateRules.weightDecay(context.after(tf.identity(gradient)).tf(), weight,
        context.learningRate(), weightDecay);
    return updateStep(context.after(decay), weightName, weight, clipped);
  }

  /** Emits this optimizer's update of {@code weight} by its (clipped) gradient. */
  protected abstract Op updateStep(OptimizerContext context, String weightName,
      Variable<TFloat32> weight, Operand<TFloat32> gradient);

  /** The optimizer Keras calls {@code name}, with its defaults. */
  public static Optimizer of(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "adam" -> Adam.defaults();
      case "adamw" -> AdamW.defaults();
      case "nadam" -> Nadam.defaults();
      case "adamax" -> Adamax.defaults();
      case "adagrad" -> Adagrad.defaults();
      case "adadelta" -> Adadelta.defaults();
      case "lion" -> Lion.defaults();
      case "ftrl" -> Ftrl.defaults();
      case "sgd" -> SGD.defaults();
      case "rmsprop" -> RMSprop.defaults();
      default -> throw new IllegalArgumentException("Unknown optimizer \"" + name
          + "\"; expected one of adam, adamw, nadam, adamax, adagrad, adadelta, lion, ftrl,"
          + " sgd, rmsprop");
    };
  }

  static void checkRange(String argument, double value, double min, double max) {
    checkArgument(value >= min && value <= max,
        "Argument `%s` must be in [%s, %s]. Received: %s=%s", argument, min, max, argument, value);
  }
}
