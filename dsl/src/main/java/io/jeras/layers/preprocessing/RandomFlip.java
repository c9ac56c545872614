package io.jeras.layers.preprocessing;

import io.jeras.layers.CallContext;
import io.jeras.layers.LayerOptions;
import java.util.Locale;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code RandomFlip}: each training image mirrored with probability 1/2, left to right
 * ({@code horizontal}), top to bottom ({@code vertical}) or both ({@code
 * horizontal_and_vertical}, Keras' default).
 *
 * <pre>{@code
 * RandomFlip.of("horizontal")
 * }</pre>
 */
public final class RandomFlip extends RandomImageLayer<RandomFlip> {
  private final String mode;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private RandomFlip(LayerOptions options, Long seed, String mode) {
    super(options, seed);
    String m = mode.toLowerCase(Locale.ROOT);
    if (!m.equals("horizontal") && !m.equals("vertical") && !m.equals("horizontal_and_vertical")) {
      throw new IllegalArgumentException("RandomFlip layer " + displayName() + " received an"
          + " unknown mode argument " + mode + "; expected horizontal, vertical or"
          + " horizontal_and_vertical");
    }
    this.mode = m;
  }

  /** Keras' default: both directions. */
  public static RandomFlip of() {
    return of("horizontal_and_vertical");
  }

  public static RandomFlip of(String mode) {
    return new RandomFlip(null, null, mode);
  }

  public String mode() {
    return mode;
  }

  public RandomFlip seed(long seed) {
    return toBuilder().seed(seed).build();
  }

  @Override
  protected RandomFlip withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Operand<TFloat32> transform(CallContext context, Operand<TFloat32> images) {
    Ops tf = context.tf();
    Operand<TFloat32> flipped = images;
    if (!mode.equals("vertical")) {
      flipped = tf.reverse(flipped, tf.constant(new int[] {2}));
    }
    if (!mode.equals("horizontal")) {
      flipped = tf.reverse(flipped, tf.constant(new int[] {1}));
    }
    var flip = tf.math.lessEqual(uniform(context, images, 0, 1, 1, false), tf.constant(0.5f));
    return tf.select(tf.broadcastTo(flip, tf.shape(images)), flipped, images);
  }
}
