package io.jeras.layers.regularization;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import io.jeras.mixedprecision.Autocast;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' {@code Dropout}: in training, each input unit is set to 0 with probability
 * {@code rate} and the kept units are scaled by {@code 1 / (1 - rate)} (inverted dropout); in
 * evaluation and prediction it is the identity. No weights.
 *
 * <p>With a {@link #noiseShape(Integer...) noise shape} one keep-or-drop decision is shared
 * along the axes of size 1: EfficientNet's {@code noise_shape=(None, 1, 1, 1)} drops whole
 * samples of a residual branch.
 *
 * <pre>{@code
 * Dropout.of(0.5)
 * Dropout.of(0.2).noiseShape(null, 1, 1, 1)
 * }</pre>
 */
public final class Dropout extends Layer<Dropout> {
  private final double rate;
  private final Long seed;
  private final List<Integer> noiseShape;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Dropout(LayerOptions options, double rate, Long seed, List<Integer> noiseShape) {
    super(options);
    this.rate = rate;
    this.seed = seed;
    this.noiseShape = noiseShape;
  }

  /** Drops units with probability {@code rate}, which must lie in [0, 1]. */
  public static Dropout of(double rate) {
    checkArgument(rate >= 0 && rate <= 1,
        "Invalid value received for argument `rate`. Expected a float value between 0 and 1."
            + " Received: rate=%s", rate);
    return new Dropout(null, rate, null, null);
  }

  /** Fixes this layer's random masks (otherwise they follow the model's seed). */
  public Dropout seed(long seed) {
    return toBuilder().seed(seed).build();
  }

  /**
   * Keras' {@code noise_shape}: the shape of the random keep mask, one entry per input axis
   * (batch first); a null entry (Keras' {@code None}) takes the input's size at run time, and an
   * entry of 1 shares one decision along that axis. Other entries must equal the input's size.
   */
  public Dropout noiseShape(Integer... noiseShape) {
    checkArgument(noiseShape != null && noiseShape.length > 0, "noise_shape needs one entry per"
        + " input axis");
    for (int i = 0; i < noiseShape.length; i++) {
      checkArgument(noiseShape[i] == null || noiseShape[i] > 0, "Invalid value received for"
          + " argument `noise_shape`. Expected all dimensions to be positive integers or None."
          + " Received negative or zero value at index %s: %s", i, noiseShape[i]);
    }
    return toBuilder()
        .noiseShape(Collections.unmodifiableList(new ArrayList<>(Arrays.asList(noiseShape))))
        .build();
  }

  public double rate() {
    return rate;
  }

  /** This layer's own seed, or null when it follows the model's seed. */
  public Long seed() {
    return seed;
  }

  /** The noise shape (null entries for Keras' None), or null for the input's own shape. */
  public List<Integer> noiseShape() {
    return noiseShape;
  }

  /** Keras' {@code supports_masking}: the input's mask passes on. */
  @Override
  public boolean propagatesMask() {
    return true;
  }

  @Override
  protected Dropout withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    if (noiseShape != null) {
      checkArgument(noiseShape.size() == input.numDimensions(), "noise_shape %s has %s entries"
          + " but the input has rank %s", format(noiseShape), noiseShape.size(),
          input.numDimensions());
      for (int i = 0; i < noiseShape.size(); i++) {
        Integer d = noiseShape.get(i);
        checkArgument(d == null || d == 1 || input.get(i) < 0 || d == input.get(i),
            "noise_shape %s does not broadcast to the input: axis %s has size %s, not 1 or %s",
            format(noiseShape), i, d, input.get(i));
      }
    }
    return input;
  }

  private static String format(List<Integer> shape) {
    return shape.stream().map(d -> d == null ? "None" : d.toString())
        .collect(java.util.stream.Collectors.joining(", ", "(", shape.size() == 1 ? ",)" : ")"));
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    if (!context.training() || rate == 0) {
      return input;
    }
    var tf = context.tf();
    if (rate == 1) {
      return tf.zerosLike(input);
    }
    long opSeed = seed != null ? seed : context.seed();
    Operand<TFloat32> random = tf.random.randomUniform(maskShape(tf, input), TFloat32.class,
        RandomUniform.seed(opSeed), RandomUniform.seed2(opSeed >>> 1));
    Operand<TFloat32> keep = Autocast.to(tf, tf.dtypes.cast(
        tf.math.greaterEqual(random, tf.constant((float) rate)), TFloat32.class),
        input.type().asSubclass(org.tensorflow.types.family.TFloating.class));
    return tf.math.mul(input, tf.math.mul(keep, Autocast.constant(tf, 1 / (1 - rate), input)));
  }

  /** The keep mask's shape: the input's, or the noise shape with None taken from the input. */
  private Operand<TInt32> maskShape(Ops tf, Operand<TFloat32> input) {
    Operand<TInt32> shape = tf.shape(input);
    if (noiseShape == null) {
      return shape;
    }
    List<Operand<TInt32>> dims = new ArrayList<>(noiseShape.size());
    for (int i = 0; i < noiseShape.size(); i++) {
      Integer d = noiseShape.get(i);
      dims.add(d != null ? tf.constant(new int[] {d})
          : tf.slice(shape, tf.constant(new int[] {i}), tf.constant(new int[] {1})));
    }
    return tf.concat(dims, tf.constant(0));
  }
}
