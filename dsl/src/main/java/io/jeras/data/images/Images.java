package io.jeras.data.images;

import io.jeras.input.InputLimits;
import io.jeras.input.InvalidInputException;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decoding, resizing and writing images as {@code float} pixels in {@code [0, 255]}, height x
 * width x channels, row-major: what Keras' image loading yields.
 *
 * <p>Decoding uses the JDK's ImageIO (PNG, JPEG, BMP, GIF; the first frame of an animated GIF).
 * PNG, BMP and GIF pixels are exactly TensorFlow's; JPEG pixels differ from libjpeg's (a
 * different IDCT and chroma upsampling): by up to 8 levels of 255, 2 on average, on the test
 * image. Resizing is TensorFlow's bilinear {@code tf.image.resize}
 * (half-pixel centres, no antialiasing), computed the same way in float.
 */
public final class Images {
  private Images() {}

  /** An image: pixels in [0, 255], height x width x channels. */
  public record Image(float[] pixels, int height, int width, int channels) {}

  /**
   * Decodes {@code file} to {@code channels} channels (1 grayscale, 3 rgb, 4 rgba). The size the
   * file declares is checked against {@link InputLimits} before any pixel is decoded, so a
   * decompression bomb (a small file declaring gigapixels) is refused.
   *
   * @throws InvalidInputException naming the file when it cannot be decoded or is too large
   */
  public static Image decode(Path file, int channels) {
    String source = file.toString();
    BufferedImage image;
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      if (in == null) {
        throw new UncheckedIOException(new IOException("could not open " + file));
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new InvalidInputException(source, "not a PNG, JPEG, BMP or GIF image");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        InputLimits.checkImage(source, width, height);
        InputLimits.checkBytes(source, "the decoded image", (long) width * height * channels,
            Float.BYTES, -1);
        image = reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (InvalidInputException | UncheckedIOException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // the JDK's decoders report malformed data with any exception type
      throw new InvalidInputException(source, "cannot be decoded as an image: " + e, e);
    }
    if (image == null) {
      throw new InvalidInputException(source, "not a PNG, JPEG, BMP or GIF image");
    }
    return toPixels(image, channels);
  }

  /** The pixels of a decoded image. Gray images keep their stored levels (no color conversion). */
  static Image toPixels(BufferedImage image, int channels) {
    int height = image.getHeight();
    int width = image.getWidth();
    float[] pixels = new float[height * width * channels];
    Raster raster = image.getRaster();
    boolean gray = image.getColorModel().getNumColorComponents() == 1
        && image.getColorModel().getPixelSize() <= 16 && raster.getNumBands() <= 2
        && image.getType() != BufferedImage.TYPE_BYTE_INDEXED
        && image.getType() != BufferedImage.TYPE_BYTE_BINARY;
    int bits = raster.getSampleModel().getSampleSize(0);
    if (!gray && isPlainRgb(image)) {
      // 8-bit sRGB components without premultiplied alpha: the samples are what getRGB gives
      int bands = raster.getNumBands();
      int[] row = new int[width * bands];
      for (int y = 0; y < height; y++) {
        raster.getPixels(0, y, width, 1, row);
        for (int x = 0; x < width; x++) {
          int offset = (y * width + x) * channels;
          int in = x * bands;
          store(pixels, offset, channels, false, row[in], row[in + 1], row[in + 2],
              bands == 4 ? row[in + 3] : 255);
        }
      }
      return new Image(pixels, height, width, channels);
    }
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int offset = (y * width + x) * channels;
        float r;
        float g;
        float b;
        float a;
        if (gray) {
          float level = bits == 16 ? Math.round(raster.getSample(x, y, 0) / 257f)
              : raster.getSample(x, y, 0);
          r = level;
          g = level;
          b = level;
          a = raster.getNumBands() == 2 ? raster.getSample(x, y, 1) : 255;
        } else {
          int argb = image.getRGB(x, y);
          a = (argb >>> 24) & 0xFF;
          r = (argb >>> 16) & 0xFF;
          g = (argb >>> 8) & 0xFF;
          b = argb & 0xFF;
        }
        store(pixels, offset, channels, gray, r, g, b, a);
      }
    }
    return new Image(pixels, height, width, channels);
  }

  /**
   * One pixel's components at {@code offset}: gray levels kept, color converted to gray with
   * ITU-R 601 weights for 1 channel; rgb or rgba.
   */
  private static void store(float[] pixels, int offset, int channels, boolean gray, float r,
      float g, float b, float a) {
    switch (channels) {
      case 1 -> pixels[offset] = gray ? r : Math.round(0.299f * r + 0.587f * g + 0.114f * b);
      case 3 -> {
        pixels[offset] = r;
        pixels[offset + 1] = g;
        pixels[offset + 2] = b;
      }
      case 4 -> {
        pixels[offset] = r;
        pixels[offset + 1] = g;
        pixels[offset + 2] = b;
        pixels[offset + 3] = a;
      }
      default -> throw new IllegalArgumentException("channels must be 1, 3 or 4, got "
          + channels);
    }
  }

  private static boolean isPlainRgb(BufferedImage image) {
    return image.getColorModel() instanceof ComponentColorModel model
        && model.getColorSpace().isCS_sRGB() && !model.isAlphaPremultiplied()
        && (image.getRaster().getNumBands() == 3 || image.getRaster().getNumBands() == 4)
        && model.getNumComponents() == image.getRaster().getNumBands()
        && java.util.Arrays.stream(model.getComponentSize()).allMatch(bits -> bits == 8);
  }

  /**
   * TensorFlow's {@code tf.image.resize(image, (height, width))}, bilinear with half-pixel
   * centres and no antialiasing.
   */
  public static Image resize(Image image, int height, int width) {
    if (image.height() == height && image.width() == width) {
      return image;
    }
    float[] out = new float[height * width * image.channels()];
    resize(image, height, width, out, 0);
    return new Image(out, height, width, image.channels());
  }

  /** {@link #resize(Image, int, int)} written into {@code out} from {@code offset}. */
  static void resize(Image image, int height, int width, float[] out, int offset) {
    int channels = image.channels();
    int rowLength = width * channels;
    if (image.height() == height && image.width() == width) {
      System.arraycopy(image.pixels(), 0, out, offset, height * rowLength);
      return;
    }
    float yScale = (float) image.height() / height;
    float xScale = (float) image.width() / width;
    int[] left = new int[width];
    int[] right = new int[width];
    float[] xLerp = new float[width];
    for (int x = 0; x < width; x++) {
      float source = (x + 0.5f) * xScale - 0.5f;
      float floor = (float) Math.floor(source);
      left[x] = Math.max((int) floor, 0) * channels;
      right[x] = Math.min((int) Math.ceil(source), image.width() - 1) * channels;
      xLerp[x] = source - floor;
    }
    // Separable: each source row used is interpolated across once (the same arithmetic as
    // interpolating the four neighbours per output pixel), then rows are blended down.
    float[][] across = new float[image.height()][];
    for (int y = 0; y < height; y++) {
      float source = (y + 0.5f) * yScale - 0.5f;
      float floor = (float) Math.floor(source);
      float[] top = across(image, Math.max((int) floor, 0), across, left, right, xLerp);
      float[] bottom = across(image, Math.min((int) Math.ceil(source), image.height() - 1),
          across, left, right, xLerp);
      float yLerp = source - floor;
      int start = offset + y * rowLength;
      for (int i = 0; i < rowLength; i++) {
        out[start + i] = top[i] + (bottom[i] - top[i]) * yLerp;
      }
    }
  }

  /** Source row {@code row} interpolated to the output's columns, computed once. */
  private static float[] across(Image image, int row, float[][] cache, int[] left, int[] right,
      float[] xLerp) {
    if (cache[row] != null) {
      return cache[row];
    }
    int channels = image.channels();
    float[] in = image.pixels();
    int start = row * image.width() * channels;
    float[] values = new float[left.length * channels];
    for (int x = 0; x < left.length; x++) {
      for (int c = 0; c < channels; c++) {
        float l = in[start + left[x] + c];
        float r = in[start + right[x] + c];
        values[x * channels + c] = l + (r - l) * xLerp[x];
      }
    }
    cache[row] = values;
    return values;
  }

  /**
   * Writes pixels (clipped to [0, 255] and rounded) as a PNG, 1 channel gray or 3 rgb,
   * atomically: a temporary file moved into place.
   */
  public static void writePng(Image image, Path file) {
    int type = image.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY
        : BufferedImage.TYPE_3BYTE_BGR;
    if (image.channels() != 1 && image.channels() != 3) {
      throw new IllegalArgumentException("writePng takes 1 or 3 channels, got "
          + image.channels());
    }
    BufferedImage out = new BufferedImage(image.width(), image.height(), type);
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        for (int c = 0; c < image.channels(); c++) {
          float v = image.pixels()[(y * image.width() + x) * image.channels() + c];
          out.getRaster().setSample(x, y, c, Math.round(Math.max(0, Math.min(255, v))));
        }
      }
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path temporary = Files.createTempFile(parent, ".jeras-", ".png.tmp");
      try {
        if (!ImageIO.write(out, "png", temporary.toFile())) {
          throw new IOException("no PNG writer");
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
  }
}
