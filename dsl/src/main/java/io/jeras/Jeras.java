package io.jeras;

import io.jeras.bridge.SessionOptions;
import java.util.Random;

/**
 * Process-wide settings: the random seed and how sessions run.
 *
 * <p>Like {@code keras.utils.set_random_seed}, {@link #setRandomSeed} makes everything random
 * that has no seed of its own reproducible: initial weights, Dropout masks and the shuffling in
 * {@code fit}. Without it, each run differs.
 *
 * <pre>{@code
 * Jeras.setRandomSeed(42);
 * }</pre>
 */
public final class Jeras {
  private static Random seeds = new Random();
  private static SessionOptions sessionOptions = SessionOptions.defaults();

  private Jeras() {}

  /** Seeds every source of randomness that has no seed of its own. */
  public static synchronized void setRandomSeed(long seed) {
    seeds = new Random(seed);
  }

  /** The next seed for something random that was given none. */
  public static synchronized long nextSeed() {
    return seeds.nextLong();
  }

  /** How new models' sessions run (threads, placement); TensorFlow's defaults unless set. */
  public static synchronized SessionOptions sessionOptions() {
    return sessionOptions;
  }

  public static synchronized void setSessionOptions(SessionOptions options) {
    sessionOptions = options;
  }
}
