package io.jeras.activations;

import io.jeras.mixedprecision.Autocast;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/**
 * The activation functions of {@code keras.activations}, by enum or by Keras name, computed as
 * Keras 3 computes them on TensorFlow (the same ops in the same order, so the values agree to
 * float32 rounding).
 *
 * <pre>{@code
 * Dense.of(10).activation(SOFTMAX)      // or .activation("softmax")
 * Activation.of("swish")                // Keras' alias of silu
 * }</pre>
 *
 * <p>Every activation trains: its gradient is built by TensorFlow's C++ gradient registry from
 * the ops it emits. Keras' functions that take arguments use Keras' defaults ({@code elu} alpha
 * 1, {@code leaky_relu} negative slope 0.2, {@code gelu} exact, the shrink functions threshold
 * 0.5, {@code squareplus} b 4, {@code celu} alpha 1).
 */
public enum Activations {
  /** {@code x}: Keras' default ("no activation"). */
  LINEAR("linear"),
  /** {@code max(x, 0)}. */
  RELU("relu"),
  /** {@code 1 / (1 + exp(-x))}. */
  SIGMOID("sigmoid"),
  /** Hyperbolic tangent. */
  TANH("tanh"),
  /** {@code exp(x) / sum(exp(x))} over the last axis. */
  SOFTMAX("softmax"),
  /** {@code log(exp(x) + 1)}. */
  SOFTPLUS("softplus"),
  /** {@code x} if {@code x > 0}, else {@code alpha * (exp(x) - 1)} with Keras' alpha 1.0. */
  ELU("elu"),
  /** Scaled ELU with Keras' constants (alpha 1.67326324, scale 1.05070098). */
  SELU("selu"),
  /** {@code x} if {@code x > 0}, else {@code 0.2 * x} (Keras' default negative slope). */
  LEAKY_RELU("leaky_relu"),
  /** Swish / SiLU: {@code x * sigmoid(x)}; Keras' alias {@code "swish"} names it too. */
  SILU("silu"),
  /**
   * GELU as Keras' {@code activations.gelu} computes it by default (approximate=False): the
   * exact form {@code 0.5 * x * (1 + erf(x / sqrt(2)))}.
   */
  GELU("gelu"),
  /**
   * GELU's tanh approximation, Keras' {@code gelu(x, approximate=True)}: {@code 0.5 * x * (1 +
   * tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))}.
   *
   * <p>Keras has no name for it: {@code keras.activations.serialize} refuses a partial of
   * {@code gelu}, and {@code "gelu"} always means the exact form. {@code "gelu_approximate"} is
   * a Jeras name, accepted by {@link #of(String)} and returned by {@link #kerasName()}; a model
   * using it cannot be written as a Keras config that Keras reads back.
   */
  GELU_APPROXIMATE("gelu_approximate"),
  /** {@code min(max(x, 0), 6)}. */
  RELU6("relu6"),
  /**
   * Keras 3's hard sigmoid: {@code relu6(x + 3) / 6}, that is 0 below -3, 1 above 3 and
   * {@code x / 6 + 0.5} between (Keras 2's was {@code 0.2 * x + 0.5}, clipped).
   */
  HARD_SIGMOID("hard_sigmoid"),
  /** Hard SiLU / hard swish: {@code x * hard_sigmoid(x)}; Keras' alias {@code "hard_swish"}. */
  HARD_SILU("hard_silu"),
  /** {@code x * tanh(softplus(x))}. */
  MISH("mish"),
  /** {@code x / (|x| + 1)}. */
  SOFTSIGN("softsign"),
  /** {@code exp(x)}. */
  EXPONENTIAL("exponential"),
  /** {@code x - log(sum(exp(x)))} over the last axis. */
  LOG_SOFTMAX("log_softmax"),
  /** {@code max(x, 0) + alpha * expm1(min(x, 0) / alpha)} with Keras' alpha 1.0. */
  CELU("celu"),
  /** {@code x} clipped to [-1, 1]. */
  HARD_TANH("hard_tanh"),
  /** {@code log(sigmoid(x)) = -softplus(-x)}. */
  LOG_SIGMOID("log_sigmoid"),
  /** {@code x - 0.5} above 0.5, {@code x + 0.5} below -0.5, else 0 (Keras' threshold 0.5). */
  SOFT_SHRINK("soft_shrink"),
  /** {@code x} where {@code |x| > 0.5}, else 0 (Keras' threshold 0.5). */
  HARD_SHRINK("hard_shrink"),
  /** {@code x - tanh(x)}. */
  TANH_SHRINK("tanh_shrink"),
  /** 0 for {@code x <= -1}, {@code (x + 1)^2 / 4} for {@code -1 < x < 1}, else {@code x}. */
  SPARSE_PLUS("sparse_plus"),
  /** {@code (x + sqrt(x^2 + b)) / 2} with Keras' b = 4. */
  SQUAREPLUS("squareplus");

  /** Keras' default negative slope of the {@code leaky_relu} activation function. */
  public static final float LEAKY_RELU_NEGATIVE_SLOPE = 0.2f;

  /** Keras' other names for activations ({@code keras.activations.get} accepts both). */
  private static final Map<String, Activations> ALIASES = Map.of(
      "swish", SILU,
      "hard_swish", HARD_SILU);

  private final String kerasName;

