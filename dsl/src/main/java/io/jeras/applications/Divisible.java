package io.jeras.applications;

import io.jeras.layers.reshaping.Margins;
import org.tensorflow.ndarray.Shape;

/** Channel and padding arithmetic the mobile architectures share. */
final class Divisible {
  private Divisible() {}

  /**
   * Keras' {@code _make_divisible} / {@code _depth} (from TensorFlow's slim MobileNet): {@code v}
   * rounded to the nearest multiple of {@code divisor} (at least {@code divisor}), then one
   * {@code divisor} more if that lost over 10%.
   */
  static int make(double v, int divisor) {
    int rounded = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
    if (rounded < 0.9 * v) {
      rounded += divisor;
    }
    return rounded;
  }

  /**
   * Keras' {@code imagenet_utils.correct_pad}: the zero padding before a strided "valid"
   * convolution of {@code kernelHeight x kernelWidth} that makes it line up as TensorFlow's
   * "same" would on an image of {@code shape} (NHWC): one row and column less before when the
   * size is even (or unknown).
   */
  static Margins correctPad(Shape shape, int kernelHeight, int kernelWidth) {
    long height = shape.get(1);
    long width = shape.get(2);
    int adjustHeight = height < 0 ? 1 : (int) (1 - height % 2);
    int adjustWidth = height < 0 || width < 0 ? 1 : (int) (1 - width % 2);
    int correctHeight = kernelHeight / 2;
    int correctWidth = kernelWidth / 2;
    return Margins.of(correctHeight - adjustHeight, correctHeight, correctWidth - adjustWidth,
        correctWidth);
  }
}
