package io.jeras.initializers;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Random;
import org.tensorflow.ndarray.Shape;

/**
 * Keras' {@code RandomNormal}, {@code TruncatedNormal} and {@code RandomUniform}: samples from a
 * fixed distribution, whatever the weight's shape.
 */
public final class RandomInitializer implements Initializer {
  private enum Kind { NORMAL, TRUNCATED_NORMAL, UNIFORM }

  private final Kind kind;
  private final double a;
  private final double b;
  private final Long seed;

  private RandomInitializer(Kind kind, double a, double b, Long seed) {
    this.kind = kind;
    this.a = a;
    this.b = b;
    this.seed = seed;
  }

  /** Normal samples with {@code mean} and {@code stddev} (Keras: 0.0, 0.05). */
  public static RandomInitializer normal(double mean, double stddev, Long seed) {
    checkArgument(stddev >= 0, "Argument `stddev` must be >= 0. Received: stddev=%s", stddev);
    return new RandomInitializer(Kind.NORMAL, mean, stddev, seed);
  }

  /** Normal samples redrawn beyond two standard deviations (Keras: 0.0, 0.05). */
  public static RandomInitializer truncatedNormal(double mean, double stddev, Long seed) {
    checkArgument(stddev >= 0, "Argument `stddev` must be >= 0. Received: stddev=%s", stddev);
    return new RandomInitializer(Kind.TRUNCATED_NORMAL, mean, stddev, seed);
  }

  /** Uniform samples in {@code [minval, maxval)} (Keras: -0.05, 0.05). */
  public static RandomInitializer uniform(double minval, double maxval, Long seed) {
    checkArgument(minval <= maxval,
        "Argument `minval` must be <= `maxval`. Received: minval=%s, maxval=%s", minval, maxval);
    return new RandomInitializer(Kind.UNIFORM, minval, maxval, seed);
  }

  @Override
  public float[] generate(Shape shape, long seed) {
    Random random = new Random(seed);
    float[] values = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) switch (kind) {
        case NORMAL -> a + b * random.nextGaussian();
        case TRUNCATED_NORMAL -> a + b * Samplers.truncatedGaussian(random);
        case UNIFORM -> Samplers.uniform(random, a, b);
      };
    }
    return values;
  }

  @Override
  public Long seed() {
    return seed;
  }

  /**
   * Keras' arguments of this initializer: {@code mean} and {@code stddev}, or {@code minval}
   * and {@code maxval}.
   */
  public java.util.Map<String, Double> kerasArguments() {
    return kind == Kind.UNIFORM ? java.util.Map.of("minval", a, "maxval", b)
        : java.util.Map.of("mean", a, "stddev", b);
  }

  @Override
  public String kerasName() {
    return switch (kind) {
      case NORMAL -> "random_normal";
      case TRUNCATED_NORMAL -> "truncated_normal";
      case UNIFORM -> "random_uniform";
    };
  }
}
