package io.jeras.layers.normalization;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.constraints.Constraint;
import io.jeras.initializers.Initializer;
import io.jeras.initializers.Initializers;
import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import io.jeras.layers.WeightConfig;
import io.jeras.layers.WeightSpec;
import io.jeras.regularizers.Regularizer;
import java.util.ArrayList;
import java.util.List;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.TInt32;

/**
 * Keras' {@code BatchNormalization}: each feature along {@code axis} (default -1, the channels)
 * normalized to {@code gamma * (x - mean) / sqrt(variance + epsilon) + beta}.
 *
 * <p>In training, {@code mean} and {@code variance} are the batch's (the variance divided by
 * n, not n - 1) and the moving statistics follow them: {@code moving = moving * momentum +
 * batch * (1 - momentum)}, once per training step. In evaluation and prediction the moving
 * statistics are used. A layer with {@code trainable(false)} always runs in inference mode and
 * its moving statistics stay put, as in Keras 3 (the usual way to fine-tune a pretrained
 * network). Keras' defaults: momentum 0.99, epsilon 1e-3, {@code gamma} ones, {@code beta}
 * zeros, moving mean zeros, moving variance ones.
 *
 * <p>Weights, in Keras' order: {@code gamma} and {@code beta} (trainable, omitted when {@code
 * scale} / {@code center} is false), {@code moving_mean} and {@code moving_variance} (never
 * trained: counted as non-trainable). With the channels last and epsilon at least cuDNN's
 * 1.001e-5, training and inference run as TensorFlow's {@code FusedBatchNormV3}, and the
 * gradient is that op's own; otherwise as separate ops.
 *
 * <pre>{@code
 * Conv2D.of(32, 3).useBias(false), BatchNormalization.of(), Activation.of(RELU)
 * }</pre>
 */
public final class BatchNormalization extends Layer<BatchNormalization> {
  /** The smallest epsilon cuDNN's fused kernel accepts; Keras' Python TF wrapper uses it too. */
  static final double FUSED_MIN_EPSILON = 1.001e-5;

  private final int axis;
  private final double momentum;
  private final double epsilon;
  private final boolean center;
  private final boolean scale;
  private final WeightConfig beta;
  private final WeightConfig gamma;
  private final Initializer movingMeanInitializer;
  private final Initializer movingVarianceInitializer;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private BatchNormalization(LayerOptions options, int axis, double momentum, double epsilon,
      boolean center, boolean scale, WeightConfig beta, WeightConfig gamma,
      Initializer movingMeanInitializer, Initializer movingVarianceInitializer) {
    super(options);
    checkArgument(momentum >= 0 && momentum <= 1, "momentum must lie in [0, 1], got %s",
        momentum);
    checkArgument(epsilon > 0, "epsilon must be positive, got %s", epsilon);
    this.axis = axis;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.center = center;
    this.scale = scale;
    this.beta = beta;
    this.gamma = gamma;
    this.movingMeanInitializer = movingMeanInitializer;
    this.movingVarianceInitializer = movingVarianceInitializer;
  }

  /** Keras' defaults: axis -1, momentum 0.99, epsilon 1e-3, center and scale. */
  public static BatchNormalization of() {
    return new BatchNormalization(null, -1, 0.99, 1e-3, true, true,
        WeightConfig.of(Initializers.zeros()), WeightConfig.of(Initializers.ones()),
        Initializers.zeros(), Initializers.ones());
  }

  public int axis() {
    return axis;
  }

  public double momentum() {
    return momentum;
  }

  public double epsilon() {
    return epsilon;
  }

  public boolean center() {
    return center;
  }

  public boolean scale() {
    return scale;
  }

  /** The feature axis (negative counts from the end; not the batch axis). */
  public BatchNormalization axis(int axis) {
    return toBuilder().axis(axis).build();
  }

  public BatchNormalization momentum(double momentum) {
    return toBuilder().momentum(momentum).build();
  }

  public BatchNormalization epsilon(double epsilon) {
    return toBuilder().epsilon(epsilon).build();
  }

  /** Whether to add {@code beta}. */
  public BatchNormalization center(boolean center) {
    return toBuilder().center(center).build();
  }

  /** Whether to multiply by {@code gamma}. */
  public BatchNormalization scale(boolean scale) {
    return toBuilder().scale(scale).build();
  }

