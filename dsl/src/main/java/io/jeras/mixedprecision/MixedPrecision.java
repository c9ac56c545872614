package io.jeras.mixedprecision;

/**
 * Keras' {@code keras.mixed_precision.set_global_policy} and {@code global_policy}: the policy
 * of every layer built afterwards that names none of its own ({@code float32} until set).
 */
public final class MixedPrecision {
  private static volatile DTypePolicy global = DTypePolicy.FLOAT32;

  private MixedPrecision() {}

  public static void setGlobalPolicy(String name) {
    setGlobalPolicy(DTypePolicy.of(name));
  }

  public static void setGlobalPolicy(DTypePolicy policy) {
    if (policy == null) {
      throw new IllegalArgumentException("policy must not be null; use DTypePolicy.FLOAT32");
    }
    global = policy;
  }

  public static DTypePolicy globalPolicy() {
    return global;
  }
}
