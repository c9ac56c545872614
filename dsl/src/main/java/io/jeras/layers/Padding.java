package io.jeras.layers;

import java.util.Locale;

/**
 * Keras' {@code padding}: {@code valid} (no padding) or {@code same} (output size
 * {@code ceil(in / stride)}, the odd padding pixel at the bottom/right, as TensorFlow pads).
 */
public enum Padding {
  VALID,
  SAME;

  /** The padding Keras calls {@code name} (case-insensitive). */
  public static Padding of(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "valid" -> VALID;
      case "same" -> SAME;
      default -> throw new IllegalArgumentException(
          "Invalid value for argument `padding`: expected \"valid\" or \"same\". Received: padding="
              + name);
    };
  }

  /** TensorFlow's name ({@code VALID}, {@code SAME}). */
  public String tfName() {
    return name();
  }

  /**
   * Output length along one axis: valid {@code floor((in - d(k-1) - 1) / s) + 1}, same
   * {@code ceil(in / s)}. Returns a value {@code < 1} when a valid window does not fit.
   */
  public long outputLength(long in, int kernel, int stride, int dilation) {
    if (in < 0) {
      return -1;
    }
    long effectiveKernel = (long) dilation * (kernel - 1) + 1;
    return this == SAME
        ? (in + stride - 1) / stride
        : Math.floorDiv(in - effectiveKernel, stride) + 1;
  }
}