  Activations(String kerasName) {
    this.kerasName = kerasName;
  }

  /**
   * The name {@code keras.activations.serialize} writes ({@code "relu"}; {@code "silu"} for
   * swish). {@link #GELU_APPROXIMATE} has no Keras name; its Jeras name is returned.
   */
  public String kerasName() {
    return kerasName;
  }

  /**
   * The activation with Keras name or alias {@code name} (case-insensitive; null means linear):
   * {@code "swish"} gives {@link #SILU}, {@code "hard_swish"} {@link #HARD_SILU}.
   */
  public static Activations of(String name) {
    if (name == null) {
      return LINEAR;
    }
    String key = name.toLowerCase(Locale.ROOT);
    for (Activations a : values()) {
      if (a.kerasName.equals(key)) {
        return a;
      }
    }
    Activations alias = ALIASES.get(key);
    if (alias != null) {
      return alias;
    }
    throw new IllegalArgumentException("Unknown activation \"" + name + "\"; expected one of "
        + Arrays.stream(values()).map(a -> a.kerasName).collect(Collectors.joining(", "))
        + " or the aliases swish, hard_swish");
  }

  /** Whether this activation turns logits into probabilities (softmax, sigmoid). */
  public boolean producesProbabilities() {
    return this == SOFTMAX || this == SIGMOID;
  }

  /** Emits this activation applied to {@code x}. */
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
    return switch (this) {
      case LINEAR -> x;
      case RELU -> tf.nn.relu(x);
      case SIGMOID -> tf.math.sigmoid(x);
      case TANH -> tf.math.tanh(x);
      case SOFTMAX -> tf.nn.softmax(x);
      case SOFTPLUS -> tf.math.softplus(x);
      case ELU -> tf.nn.elu(x);
      case SELU -> tf.nn.selu(x);
      case LEAKY_RELU -> tf.nn.leakyRelu(x, LeakyRelu.alpha(LEAKY_RELU_NEGATIVE_SLOPE));
      case SILU -> tf.math.mul(x, tf.math.sigmoid(x));
      case GELU -> tf.math.mul(tf.math.mul(constant(tf, x, 0.5), x), tf.math.add(constant(tf, x, 1),
          tf.math.erf(tf.math.div(x, constant(tf, x, 1.4142135623730951)))));
      case GELU_APPROXIMATE -> tf.math.mul(tf.math.mul(constant(tf, x, 0.5), x),
          tf.math.add(constant(tf, x, 1), tf.math.tanh(tf.math.mul(
              constant(tf, x, 0.7978845608028654), tf.math.add(x, tf.math.mul(
                  constant(tf, x, 0.044715), tf.math.pow(x, constant(tf, x, 3))))))));
      case RELU6 -> tf.nn.relu6(x);
      case HARD_SIGMOID -> hardSigmoid(tf, x);
      case HARD_SILU -> tf.math.mul(x, hardSigmoid(tf, x));
      case MISH -> tf.math.mul(x, tf.math.tanh(tf.math.softplus(x)));
      case SOFTSIGN -> tf.nn.softsign(x);
      case EXPONENTIAL -> tf.math.exp(x);
      case LOG_SOFTMAX -> tf.nn.logSoftmax(x);
      case CELU -> tf.math.add(tf.math.maximum(x, constant(tf, x, 0)),
          tf.math.expm1(tf.math.minimum(x, constant(tf, x, 0))));
      case HARD_TANH -> tf.clipByValue(x, constant(tf, x, -1), constant(tf, x, 1));
      case LOG_SIGMOID -> tf.math.neg(tf.math.softplus(tf.math.neg(x)));
      case SOFT_SHRINK -> tf.select(tf.math.greater(x, constant(tf, x, 0.5)),
          tf.math.sub(x, constant(tf, x, 0.5)), tf.select(tf.math.less(x, constant(tf, x, -0.5)),
              tf.math.add(x, constant(tf, x, 0.5)), tf.zerosLike(x)));
      case HARD_SHRINK -> tf.select(tf.math.greater(tf.math.abs(x), constant(tf, x, 0.5)), x,
          tf.zerosLike(x));
      case TANH_SHRINK -> tf.math.sub(x, tf.math.tanh(x));
      case SPARSE_PLUS -> tf.select(tf.math.lessEqual(x, constant(tf, x, -1)), tf.zerosLike(x),
          tf.select(tf.math.less(x, constant(tf, x, 1)), tf.math.mul(constant(tf, x, 0.25),
              tf.math.pow(tf.math.add(x, constant(tf, x, 1)), constant(tf, x, 2))), x));
      case SQUAREPLUS -> tf.math.div(tf.math.add(x, tf.math.sqrt(tf.math.add(
          tf.math.square(x), constant(tf, x, 4)))), constant(tf, x, 2));
    };
  }

  /** Keras 3's {@code relu6(x + 3) / 6}. */
  private static Operand<TFloat32> hardSigmoid(Ops tf, Operand<TFloat32> x) {
    return tf.math.div(tf.nn.relu6(tf.math.add(x, constant(tf, x, 3))), constant(tf, x, 6));
  }

  /** A constant in the type of {@code like} (float32, or a mixed policy's 16-bit type). */
  private static Operand<TFloat32> constant(Ops tf, Operand<TFloat32> like, double value) {
    return Autocast.constant(tf, value, like);
  }
}
