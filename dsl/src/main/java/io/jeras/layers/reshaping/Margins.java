package io.jeras.layers.reshaping;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Rows and columns added or removed at each side of an image: Keras' {@code padding} of
 * {@code ZeroPadding2D} and {@code cropping} of {@code Cropping2D}, given as one int
 * (every side), {@code (symmetric_height, symmetric_width)} or
 * {@code ((top, bottom), (left, right))}.
 */
public record Margins(int top, int bottom, int left, int right) {

  public Margins {
    checkArgument(top >= 0 && bottom >= 0 && left >= 0 && right >= 0,
        "margins must not be negative, got ((%s, %s), (%s, %s))", top, bottom, left, right);
  }

  /** The same margin on every side. */
  public static Margins of(int all) {
    return new Margins(all, all, all, all);
  }

  /** {@code height} rows at top and bottom, {@code width} columns at left and right. */
  public static Margins of(int height, int width) {
    return new Margins(height, height, width, width);
  }

  /** Each side on its own: {@code ((top, bottom), (left, right))}. */
  public static Margins of(int top, int bottom, int left, int right) {
    return new Margins(top, bottom, left, right);
  }

  @Override
  public String toString() {
    return "((" + top + ", " + bottom + "), (" + left + ", " + right + "))";
  }
}
