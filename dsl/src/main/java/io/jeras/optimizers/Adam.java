package io.jeras.optimizers;

/**
 * Keras' {@code Adam} at step {@code t}: {@code m += (g - m)(1 - beta1)},
 * {@code v += (g^2 - v)(1 - beta2)},
 * {@code w -= lr sqrt(1 - beta2^t) / (1 - beta1^t) m / (sqrt(v) + epsilon)}. Keras' defaults:
 * learning rate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7, no AMSGrad.
 *
 * <pre>{@code
 * Adam.defaults().learningRate(1e-4)
 * }</pre>
 */
public final class Adam extends AdamFamily<Adam> {
  private Adam() {}

  /** Keras' defaults. */
  public static Adam defaults() {
    return new Adam();
  }

  @Override
  public String name() {
    return "adam";
  }
}
