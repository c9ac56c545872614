package io.jeras.initializers;

import io.jeras.initializers.VarianceScaling.Distribution;
import io.jeras.initializers.VarianceScaling.Mode;
import java.util.Locale;

/**
 * The initializers of {@code keras.initializers}, with Keras' defaults, by factory or by name.
 *
 * <pre>{@code
 * Conv2D.of(32, 3).kernelInitializer(Initializers.heNormal(42))
 * Dense.of(10).kernelInitializer("lecun_normal")
 * }</pre>
 */
public final class Initializers {
  /** Keras' default mean and standard deviation of RandomNormal and TruncatedNormal. */
  public static final double DEFAULT_MEAN = 0.0;
  public static final double DEFAULT_STDDEV = 0.05;
  /** Keras' default bounds of RandomUniform. */
  public static final double DEFAULT_MINVAL = -0.05;
  public static final double DEFAULT_MAXVAL = 0.05;

  private Initializers() {}

  /** Uniform in +-sqrt(6 / (fan_in + fan_out)): the default kernel initializer. */
  public static Initializer glorotUniform() {
    return glorotUniform(null);
  }

  public static Initializer glorotUniform(Long seed) {
    return new VarianceScaling(1, Mode.FAN_AVG, Distribution.UNIFORM, seed, "glorot_uniform");
  }

  /** Truncated normal with stddev sqrt(2 / (fan_in + fan_out)). */
  public static Initializer glorotNormal() {
    return glorotNormal(null);
  }

  public static Initializer glorotNormal(Long seed) {
    return new VarianceScaling(1, Mode.FAN_AVG, Distribution.TRUNCATED_NORMAL, seed,
        "glorot_normal");
  }

  /** Truncated normal with stddev sqrt(2 / fan_in). */
  public static Initializer heNormal() {
    return heNormal(null);
  }

  public static Initializer heNormal(Long seed) {
    return new VarianceScaling(2, Mode.FAN_IN, Distribution.TRUNCATED_NORMAL, seed, "he_normal");
  }

  /** Uniform in +-sqrt(6 / fan_in). */
  public static Initializer heUniform() {
    return heUniform(null);
  }

  public static Initializer heUniform(Long seed) {
    return new VarianceScaling(2, Mode.FAN_IN, Distribution.UNIFORM, seed, "he_uniform");
  }

  /** Truncated normal with stddev sqrt(1 / fan_in). */
  public static Initializer lecunNormal() {
    return lecunNormal(null);
  }

  public static Initializer lecunNormal(Long seed) {
    return new VarianceScaling(1, Mode.FAN_IN, Distribution.TRUNCATED_NORMAL, seed,
        "lecun_normal");
  }

  /** Uniform in +-sqrt(3 / fan_in). */
  public static Initializer lecunUniform() {
    return lecunUniform(null);
  }

  public static Initializer lecunUniform(Long seed) {
    return new VarianceScaling(1, Mode.FAN_IN, Distribution.UNIFORM, seed, "lecun_uniform");
  }

  /** All zeros: the default bias initializer. */
  public static Initializer zeros() {
    return new Constant(0);
  }

  public static Initializer ones() {
    return new Constant(1);
  }

  public static Initializer constant(float value) {
    return new Constant(value);
  }

  /** Normal with Keras' defaults: mean 0, stddev 0.05. */
  public static Initializer randomNormal() {
    return RandomInitializer.normal(DEFAULT_MEAN, DEFAULT_STDDEV, null);
  }

  public static Initializer randomNormal(double mean, double stddev, Long seed) {
    return RandomInitializer.normal(mean, stddev, seed);
  }

  /** Uniform with Keras' defaults: [-0.05, 0.05). */
  public static Initializer randomUniform() {
    return RandomInitializer.uniform(DEFAULT_MINVAL, DEFAULT_MAXVAL, null);
  }

  public static Initializer randomUniform(double minval, double maxval, Long seed) {
    return RandomInitializer.uniform(minval, maxval, seed);
  }

  /** Truncated normal with Keras' defaults: mean 0, stddev 0.05. */
  public static Initializer truncatedNormal() {
    return RandomInitializer.truncatedNormal(DEFAULT_MEAN, DEFAULT_STDDEV, null);
  }

  public static Initializer truncatedNormal(double mean, double stddev, Long seed) {
    return RandomInitializer.truncatedNormal(mean, stddev, seed);
  }

  /** The initializer Keras calls {@code name}, with Keras' defaults. */
  /** Keras' {@code Orthogonal(gain=1.0)}: a random orthogonal matrix. */
  public static Initializer orthogonal() {
    return new Orthogonal(1.0, null);
  }

  /** Keras' {@code Orthogonal(gain, seed)}. */
  public static Initializer orthogonal(double gain, Long seed) {
    return new Orthogonal(gain, seed);
  }

  public static Initializer of(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "glorot_uniform" -> glorotUniform();
      case "glorot_normal" -> glorotNormal();
      case "he_normal" -> heNormal();
      case "he_uniform" -> heUniform();
      case "lecun_normal" -> lecunNormal();
      case "lecun_uniform" -> lecunUniform();
      case "orthogonal" -> orthogonal();
      case "zeros" -> zeros();
      case "ones" -> ones();
      case "random_normal" -> randomNormal();
      case "random_uniform" -> randomUniform();
      case "truncated_normal" -> truncatedNormal();
      default -> throw new IllegalArgumentException("Unknown initializer \"" + name
          + "\"; expected one of glorot_uniform, glorot_normal, he_normal, he_uniform,"
          + " lecun_normal, lecun_uniform, zeros, ones, random_normal, random_uniform,"
          + " truncated_normal, orthogonal");
    };
  }
}
