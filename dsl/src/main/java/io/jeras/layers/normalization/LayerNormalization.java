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
import java.util.Arrays;
import java.util.List;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.TInt32;

/**
 * Keras' {@code LayerNormalization}: each sample normalized over {@code axis} (default -1, the
 * features) by its own mean and variance, {@code gamma * (x - mean) / sqrt(variance + epsilon)
 * + beta}; the same in training and inference (no moving statistics).
 *
 * <p>Keras' defaults: epsilon 1e-3, center and scale, {@code gamma} ones, {@code beta} zeros.
 * {@code axis} is one axis or a list; the weights have the sizes of those axes, in the order
 * given. Weights, in Keras' order: {@code gamma} (unless {@code scale} and {@code rmsScaling}
 * are both false) and {@code beta} (when {@code center} and not {@code rmsScaling}).
 *
 * <p>{@code rmsScaling} is Keras 3.8's option: the input times {@code gamma / sqrt(variance +
 * epsilon)}, without centering and without {@code beta}. As Keras computes it, the variance is
 * the centered one, not the mean square (Keras 3.15 deprecates the option for that reason and
 * offers {@code RMSNormalization}).
 *
 * <pre>{@code
 * LayerNormalization.of().epsilon(1e-6)      // ConvNeXt
 * }</pre>
 */
public final class LayerNormalization extends Layer<LayerNormalization> {
  private final int[] axis;
  private final boolean axisList;
  private final double epsilon;
  private final boolean center;
  private final boolean scale;
  private final boolean rmsScaling;
  private final WeightConfig beta;
  private final WeightConfig gamma;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private LayerNormalization(LayerOptions options, int[] axis, boolean axisList, double epsilon,
      boolean center, boolean scale, boolean rmsScaling, WeightConfig beta, WeightConfig gamma) {
    super(options);
    this.axis = axis;
    this.axisList = axisList;
    this.epsilon = epsilon;
    this.center = center;
    this.scale = scale;
    this.rmsScaling = rmsScaling;
    this.beta = beta;
    this.gamma = gamma;
  }

  /** Keras' defaults: axis -1, epsilon 1e-3, center and scale, gamma ones, beta zeros. */
  public static LayerNormalization of() {
    return new LayerNormalization(null, new int[] {-1}, false, 1e-3, true, true, false,
        WeightConfig.of(Initializers.zeros()), WeightConfig.of(Initializers.ones()));
  }

  /** The normalized axes (negative counts from the end), in the order given. */
  public int[] axis() {
    return axis.clone();
  }

