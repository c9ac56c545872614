package io.jeras.layers;

import static com.google.common.base.Preconditions.checkArgument;

/** A height and a width, Keras' 2-tuples such as {@code kernel_size=(3, 3)}. */
public record Size2D(int height, int width) {

  public Size2D {
    checkArgument(height > 0 && width > 0, "sizes must be positive, got (%s, %s)", height, width);
  }

  public static Size2D of(int size) {
    return new Size2D(size, size);
  }

  public static Size2D of(int height, int width) {
    return new Size2D(height, width);
  }

  @Override
  public String toString() {
    return "(" + height + ", " + width + ")";
  }
}
