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
import io.jeras.utils.Shapes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.TInt64;

/**
 * Keras' {@code GroupNormalization}: the channels along {@code axis} (default -1) split into
 * {@code groups} groups (default 32), and each sample normalized within each group over the
 * group's channels and every other non-batch axis: {@code gamma * (x - mean) / sqrt(variance +
 * epsilon) + beta} with one {@code gamma} and {@code beta} per channel. The same in training
 * and inference. {@code groups} -1 means one group per channel (instance normalization); one
 * group is layer normalization over all axes.
 *
 * <p>Keras' defaults: epsilon 1e-3, center and scale, {@code gamma} ones, {@code beta} zeros.
 * The channel count must be known and a multiple of {@code groups}. Weights, in Keras' order:
 * {@code gamma} (when {@code scale}) and {@code beta} (when {@code center}), one value per
 * channel.
 *
 * <pre>{@code
 * GroupNormalization.of().groups(8)
 * }</pre>
 */
public final class GroupNormalization extends Layer<GroupNormalization> {
  private final int groups;
  private final int axis;
  private final double epsilon;
  private final boolean center;
  private final boolean scale;
  private final WeightConfig beta;
  private final WeightConfig gamma;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private GroupNormalization(LayerOptions options, int groups, int axis, double epsilon,
      boolean center, boolean scale, WeightConfig beta, WeightConfig gamma) {
    super(options);
    checkArgument(groups > 0 || groups == -1, "Received an invalid value for argument `groups`,"
        + " expected a positive integer (or `-1` for instance normalization). Received:"
        + " groups=%s", groups);
    this.groups = groups;
    this.axis = axis;
    this.epsilon = epsilon;
    this.center = center;
    this.scale = scale;
    this.beta = beta;
    this.gamma = gamma;
  }

  /** Keras' defaults: 32 groups, axis -1, epsilon 1e-3, center and scale. */
  public static GroupNormalization of() {
    return new GroupNormalization(null, 32, -1, 1e-3, true, true,
        WeightConfig.of(Initializers.zeros()), WeightConfig.of(Initializers.ones()));
  }

  /** The number of groups (-1: one per channel). */
  public int groups() {
    return groups;
  }

  /** The channel axis (negative counts from the end). */
  public int axis() {
    return axis;
  }

  /** The number added to the variance before the square root. */
  public double epsilon() {
    return epsilon;
  }

  /** Whether {@code beta} is added. */
  public boolean center() {
    return center;
  }

  /** Whether the result is multiplied by {@code gamma}. */
  public boolean scale() {
    return scale;
  }

  /** The initializer of {@code beta}. */
  public Initializer betaInitializer() {
    return beta.initializer();
  }

  /** The initializer of {@code gamma}. */
  public Initializer gammaInitializer() {
    return gamma.initializer();
  }

  /** The regularizer of {@code beta}, or null. */
  public Regularizer betaRegularizer() {
    return beta.regularizer();
  }

  /** The regularizer of {@code gamma}, or null. */
  public Regularizer gammaRegularizer() {
    return gamma.regularizer();
  }

  /** The constraint of {@code beta}, or null. */
  public Constraint betaConstraint() {
    return beta.constraint();
  }

  /** The constraint of {@code gamma}, or null. */
  public Constraint gammaConstraint() {
    return gamma.constraint();
  }

  /** The number of groups: positive, or -1 for one group per channel (default 32). */
  public GroupNormalization groups(int groups) {
    return toBuilder().groups(groups).build();
  }

  /** The channel axis (default -1). */
  public GroupNormalization axis(int axis) {
    return toBuilder().axis(axis).build();
  }

  /** The number added to the variance (default 1e-3). */
  public GroupNormalization epsilon(double epsilon) {
    return toBuilder().epsilon(epsilon).build();
  }

  /** Whether to add {@code beta} (default true). */
  public GroupNormalization center(boolean center) {
    return toBuilder().center(center).build();
  }

  /** Whether to multiply by {@code gamma} (default true). */
  public GroupNormalization scale(boolean scale) {
    return toBuilder().scale(scale).build();
  }

  /** The initializer of {@code beta} (default zeros). */
  public GroupNormalization betaInitializer(Initializer initializer) {
    return toBuilder().beta(beta.withInitializer(initializer)).build();
  }

  /** The initializer of {@code beta} by Keras name. */
  public GroupNormalization betaInitializer(String initializer) {
    return betaInitializer(Initializers.of(initializer));
  }

  /** The initializer of {@code gamma} (default ones). */
  public GroupNormalization gammaInitializer(Initializer initializer) {
    return toBuilder().gamma(gamma.withInitializer(initializer)).build();
  }

  /** The initializer of {@code gamma} by Keras name. */
  public GroupNormalization gammaInitializer(String initializer) {
    return gammaInitializer(Initializers.of(initializer));
  }

  /** A penalty on {@code beta} added to the loss. */
  public GroupNormalization betaRegularizer(Regularizer regularizer) {
    return toBuilder().beta(beta.withRegularizer(regularizer)).build();
  }

