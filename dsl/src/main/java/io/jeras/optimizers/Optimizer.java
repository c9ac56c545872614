package io.jeras.optimizers;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.bridge.UpdateRules;
import io.jeras.optimizers.schedules.LearningRateSchedule;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
 * or {@code globalClipnorm} (all gradients rescaled together so that their joint L2 norm is at
 * most that); at most one of the three clips can be set. Keras applies them in the order clip,
 * decay, update, and so does {@link #applyGradients}.
 *
 * <p>Two options change how the model's graph runs the steps, as Keras 3 defines them: {@code
 * useEma} keeps an exponential moving average of every trainable weight ({@code emaMomentum},
 * 0.99 by default), optionally written into the weights every {@code emaOverwriteFrequency}
 * steps, and written into them at the end of {@code fit}; {@code gradientAccumulationSteps}
 * ({@code n >= 2}) adds up the gradients of {@code n} batches and updates the weights with their
 * mean on every {@code n}-th batch (the step count the update rules see, Adam's {@code t},
 * counts those updates; a learning-rate schedule still sees every batch, as in Keras).
 *
 * <p>Optimizers are immutable: each setter returns a changed copy, of the optimizer's own type
 * ({@link TypedOptimizer}), so shared and own options chain in any order.
 */
public abstract class Optimizer implements Cloneable {
  /** Keras' default {@code ema_momentum}. */
  public static final float DEFAULT_EMA_MOMENTUM = 0.99f;

  private float learningRate;
  private LearningRateSchedule schedule;
  private Float weightDecay;
  private Float clipnorm;
  private Float clipvalue;
  private Pattern excludedFromWeightDecay;
  private Float globalClipnorm;
  private boolean useEma;
  private float emaMomentum = DEFAULT_EMA_MOMENTUM;
  private Integer emaOverwriteFrequency;
  private Integer gradientAccumulationSteps;

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

  /** Keras' {@code global_clipnorm}, or null when gradients are not clipped jointly. */
  public Float globalClipnorm() {
    return globalClipnorm;
  }

  /** Keras' {@code use_ema}: whether a moving average of the weights is kept. */
  public boolean useEma() {
    return useEma;
  }

  /** Keras' {@code ema_momentum} (used only with {@link #useEma}). */
  public float emaMomentum() {
    return emaMomentum;
  }

  /** Keras' {@code ema_overwrite_frequency}, or null (the average is written only at the end). */
  public Integer emaOverwriteFrequency() {
    return emaOverwriteFrequency;
  }

  /** Keras' {@code gradient_accumulation_steps}, or null (every batch updates the weights). */
  public Integer gradientAccumulationSteps() {
    return gradientAccumulationSteps;
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
    checkOneClip(clipnorm, clipvalue, globalClipnorm);
    return with(copy -> copy.clipnorm = (float) clipnorm);
  }

  /**
   * Keras' {@code global_clipnorm}: all gradients are rescaled by one factor so that their
   * joint L2 norm (the norm of all of them concatenated) is at most this; a non-finite norm
   * makes every gradient NaN, as in Keras (0: no clipping).
   */
  public Optimizer globalClipnorm(double globalClipnorm) {
    checkOneClip(clipnorm, clipvalue, globalClipnorm);
    return with(copy -> copy.globalClipnorm = (float) globalClipnorm);
  }

  /**
   * Keras' {@code use_ema}: keeps {@code average = m * average + (1 - m) * w} of every
   * trainable weight after each step ({@code m} is {@link #emaMomentum}, 0 at the first step),
   * and writes the averages into the weights at the end of {@code fit} (Keras' {@code
   * finalize_variable_values}).
   */
  public Optimizer useEma(boolean useEma) {
    return with(copy -> copy.useEma = useEma);
  }

  /** Keras' {@code ema_momentum}, in [0, 1]. */
  public Optimizer emaMomentum(double emaMomentum) {
    checkArgument(emaMomentum >= 0 && emaMomentum <= 1,
        "`ema_momentum` must be in the range [0, 1]. Received: ema_momentum=%s", emaMomentum);
    return with(copy -> copy.emaMomentum = (float) emaMomentum);
  }

  /**
   * Keras' {@code ema_overwrite_frequency}: every this many steps the averages are written
   * into the weights (with {@link #useEma}).
   */
  public Optimizer emaOverwriteFrequency(int frequency) {
    checkArgument(frequency >= 1, "`ema_overwrite_frequency` must be an integer >= 1 or None."
        + " Received: ema_overwrite_frequency=%s", frequency);
    return with(copy -> copy.emaOverwriteFrequency = frequency);
  }

  /**
   * Keras' {@code gradient_accumulation_steps} ({@code >= 2}): the weights are updated every
   * this many batches, with the mean of their gradients.
   */
  public Optimizer gradientAccumulationSteps(int steps) {
    checkArgument(steps >= 2, "`gradient_accumulation_steps` must be an integer >= 2."
        + " Received: gradient_accumulation_steps=%s", steps);
    return with(copy -> copy.gradientAccumulationSteps = steps);
  }

  /**
   * Keras' {@code clipvalue}: each gradient is clipped elementwise to {@code [-clipvalue,
   * clipvalue]} (0: no clipping).
   */
  public Optimizer clipvalue(double clipvalue) {
    checkOneClip(clipnorm, clipvalue, globalClipnorm);
    return with(copy -> copy.clipvalue = (float) clipvalue);
  }

  private static void checkOneClip(Number clipnorm, Number clipvalue, Number globalClipnorm) {
    checkArgument(Stream.of(clipnorm, clipvalue, globalClipnorm).filter(Objects::nonNull)
            .count() <= 1,
        "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received:"
            + " clipnorm=%s, clipvalue=%s, global_clipnorm=%s",
        Objects.toString(clipnorm, "None"), Objects.toString(clipvalue, "None"),
        Objects.toString(globalClipnorm, "None"));
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
   * Emits one step for {@code weights} (named {@code names}) as Keras' {@code apply} does: the
   * gradients clipped ({@code clipnorm}, {@code globalClipnorm} or {@code clipvalue}), then
   * each weight's decay, then this optimizer's {@link #updateStep}. Returns one op per weight.
   */
  public List<Op> applyGradients(OptimizerContext context, List<String> names,
      List<Variable<TFloat32>> weights, List<? extends Operand<TFloat32>> gradients) {
    Ops tf = context.tf();
    List<Operand<TFloat32>> clipped = new ArrayList<>(gradients);
    if (clipnorm != null && clipnorm > 0) {
      clipped.replaceAll(g -> UpdateRules.clipByNorm(tf, g, clipnorm));
    } else if (globalClipnorm != null && globalClipnorm > 0) {
      clipped = UpdateRules.clipByGlobalNorm(tf, clipped, globalClipnorm);
    } else if (clipvalue != null && clipvalue > 0) {
      clipped.replaceAll(g -> tf.clipByValue(g, tf.constant(-clipvalue), tf.constant(clipvalue)));
    }
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      String name = names.get(i);
      if (!usesWeightDecay(name)) {
        updates.add(updateStep(context, name, weights.get(i), clipped.get(i)));
        continue;
      }
      // After an identity of the gradient: under loss scaling a skipped step's gradient is dead
      // (a Switch output), and so is this identity, so the decay is skipped too. (A control
      // edge from the Switch itself would not be dead.)
      Op decay = UpdateRules.weightDecay(context.after(tf.identity(gradients.get(i))).tf(),
          weights.get(i), context.learningRate(), weightDecay);
      updates.add(updateStep(context.after(decay), name, weights.get(i), clipped.get(i)));
    }
    return updates;
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
