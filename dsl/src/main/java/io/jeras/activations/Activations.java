package io.jeras.activations;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/**
 * The activation functions of {@code keras.activations}, by enum or by Keras name.
 *
 * <pre>{@code
 * Dense.of(10).activation(SOFTMAX)      // or .activation("softmax")
 * }</pre>
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
  LEAKY_RELU("leaky_relu");

  /** Keras' default negative slope of the {@code leaky_relu} activation function. */
  public static final float LEAKY_RELU_NEGATIVE_SLOPE = 0.2f;

  private final String kerasName;

  Activations(String kerasName) {
    this.kerasName = kerasName;
  }

  /** The name Keras uses ({@code "relu"}). */
  public String kerasName() {
    return kerasName;
  }

  /** The activation with Keras name {@code name} (case-insensitive; null means linear). */
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
    throw new IllegalArgumentException("Unknown activation \"" + name + "\"; expected one of "
        + Arrays.stream(values()).map(a -> a.kerasName).collect(Collectors.joining(", ")));
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
    };
  }
}
