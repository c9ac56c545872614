package io.jeras.input;

/**
 * Bounds on what a file may make Jeras allocate. A reader checks every size a file declares (an
 * IDX file's dimensions, an image's width and height, a layer's units in a Keras config, a
 * tensor's shape in a checkpoint) against the bytes actually present and against these limits
 * before it allocates, so a file of a few bytes cannot claim gigabytes and end the JVM with an
 * {@link OutOfMemoryError}.
 *
 * <p>Defaults: half the JVM's maximum heap for one array ({@code -Djeras.input.maxBytes=} in
 * bytes overrides it) and Pillow's decompression-bomb bound of 178,956,970 pixels for one image
 * ({@code -Djeras.input.maxImagePixels=}). Both can be changed at run time.
 */
public final class InputLimits {
  /** Pillow refuses images of more than twice its {@code MAX_IMAGE_PIXELS} (89,478,485). */
  public static final long DEFAULT_MAX_IMAGE_PIXELS = 2L * 89_478_485L;

  private static volatile long maxBytes = Long.getLong("jeras.input.maxBytes",
      Math.min(Integer.MAX_VALUE - 8L, Runtime.getRuntime().maxMemory() / 2));
  private static volatile long maxImagePixels = Long.getLong("jeras.input.maxImagePixels",
      DEFAULT_MAX_IMAGE_PIXELS);

  private InputLimits() {}

  /** The most bytes one array read from a file may take. */
  public static long maxBytes() {
    return maxBytes;
  }

  /** Sets {@link #maxBytes()}; at most {@code Integer.MAX_VALUE - 8}, Java's array bound. */
  public static void setMaxBytes(long bytes) {
    if (bytes <= 0 || bytes > Integer.MAX_VALUE - 8L) {
      throw new IllegalArgumentException("maxBytes must be in [1, " + (Integer.MAX_VALUE - 8L)
          + "], got " + bytes);
    }
    maxBytes = bytes;
  }

  /** The most pixels (width x height) one decoded image may have. */
  public static long maxImagePixels() {
    return maxImagePixels;
  }

  /** Sets {@link #maxImagePixels()}. */
  public static void setMaxImagePixels(long pixels) {
    if (pixels <= 0) {
      throw new IllegalArgumentException("maxImagePixels must be positive, got " + pixels);
    }
    maxImagePixels = pixels;
  }

  /**
   * Checks a size declared by {@code source} before allocating it: {@code count} elements of
   * {@code elementBytes} each, of which {@code presentBytes} are in the input ({@code -1} when
   * that is not known, e.g. behind compression). Returns the byte count as an {@code int}.
   *
   * @throws InvalidInputException if the count is negative, overflows, exceeds what is present
   *     or exceeds {@link #maxBytes()}
   */
  public static int checkBytes(String source, String what, long count, int elementBytes,
      long presentBytes) {
    if (count < 0) {
      throw new InvalidInputException(source, what + " declares a negative size " + count);
    }
    if (count > Long.MAX_VALUE / Math.max(1, elementBytes)) {
      throw new InvalidInputException(source, what + " declares " + count
          + " elements, more than any file can hold");
    }
    long bytes = count * elementBytes;
    if (presentBytes >= 0 && bytes > presentBytes) {
      throw new InvalidInputException(source, "truncated: " + what + " declares " + bytes
          + " bytes of data but only " + presentBytes + " are present");
    }
    if (bytes > maxBytes) {
      throw new InvalidInputException(source, what + " declares " + bytes + " bytes, more than"
          + " the limit of " + maxBytes + " (InputLimits.setMaxBytes, -Djeras.input.maxBytes)");
    }
    return (int) bytes;
  }

  /**
   * Checks an image's declared width and height against {@link #maxImagePixels()} before it is
   * decoded (a decompression bomb: a few kilobytes of PNG that claim gigapixels).
   */
  public static void checkImage(String source, long width, long height) {
    if (width <= 0 || height <= 0) {
      throw new InvalidInputException(source, "declares an image of " + width + "x" + height
          + " pixels");
    }
    if (width > maxImagePixels / height) {
      throw new InvalidInputException(source, "declares an image of " + width + "x" + height
          + " = " + width * height + " pixels, more than the limit of " + maxImagePixels
          + " (a decompression bomb?; InputLimits.setMaxImagePixels,"
          + " -Djeras.input.maxImagePixels)");
    }
    checkBytes(source, "the image", width * height, 4, -1);
  }
}