  public BatchNormalization betaInitializer(Initializer initializer) {
    return toBuilder().beta(beta.withInitializer(initializer)).build();
  }

  public BatchNormalization gammaInitializer(Initializer initializer) {
    return toBuilder().gamma(gamma.withInitializer(initializer)).build();
  }

  public BatchNormalization movingMeanInitializer(Initializer initializer) {
    return toBuilder().movingMeanInitializer(initializer).build();
  }

  public BatchNormalization movingVarianceInitializer(Initializer initializer) {
    return toBuilder().movingVarianceInitializer(initializer).build();
  }

  public BatchNormalization betaRegularizer(Regularizer regularizer) {
    return toBuilder().beta(beta.withRegularizer(regularizer)).build();
  }

  public BatchNormalization gammaRegularizer(Regularizer regularizer) {
    return toBuilder().gamma(gamma.withRegularizer(regularizer)).build();
  }

  public BatchNormalization betaConstraint(Constraint constraint) {
    return toBuilder().beta(beta.withConstraint(constraint)).build();
  }

  public BatchNormalization gammaConstraint(Constraint constraint) {
    return toBuilder().gamma(gamma.withConstraint(constraint)).build();
  }

  public Initializer betaInitializer() {
    return beta.initializer();
  }

  public Initializer gammaInitializer() {
    return gamma.initializer();
  }

  public Initializer movingMeanInitializer() {
    return movingMeanInitializer;
  }

  public Initializer movingVarianceInitializer() {
    return movingVarianceInitializer;
  }

  public Regularizer betaRegularizer() {
    return beta.regularizer();
  }

  public Regularizer gammaRegularizer() {
    return gamma.regularizer();
  }

  public Constraint betaConstraint() {
    return beta.constraint();
  }

  public Constraint gammaConstraint() {
    return gamma.constraint();
  }

  /** Keras' {@code supports_masking}: the input's mask passes on. */
  @Override
  public boolean propagatesMask() {
    return true;
  }

  @Override
  protected BatchNormalization withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  private int axisOf(int rank) {
    return axis < 0 ? rank + axis : axis;
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    int rank = input.numDimensions();
    int at = axisOf(rank);
    checkArgument(rank >= 2 && at >= 1 && at < rank,
        "axis %s is out of range for input of rank %s (the batch axis is not allowed)", axis,
        rank);
    checkArgument(input.get(at) > 0, "the size of axis %s must be known", axis);
    return input;
  }

  @Override
  public List<WeightSpec> weights(Shape input) {
    Shape features = Shape.of(input.get(axisOf(input.numDimensions())));
    List<WeightSpec> weights = new ArrayList<>(4);
    if (scale) {
      weights.add(gamma.spec("gamma", features, trainable()));
    }
    if (center) {
      weights.add(beta.spec("beta", features, trainable()));
    }
    weights.add(new WeightSpec("moving_mean", features, movingMeanInitializer, null, false));
    weights.add(new WeightSpec("moving_variance", features, movingVarianceInitializer, null,
        false));
    return weights;
  }

  /** Float32 under any policy: Keras normalizes 16-bit inputs in float32. */
  @Override
  public Class<? extends TFloating> computeType() {
    return TFloat32.class;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    Ops tf = context.tf();
    long features = input.shape().get(axisOf(input.shape().numDimensions()));
    Operand<TFloat32> gammaValue = scale ? context.weight("gamma")
        : tf.fill(tf.constant(new long[] {features}), tf.constant(1f));
    Operand<TFloat32> betaValue = center ? context.weight("beta")
        : tf.fill(tf.constant(new long[] {features}), tf.constant(0f));
    boolean batchStatistics = context.training() && trainable();
    boolean fused = axisOf(input.shape().numDimensions()) == input.shape().numDimensions() - 1
        && epsilon >= FUSED_MIN_EPSILON;
    return fused ? fused(context, input, gammaValue, betaValue, batchStatistics)
        : unfused(context, input, gammaValue, betaValue, batchStatistics);
  }

