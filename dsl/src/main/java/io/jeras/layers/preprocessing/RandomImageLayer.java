package io.jeras.layers.preprocessing;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * What Keras' random image augmentation layers share: NHWC images in, the same shape out; a
 * random change per image in training, the identity in evaluation, prediction and exported
 * models. The random draws follow the model's seed (or the layer's own), differently at every
 * training step.
 */
public abstract class RandomImageLayer<L extends RandomImageLayer<L>> extends Layer<L> {
  protected final Long seed;

  protected RandomImageLayer(LayerOptions options, Long seed) {
    super(options);
    this.seed = seed;
  }

  /** This layer with its own seed (otherwise its draws follow the model's seed). */
  public abstract L seed(long seed);

  /** The change applied in training. */
  protected abstract Operand<TFloat32> transform(CallContext context, Operand<TFloat32> images);


  /** The layer's own seed, or null when its draws follow the model's seed. */
  public Long seed() {
    return seed;
  }
  @Override
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() == 4,
        "%s expects 4-D input (batch, height, width, channels), got rank %s", className(),
        input.numDimensions());
    return input;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    return context.training() ? transform(context, input) : input;
  }

  /** A value per image, uniform in [low, high), shaped (batch, 1, 1, 1) or (batch, 1). */
  protected Operand<TFloat32> uniform(CallContext context, Operand<TFloat32> images, double low,
      double high, int salt, boolean column) {
    Ops tf = context.tf();
    Operand<TInt64> batch = tf.slice(tf.shape(images, TInt64.class), tf.constant(new long[] {0}),
        tf.constant(new long[] {1}));
    Operand<TInt64> shape = tf.concat(java.util.List.of(batch,
        tf.constant(column ? new long[] {1} : new long[] {1, 1, 1})), tf.constant(0));
    long opSeed = opSeed(context, salt);
    Operand<TFloat32> unit = tf.random.randomUniform(shape, TFloat32.class,
        RandomUniform.seed(opSeed), RandomUniform.seed2(opSeed >>> 1));
    return tf.math.add(tf.math.mul(unit, tf.constant((float) (high - low))),
        tf.constant((float) low));
  }

  /** The seed of this layer's random op number {@code salt}: the layer's, or the model's. */
  protected long opSeed(CallContext context, int salt) {
    return (seed != null ? seed : context.seed()) + 7919L * salt;
  }

  /** Keras' factor: a number f means [-f, f]; two numbers are [lower, upper]. */
  protected static double[] range(double... factor) {
    checkArgument(factor.length == 1 || factor.length == 2,
        "factor takes one number or (lower, upper), got %s", factor.length);
    double lower = factor.length == 1 ? -Math.abs(factor[0]) : factor[0];
    double upper = factor.length == 1 ? Math.abs(factor[0]) : factor[1];
    checkArgument(lower <= upper, "factor must give lower <= upper, got (%s, %s)", lower, upper);
    return new double[] {lower, upper};
  }
}