  /** A penalty on {@code gamma} added to the loss. */
  public GroupNormalization gammaRegularizer(Regularizer regularizer) {
    return toBuilder().gamma(gamma.withRegularizer(regularizer)).build();
  }

  /** A constraint applied to {@code beta} after each update. */
  public GroupNormalization betaConstraint(Constraint constraint) {
    return toBuilder().beta(beta.withConstraint(constraint)).build();
  }

  /** A constraint applied to {@code gamma} after each update. */
  public GroupNormalization gammaConstraint(Constraint constraint) {
    return toBuilder().gamma(gamma.withConstraint(constraint)).build();
  }

  /** Keras' {@code supports_masking}: the input's mask passes on. */
  @Override
  public boolean propagatesMask() {
    return true;
  }

  @Override
  protected GroupNormalization withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  /** The channel axis as an index, checked against the input. */
  private int channelAxis(Shape input) {
    int rank = input.numDimensions();
    checkArgument(axis < rank && axis >= -rank, "Axis %s is out of bounds for input shape %s."
        + " Received: axis=%s", axis, Shapes.format(input), axis);
    int at = axis < 0 ? axis + rank : axis;
    long dim = input.get(at);
    checkArgument(dim > 0, "Axis %s of input tensor should have a defined dimension but the"
        + " layer received an input with shape %s.", axis, Shapes.format(input));
    long g = groups(dim);
    checkArgument(dim >= g, "Number of groups (%s) cannot be more than the number of channels"
        + " (%s).", g, dim);
    checkArgument(dim % g == 0, "Number of groups (%s) must be a multiple of the number of"
        + " channels (%s).", g, dim);
    return at;
  }

  private long groups(long channels) {
    return groups == -1 ? channels : groups;
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    channelAxis(input);
    return input;
  }

  @Override
  public List<WeightSpec> weights(Shape input) {
    Shape channels = Shape.of(input.get(channelAxis(input)));
    List<WeightSpec> weights = new ArrayList<>(2);
    if (scale) {
      weights.add(gamma.spec("gamma", channels, trainable()));
    }
    if (center) {
      weights.add(beta.spec("beta", channels, trainable()));
    }
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
    Shape shape = input.shape();
    int rank = shape.numDimensions();
    int at = channelAxis(shape);
    long channels = shape.get(at);
    long g = groups(channels);
    // (batch, ..., channels, ...) -> (batch, ..., groups, channels / groups, ...)
    long[] grouped = new long[rank + 1];
    long[] broadcast = new long[rank + 1];
    boolean known = true;
    for (int i = 0, j = 0; i < rank; i++, j++) {
      broadcast[j] = 1;
      if (i == at) {
        grouped[j] = g;
        broadcast[j] = g;
        j++;
        grouped[j] = channels / g;
        broadcast[j] = channels / g;
      } else {
        grouped[j] = i == 0 ? -1 : shape.get(i);
        known &= i == 0 || shape.get(i) > 0;
      }
    }
    Operand<TFloat32> x = tf.reshape(input, known ? tf.constant(grouped)
        : dynamicShape(tf, input, grouped, at));
    int[] reduced = IntStream.rangeClosed(1, rank).filter(i -> i != at).toArray();
    Operand<TFloat32> mean = tf.math.mean(x, tf.constant(reduced), Mean.keepDims(true));
    Operand<TFloat32> variance = tf.math.mean(tf.math.squaredDifference(x,
        tf.stopGradient(mean)), tf.constant(reduced), Mean.keepDims(true));
    Operand<TFloat32> inv = tf.math.rsqrt(tf.math.add(variance, tf.constant((float) epsilon)));
    if (scale) {
      inv = tf.math.mul(inv, tf.reshape(context.weight("gamma"), tf.constant(broadcast)));
    }
    Operand<TFloat32> res = tf.math.mul(tf.math.neg(mean), inv);
    if (center) {
      res = tf.math.add(res, tf.reshape(context.weight("beta"), tf.constant(broadcast)));
    }
    Operand<TFloat32> normalized = tf.math.add(tf.math.mul(x, inv), res);
    return tf.reshape(normalized, tf.shape(input));
  }

  /** The grouped shape with the input's unknown sizes read at run time. */
  private static Operand<TInt64> dynamicShape(Ops tf, Operand<TFloat32> input, long[] grouped,
      int at) {
    Operand<TInt64> actual = tf.shape(input, TInt64.class);
    List<Operand<TInt64>> dims = new ArrayList<>();
    for (int j = 0; j < grouped.length; j++) {
      int i = j <= at ? j : j - 1;
      if (grouped[j] > 0 || j == 0) {
        dims.add(tf.constant(new long[] {grouped[j]}));
      } else {
        dims.add(tf.slice(actual, tf.constant(new long[] {i}), tf.constant(new long[] {1})));
      }
    }
    return tf.concat(dims, tf.constant(0));
  }
}
