package io.jeras.data;

import java.util.Random;

/** The shuffles of the data loops: a seeded Fisher-Yates permutation. */
public final class Shuffling {
  private Shuffling() {}

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
