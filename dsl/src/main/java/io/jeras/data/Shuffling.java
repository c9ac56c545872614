package io.jeras.data;

import java.util.Random;

/**
 * The shuffles of the data loops: a seeded Fisher-Yates permutation, and the seed of each pass
 * over the data, derived from the run's seed alone so that a resumed run shuffles (and
 * augments) exactly as an uninterrupted one; and NumPy's legacy {@code
 * np.random.RandomState(seed).shuffle}, with which Keras' dataset utilities shuffle file lists
 * and window positions before {@code tf.data} shuffles them again.
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

  /** The largest seed {@code np.random.RandomState} takes: {@code 2**32 - 1}. */
  public static final long MAX_NUMPY_SEED = 0xFFFF_FFFFL;

  /**
   * The order in which {@code np.random.RandomState(seed).shuffle(x)} leaves the elements of a
   * list {@code x} of {@code n}: element {@code i} of the result is {@code x[order[i]]}. This is
   * NumPy's legacy generator exactly (MT19937 seeded by {@code init_genrand}, then from the
   * last index down, {@code j} drawn by {@code random_interval(i)}: masked 32-bit draws,
   * rejected until {@code <= i}).
   *
   * @throws IllegalArgumentException if {@code seed} is outside NumPy's {@code [0, 2**32 - 1]}
   */
  public static int[] numpyPermutation(int n, long seed) {
    if (seed < 0 || seed > MAX_NUMPY_SEED) {
      throw new IllegalArgumentException("Seed must be between 0 and 2**32 - 1 (NumPy's"
          + " RandomState), got " + seed);
    }
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Mt19937 random = new Mt19937((int) seed);
    for (int i = n - 1; i > 0; i--) {
      int mask = i;
      mask |= mask >>> 1;
      mask |= mask >>> 2;
      mask |= mask >>> 4;
      mask |= mask >>> 8;
      mask |= mask >>> 16;
      int j;
      do {
        j = random.next32() & mask;
      } while (j > i);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** The Mersenne Twister MT19937 as NumPy's legacy {@code RandomState} seeds and draws it. */
  private static final class Mt19937 {
    private static final int N = 624;
    private static final int M = 397;
    private final int[] state = new int[N];
    private int position = N;

    Mt19937(int seed) {
      state[0] = seed;
      for (int i = 1; i < N; i++) {
        state[i] = 1812433253 * (state[i - 1] ^ (state[i - 1] >>> 30)) + i;
      }
    }

    /** The next 32 random bits ({@code genrand_int32}); compare them unsigned. */
    int next32() {
      if (position >= N) {
        for (int k = 0; k < N; k++) {
          int y = (state[k] & 0x80000000) | (state[(k + 1) % N] & 0x7fffffff);
          state[k] = state[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
        }
        position = 0;
      }
      int y = state[position++];
      y ^= y >>> 11;
      y ^= (y << 7) & 0x9d2c5680;
      y ^= (y << 15) & 0xefc60000;
      y ^= y >>> 18;
      return y;
    }
  }
}
