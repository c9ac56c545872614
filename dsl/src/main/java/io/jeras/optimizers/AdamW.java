package io.jeras.optimizers;

/**
 * Keras' {@code AdamW}: {@link Adam} with decoupled weight decay on by default
 * ({@code w -= w * weight_decay * lr} before each Adam step). Keras' defaults: learning rate
 * 0.001, weight decay 0.004, beta1 0.9, beta2 0.999, epsilon 1e-7, no AMSGrad. Slots
 * {@code momentum}, {@code velocity} (and {@code velocity_hat} with AMSGrad).
 *
 * <pre>{@code
 * AdamW.defaults().learningRate(1e-3).weightDecay(0.01)
 * }</pre>
 */
public final class AdamW extends AdamFamily<AdamW> {
  public static final double DEFAULT_WEIGHT_DECAY = 0.004;

  private AdamW() {}

  /** Keras' defaults. */
  public static AdamW defaults() {
    return new AdamW().weightDecay(DEFAULT_WEIGHT_DECAY);
  }

  @Override
  public String name() {
    return "adamw";
  }
}
