package io.jeras.losses;

import static com.google.common.base.Preconditions.checkArgument;

import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code CategoricalFocalCrossentropy} (Lin et al., 2018) for one-hot labels:
 * {@code sum(alpha (1 - p)^gamma (-y log p))} over the last axis.
 *
 * <p>As in Keras: the labels are smoothed first ({@code y (1 - s) + s / K}); {@code p} is the
 * softmax of the prediction with {@code fromLogits}, otherwise the prediction itself (the
 * logits of a softmax output are not used); it is renormalized to sum 1 and clipped to
 * {@code [1e-7, 1 - 1e-7]}. {@code alpha} is one weight for every class or one per class.
 * Keras' defaults: alpha 0.25, gamma 2.
 */
public final class CategoricalFocalCrossentropy implements Loss {
  public static final float DEFAULT_ALPHA = 0.25f;
  public static final float DEFAULT_GAMMA = 2.0f;

  private final float[] alpha;
  private final float gamma;
  private final boolean fromLogits;
  private final float labelSmoothing;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private CategoricalFocalCrossentropy(float[] alpha, float gamma, boolean fromLogits,
      float labelSmoothing) {
    this.alpha = alpha;
    this.gamma = gamma;
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
  }

  /** Keras' defaults: probabilities, alpha 0.25, gamma 2. */
  public static CategoricalFocalCrossentropy defaults() {
    return new CategoricalFocalCrossentropy(new float[] {DEFAULT_ALPHA}, DEFAULT_GAMMA, false,
        0f);
  }

  /** One weight for every class (Keras' default 0.25). */
  public CategoricalFocalCrossentropy alpha(double alpha) {
    return toBuilder().alpha(new float[] {(float) alpha}).build();
  }

  /** One weight per class (Keras' {@code alpha} as a list), as many as the classes. */
  public CategoricalFocalCrossentropy alpha(double... alphas) {
    checkArgument(alphas.length > 0, "alpha needs at least one value");
    float[] a = new float[alphas.length];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) alphas[i];
    }
    return toBuilder().alpha(a).build();
  }

  /** The focusing parameter (Keras' default 2; 0 with alpha 1 is the cross-entropy). */
  public CategoricalFocalCrossentropy gamma(double gamma) {
    return toBuilder().gamma((float) gamma).build();
  }

  public CategoricalFocalCrossentropy fromLogits(boolean fromLogits) {
    return toBuilder().fromLogits(fromLogits).build();
  }

  /** Keras' {@code label_smoothing}, as in categorical cross-entropy. */
  public CategoricalFocalCrossentropy labelSmoothing(double labelSmoothing) {
    return toBuilder().labelSmoothing((float) labelSmoothing).build();
  }

  /** The class weights: one value for every class, or one per class. */
  public float[] alpha() {
    return alpha.clone();
  }

  public float gamma() {
    return gamma;
  }

  public boolean fromLogits() {
    return fromLogits;
  }

  public float labelSmoothing() {
    return labelSmoothing;
  }

  @Override
  public String name() {
    return "categorical_focal_crossentropy";
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred) {
    Operand<TFloat32> y = Losses.smoothCategorical(tf, yTrue, labelSmoothing);
    Operand<TFloat32> p = fromLogits ? tf.nn.softmax(yPred.values()) : yPred.values();
    p = Losses.clip(tf, Losses.normalizeSum(tf, p));
    Operand<TFloat32> cce = tf.math.neg(tf.math.mul(y, tf.math.log(p)));
    Operand<TFloat32> modulating = tf.math.pow(tf.math.sub(tf.constant(1f), p),
        tf.constant(gamma));
    Operand<TFloat32> weights = alpha.length == 1 ? tf.constant(alpha[0]) : tf.constant(alpha);
    return Losses.sumLastAxis(tf, tf.math.mul(tf.math.mul(modulating, weights), cce));
  }
}
