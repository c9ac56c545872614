package io.jeras.initializers;

import java.util.Random;

/** The few random draws the initializers need. */
final class Samplers {
  private Samplers() {}

  /** A unit normal sample, redrawn until it lies within two standard deviations. */
  static double truncatedGaussian(Random random) {
    double x;
    do {
      x = random.nextGaussian();
    } while (Math.abs(x) > 2);
    return x;
  }

  /** A uniform sample in {@code [min, max)}. */
  static double uniform(Random random, double min, double max) {
    return min + (max - min) * random.nextDouble();
  }
}