  /** Whether the axis was given as a list ({@link #axis(List)}) rather than one int. */
  public boolean axisIsList() {
    return axisList;
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

  /** Whether Keras 3.8's {@code rms_scaling} is on. */
  public boolean rmsScaling() {
    return rmsScaling;
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

  /** Normalizes over one axis (negative counts from the end). */
  public LayerNormalization axis(int axis) {
    return toBuilder().axis(new int[] {axis}).axisList(false).build();
  }

  /** Normalizes over several axes together; the weights have their sizes in this order. */
  public LayerNormalization axis(List<Integer> axis) {
    checkArgument(axis != null && !axis.isEmpty(), "Expected an int or a list/tuple of ints for"
        + " the argument 'axis', but received: %s", axis);
    return toBuilder().axis(axis.stream().mapToInt(Integer::intValue).toArray()).axisList(true)
        .build();
  }

  /** The number added to the variance (default 1e-3). */
  public LayerNormalization epsilon(double epsilon) {
    return toBuilder().epsilon(epsilon).build();
  }

  /** Whether to add {@code beta} (default true). */
  public LayerNormalization center(boolean center) {
    return toBuilder().center(center).build();
  }

  /** Whether to multiply by {@code gamma} (default true). */
  public LayerNormalization scale(boolean scale) {
    return toBuilder().scale(scale).build();
  }

  /** Keras 3.8's {@code rms_scaling} (default false); see the class description. */
  public LayerNormalization rmsScaling(boolean rmsScaling) {
    return toBuilder().rmsScaling(rmsScaling).build();
  }

  /** The initializer of {@code beta} (default zeros). */
  public LayerNormalization betaInitializer(Initializer initializer) {
    return toBuilder().beta(beta.withInitializer(initializer)).build();
  }

  /** The initializer of {@code beta} by Keras name. */
  public LayerNormalization betaInitializer(String initializer) {
    return betaInitializer(Initializers.of(initializer));
  }

  /** The initializer of {@code gamma} (default ones). */
  public LayerNormalization gammaInitializer(Initializer initializer) {
    return toBuilder().gamma(gamma.withInitializer(initializer)).build();
  }

  /** The initializer of {@code gamma} by Keras name. */
  public LayerNormalization gammaInitializer(String initializer) {
    return gammaInitializer(Initializers.of(initializer));
  }

  /** A penalty on {@code beta} added to the loss. */
  public LayerNormalization betaRegularizer(Regularizer regularizer) {
    return toBuilder().beta(beta.withRegularizer(regularizer)).build();
  }

  /** A penalty on {@code gamma} added to the loss. */
  public LayerNormalization gammaRegularizer(Regularizer regularizer) {
    return toBuilder().gamma(gamma.withRegularizer(regularizer)).build();
  }

  /** A constraint applied to {@code beta} after each update. */
  public LayerNormalization betaConstraint(Constraint constraint) {
    return toBuilder().beta(beta.withConstraint(constraint)).build();
  }

  /** A constraint applied to {@code gamma} after each update. */
  public LayerNormalization gammaConstraint(Constraint constraint) {
    return toBuilder().gamma(gamma.withConstraint(constraint)).build();
  }

  /** Keras' {@code supports_masking}: the input's mask passes on. */
  @Override
  public boolean propagatesMask() {
    return true;
  }

  @Override
  protected LayerNormalization withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  private String axisText() {
    return axisList ? Arrays.toString(axis) : Integer.toString(axis[0]);
  }

  /** The axes as non-negative indices, checked against {@code rank}. */
  private int[] resolved(Shape input) {
    int rank = input.numDimensions();
    int[] resolved = new int[axis.length];
    for (int i = 0; i < axis.length; i++) {
      checkArgument(axis[i] < rank && axis[i] >= -rank, "Axis %s is out of bounds for input"
          + " shape %s. Received: axis=%s", axis[i], Shapes.format(input), axisText());
      resolved[i] = axis[i] < 0 ? axis[i] + rank : axis[i];
      checkArgument(input.get(resolved[i]) > 0, "the size of axis %s must be known to normalize"
          + " over it (input shape %s)", axis[i], Shapes.format(input));
    }
    checkArgument(Arrays.stream(resolved).distinct().count() == resolved.length,
        "axis %s names an axis twice", axisText());
    return resolved;
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    resolved(input);
    return input;
  }

  @Override
  public List<WeightSpec> weights(Shape input) {
    int[] at = resolved(input);
    long[] dims = new long[at.length];
    for (int i = 0; i < at.length; i++) {
      dims[i] = input.get(at[i]);
    }
    Shape shape = Shape.of(dims);
    List<WeightSpec> weights = new ArrayList<>(2);
    if (scale || rmsScaling) {
      weights.add(gamma.spec("gamma", shape, trainable()));
    }
    if (center && !rmsScaling) {
      weights.add(beta.spec("beta", shape, trainable()));
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
    int[] at = resolved(shape);
    long[] broadcast = new long[rank];
    Arrays.fill(broadcast, 1);
    for (int a : at) {
      broadcast[a] = shape.get(a);
    }
    Operand<TInt32> axes = tf.constant(at);
    Operand<TFloat32> eps = tf.constant((float) epsilon);
    if (rmsScaling) {
      // Keras' ops.var: the mean of the squared deviations, without a stop-gradient.
      Operand<TFloat32> deviation = tf.math.sub(input,
          tf.math.mean(input, axes, org.tensorflow.op.math.Mean.keepDims(true)));
      Operand<TFloat32> variance = tf.math.mean(tf.math.square(deviation), axes,
          org.tensorflow.op.math.Mean.keepDims(true));
      Operand<TFloat32> inv = tf.math.rsqrt(tf.math.add(variance, eps));
      return tf.math.mul(tf.math.mul(input, inv), reshape(tf, context.weight("gamma"),
          broadcast));
    }
    // tf.nn.moments: the variance of the deviations from a mean held constant.
    Operand<TFloat32> mean = tf.math.mean(input, axes, org.tensorflow.op.math.Mean.keepDims(true));
    Operand<TFloat32> variance = tf.math.mean(tf.math.squaredDifference(input,
        tf.stopGradient(mean)), axes, org.tensorflow.op.math.Mean.keepDims(true));
    Operand<TFloat32> inv = tf.math.rsqrt(tf.math.add(variance, eps));
    if (scale) {
      inv = tf.math.mul(inv, reshape(tf, context.weight("gamma"), broadcast));
    }
    Operand<TFloat32> res = tf.math.mul(tf.math.neg(mean), inv);
    if (center) {
      res = tf.math.add(res, reshape(tf, context.weight("beta"), broadcast));
    }
    return tf.math.add(tf.math.mul(input, inv), res);
  }

  /** A weight laid out on the normalized axes of the input (Keras reshapes it the same way). */
  private static Operand<TFloat32> reshape(Ops tf, Operand<TFloat32> weight, long[] broadcast) {
    return tf.reshape(weight, tf.constant(broadcast));
  }
}
