package io.jeras.regularizers;

import java.util.Locale;

/** Factories for the regularizers of {@code keras.regularizers}, with Keras' defaults. */
public final class Regularizers {
  /** Keras' default factor of {@code l1()}, {@code l2()}. */
  public static final float DEFAULT_FACTOR = 0.01f;

  private Regularizers() {}

  /** {@code 0.01 * sum(|w|)}. */
  public static Regularizer l1() {
    return l1(DEFAULT_FACTOR);
  }

  public static Regularizer l1(double l1) {
    return new L1L2((float) l1, 0);
  }

  /** {@code 0.01 * sum(w^2)}. */
  public static Regularizer l2() {
    return l2(DEFAULT_FACTOR);
  }

  public static Regularizer l2(double l2) {
    return new L1L2(0, (float) l2);
  }

  /** {@code l1 * sum(|w|) + l2 * sum(w^2)}; Keras' L1L2 defaults both to 0. */
  public static Regularizer l1l2(double l1, double l2) {
    return new L1L2((float) l1, (float) l2);
  }

  /**
   * The regularizer Keras 3 resolves {@code name} to: "l1" and "l2" with factor 0.01, "l1l2"
   * (class L1L2) with both factors 0. Keras 3 rejects "l1_l2" despite its docstring, and so
   * does this, pointing to {@link #l1l2(double, double)}.
   */
  public static Regularizer of(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "l1" -> l1();
      case "l2" -> l2();
      case "l1l2" -> l1l2(0, 0);
      default -> throw new IllegalArgumentException("Could not interpret regularizer identifier: "
          + name + "; expected one of l1, l2, l1l2 (for l1 and l2 together with factors, use"
          + " Regularizers.l1l2(l1, l2))");
    };
  }
}
