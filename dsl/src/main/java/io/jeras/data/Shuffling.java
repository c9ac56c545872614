package io.jeras.data;

import java.util.Random;

/**
 * The shuffles of the data loops: a seeded Fisher-Yates permutation, and the seed of each pass
 * over the data, derived from the run's seed alone so that a resumed run shuffles (and
 * augments) exactly as an uninterrupted one.
 */
public final class Shuffling {
  private Shuffling() {}

  /** The seed of pass (epoch) {@code pass} of a run seeded with {@code seed}. */
  public static long passSeed(long seed, int pass) {
    return seed ^ (0x9E3779B97F4A7C15L * (pass + 1));
  }

  /** A permutation of {@code 0..n-1} drawn from {@code random}. */
  public static int[] permutation(int n, Random random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
