package io.jeras.optimizers;

/**
 * What the Adam-like optimizers share: two moment estimates with Keras' options {@code beta_1},
 * {@code beta_2} and {@code epsilon} and their defaults (0.9, 0.999, 1e-7) and checks, and the
 * default learning rate 0.001.
 *
 * @param <O> the optimizer class itself
 */
public abstract sealed class MomentOptimizer<O extends MomentOptimizer<O>>
    extends TypedOptimizer<O> permits AdamFamily, Adamax, Nadam {
  public static final float DEFAULT_LEARNING_RATE = 0.001f;
  public static final double DEFAULT_BETA_1 = 0.9;
  public static final double DEFAULT_BETA_2 = 0.999;
  public static final double DEFAULT_EPSILON = 1e-7;

  private double beta1 = DEFAULT_BETA_1;
  private double beta2 = DEFAULT_BETA_2;
  private double epsilon = DEFAULT_EPSILON;

  MomentOptimizer() {
    super(DEFAULT_LEARNING_RATE, null);
  }

  /** Keras' {@code beta_1}, in [0, 1]. */
  public O beta1(double beta1) {
    checkRange("beta_1", beta1, 0, 1);
    return with((O copy) -> ((MomentOptimizer<O>) copy).beta1 = beta1);
  }

  /** Keras' {@code beta_2}, in [0, 1]. */
  public O beta2(double beta2) {
    checkRange("beta_2", beta2, 0, 1);
    return with((O copy) -> ((MomentOptimizer<O>) copy).beta2 = beta2);
  }

  /** Keras' {@code epsilon}, at least 0. */
  public O epsilon(double epsilon) {
    checkRange("epsilon", epsilon, 0, Double.MAX_VALUE);
    return with((O copy) -> ((MomentOptimizer<O>) copy).epsilon = epsilon);
  }

  public float beta1() {
    return (float) beta1;
  }

  public float beta2() {
    return (float) beta2;
  }

  public float epsilon() {
    return (float) epsilon;
  }

  /** The options as given (doubles), for the update rules, which round them as Keras does. */
  final double exactBeta1() {
    return beta1;
  }

  final double exactBeta2() {
    return beta2;
  }

  final double exactEpsilon() {
    return epsilon;
  }
}
