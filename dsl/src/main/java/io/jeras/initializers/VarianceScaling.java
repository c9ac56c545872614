package io.jeras.initializers;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Random;
import org.tensorflow.ndarray.Shape;

/**
 * Keras' {@code VarianceScaling}: samples whose variance is {@code scale / n}, where {@code n} is
 * the fan-in, the fan-out or their average. The Glorot, He and LeCun initializers are instances.
 *
 * <p>Truncated normal samples are redrawn beyond two standard deviations, and the standard
 * deviation is divided by 0.87962566103423978 (the standard deviation of a unit normal truncated
 * at two) so the variance stays {@code scale / n}; uniform samples lie in
 * {@code [-sqrt(3 scale / n), sqrt(3 scale / n)]}.
 */
public final class VarianceScaling implements Initializer {
  /** Standard deviation of a unit normal truncated to [-2, 2]. */
  static final double TRUNCATED_NORMAL_STDDEV = 0.87962566103423978;

  /** Which fan divides the scale. */
  public enum Mode { FAN_IN, FAN_OUT, FAN_AVG }

  /** The sampling distribution. */
  public enum Distribution { TRUNCATED_NORMAL, UNTRUNCATED_NORMAL, UNIFORM }

  private final double scale;
  private final Mode mode;
  private final Distribution distribution;
  private final Long seed;
  private final String kerasName;

  VarianceScaling(double scale, Mode mode, Distribution distribution, Long seed, String kerasName) {
    checkArgument(scale > 0, "Argument `scale` must be positive. Received: scale=%s", scale);
    this.scale = scale;
    this.mode = mode;
    this.distribution = distribution;
    this.seed = seed;
    this.kerasName = kerasName;
  }

  /** {@code VarianceScaling(scale, mode, distribution)} with a seed, or null for none. */
  public static VarianceScaling of(double scale, Mode mode, Distribution distribution, Long seed) {
    return new VarianceScaling(scale, mode, distribution, seed, "variance_scaling");
  }

  @Override
  public float[] generate(Shape shape, long seed) {
    Fans fans = Fans.of(shape);
    double n = switch (mode) {
      case FAN_IN -> fans.in();
      case FAN_OUT -> fans.out();
      case FAN_AVG -> (fans.in() + fans.out()) / 2;
    };
    double variance = scale / Math.max(1, n);
    Random random = new Random(seed);
    float[] values = new float[Math.toIntExact(shape.size())];
    switch (distribution) {
      case TRUNCATED_NORMAL -> {
        double stddev = Math.sqrt(variance) / TRUNCATED_NORMAL_STDDEV;
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (stddev * Samplers.truncatedGaussian(random));
        }
      }
      case UNTRUNCATED_NORMAL -> {
        double stddev = Math.sqrt(variance);
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (stddev * random.nextGaussian());
        }
      }
      case UNIFORM -> {
        double limit = Math.sqrt(3 * variance);
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) Samplers.uniform(random, -limit, limit);
        }
      }
    }
    return values;
  }

  @Override
  public Long seed() {
    return seed;
  }

  @Override
  public String kerasName() {
    return kerasName;
  }

  public double scale() {
    return scale;
  }

  public Mode mode() {
    return mode;
  }

  public Distribution distribution() {
    return distribution;
  }
}