  /** FusedBatchNormV3 on the input seen as NHWC (any rank, channels last). */
  private Operand<TFloat32> fused(CallContext context, Operand<TFloat32> input,
      Operand<TFloat32> gammaValue, Operand<TFloat32> betaValue, boolean batchStatistics) {
    Ops tf = context.tf();
    int rank = input.shape().numDimensions();
    long features = input.shape().get(rank - 1);
    Operand<TFloat32> x = rank == 4 ? input
        : tf.reshape(input, tf.constant(new long[] {-1, 1, 1, features}));
    FusedBatchNorm<TFloat32, TFloat32> bn;
    if (batchStatistics) {
      Operand<TFloat32> empty = tf.zeros(tf.constant(new long[] {0}), TFloat32.class);
      bn = tf.nn.fusedBatchNorm(x, gammaValue, betaValue, empty, empty,
          FusedBatchNorm.epsilon((float) epsilon), FusedBatchNorm.isTraining(true),
          FusedBatchNorm.dataFormat("NHWC"));
      // The op's batch variance is divided by n - 1 (for its own running average); Keras'
      // moving variance follows the variance divided by n, the one used to normalize.
      Operand<TFloat32> n = tf.dtypes.cast(tf.math.div(tf.size(x, TInt32.class),
          tf.constant((int) features)), TFloat32.class);
      Operand<TFloat32> biased = tf.math.mul(bn.batchVariance(), tf.math.div(
          tf.math.maximum(tf.math.sub(n, tf.constant(1f)), tf.constant(0f)), n));
      updateMovingStatistics(context, bn.batchMean(), biased);
    } else {
      bn = tf.nn.fusedBatchNorm(x, gammaValue, betaValue, context.weight("moving_mean"),
          context.weight("moving_variance"), FusedBatchNorm.epsilon((float) epsilon),
          FusedBatchNorm.isTraining(false), FusedBatchNorm.dataFormat("NHWC"));
    }
    return rank == 4 ? bn.y() : tf.reshape(bn.y(), tf.shape(input));
  }

  /** The same computation as separate ops (another axis, or an epsilon cuDNN refuses). */
  private Operand<TFloat32> unfused(CallContext context, Operand<TFloat32> input,
      Operand<TFloat32> gammaValue, Operand<TFloat32> betaValue, boolean batchStatistics) {
    Ops tf = context.tf();
    int rank = input.shape().numDimensions();
    int at = axisOf(rank);
    long[] broadcast = new long[rank];
    java.util.Arrays.fill(broadcast, 1);
    broadcast[at] = input.shape().get(at);
    int[] reduced = java.util.stream.IntStream.range(0, rank).filter(i -> i != at).toArray();
    Operand<TInt32> axes = tf.constant(reduced);
    Operand<TFloat32> mean;
    Operand<TFloat32> variance;
    if (batchStatistics) {
      mean = tf.math.mean(input, axes);
      Operand<TFloat32> centered = tf.math.squaredDifference(input,
          tf.stopGradient(tf.reshape(mean, tf.constant(broadcast))));
      variance = tf.math.mean(centered, axes);
      updateMovingStatistics(context, mean, variance);
    } else {
      mean = context.weight("moving_mean");
      variance = context.weight("moving_variance");
    }
    Operand<TFloat32> inv = tf.math.mul(tf.math.rsqrt(tf.math.add(variance,
        tf.constant((float) epsilon))), gammaValue);
    Operand<TFloat32> shift = tf.math.sub(betaValue, tf.math.mul(mean, inv));
    return tf.math.add(tf.math.mul(input, tf.reshape(inv, tf.constant(broadcast))),
        tf.reshape(shift, tf.constant(broadcast)));
  }

  private void updateMovingStatistics(CallContext context, Operand<TFloat32> mean,
      Operand<TFloat32> variance) {
    Ops tf = context.tf();
    context.addUpdate(tf.assign(context.variable("moving_mean"),
        movingAverage(tf, context.weight("moving_mean"), mean)));
    context.addUpdate(tf.assign(context.variable("moving_variance"),
        movingAverage(tf, context.weight("moving_variance"), variance)));
  }

  /** Keras' {@code moving * momentum + batch * (1 - momentum)}. */
  private Operand<TFloat32> movingAverage(Ops tf, Operand<TFloat32> moving,
      Operand<TFloat32> batch) {
    return tf.math.add(tf.math.mul(moving, tf.constant((float) momentum)),
        tf.math.mul(batch, tf.constant((float) (1 - momentum))));
  }
}
