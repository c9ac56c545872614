package io.jeras.losses;

import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code BinaryFocalCrossentropy} (Lin et al., 2018) for 0/1 labels, mean over the last
 * axis: the binary cross-entropy of each element scaled by the focal factor
 * {@code (1 - p_t)^gamma}, where {@code p_t = z p + (1 - z)(1 - p)}; with class balancing also
 * by {@code alpha} for class 1 and {@code 1 - alpha} for class 0 ({@code z alpha + (1 - z)(1 -
 * alpha)}).
 *
 * <p>As in Keras: the labels are smoothed first ({@code z = y (1 - s) + 0.5 s}); {@code p} is the
 * sigmoid of the prediction when it holds logits; the cross-entropy is computed from logits
 * when there are any (the prediction itself with {@code fromLogits}, else those of a sigmoid
 * output), otherwise from {@code p} clipped to {@code [1e-7, 1 - 1e-7]}; {@code p_t} uses
 * {@code p} unclipped. Keras' defaults: no class balancing, alpha 0.25, gamma 2.
 */
public final class BinaryFocalCrossentropy implements Loss {
  public static final float DEFAULT_ALPHA = 0.25f;
  public static final float DEFAULT_GAMMA = 2.0f;

  private final boolean applyClassBalancing;
  private final float alpha;
  private final float gamma;
  private final boolean fromLogits;
  private final float labelSmoothing;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private BinaryFocalCrossentropy(boolean applyClassBalancing, float alpha, float gamma,
      boolean fromLogits, float labelSmoothing) {
    this.applyClassBalancing = applyClassBalancing;
    this.alpha = alpha;
    this.gamma = gamma;
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
  }

  /** Keras' defaults: probabilities, alpha 0.25 (unused until balancing), gamma 2. */
  public static BinaryFocalCrossentropy defaults() {
    return new BinaryFocalCrossentropy(false, DEFAULT_ALPHA, DEFAULT_GAMMA, false, 0f);
  }

  /** Keras' {@code apply_class_balancing}: weight class 1 by alpha, class 0 by 1 - alpha. */
  public BinaryFocalCrossentropy applyClassBalancing(boolean applyClassBalancing) {
    return toBuilder().applyClassBalancing(applyClassBalancing).build();
  }

  /** The weight of class 1 when balancing classes (Keras' default 0.25). */
  public BinaryFocalCrossentropy alpha(double alpha) {
    return toBuilder().alpha((float) alpha).build();
  }

  /** The focusing parameter (Keras' default 2; 0 is the binary cross-entropy). */
  public BinaryFocalCrossentropy gamma(double gamma) {
    return toBuilder().gamma((float) gamma).build();
  }

  /** Whether the prediction holds logits rather than probabilities. */
  public BinaryFocalCrossentropy fromLogits(boolean fromLogits) {
    return toBuilder().fromLogits(fromLogits).build();
  }

  /** Keras' {@code label_smoothing}: labels squeezed towards 0.5, as in binary cross-entropy. */
  public BinaryFocalCrossentropy labelSmoothing(double labelSmoothing) {
    return toBuilder().labelSmoothing((float) labelSmoothing).build();
  }

  public boolean applyClassBalancing() {
    return applyClassBalancing;
  }

  public float alpha() {
    return alpha;
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
    return "binary_focal_crossentropy";
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred) {
    Operand<TFloat32> z = Losses.smoothBinary(tf, yTrue, labelSmoothing);
    Operand<TFloat32> p = fromLogits ? tf.math.sigmoid(yPred.values()) : yPred.values();
    Operand<TFloat32> logits = fromLogits ? yPred.values() : yPred.logits();
    Operand<TFloat32> bce = logits != null ? Losses.sigmoidCrossEntropy(tf, z, logits)
        : Losses.binaryCrossEntropy(tf, z, p);
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> oneMinusZ = tf.math.sub(one, z);
    Operand<TFloat32> pT = tf.math.add(tf.math.mul(z, p),
        tf.math.mul(oneMinusZ, tf.math.sub(one, p)));
    Operand<TFloat32> focal = tf.math.mul(tf.math.pow(tf.math.sub(one, pT), tf.constant(gamma)),
        bce);
    if (applyClassBalancing) {
      Operand<TFloat32> weight = tf.math.add(tf.math.mul(z, tf.constant(alpha)),
          tf.math.mul(oneMinusZ, tf.constant(1 - alpha)));
      focal = tf.math.mul(weight, focal);
    }
    return Losses.meanLastAxis(tf, focal);
  }
}
