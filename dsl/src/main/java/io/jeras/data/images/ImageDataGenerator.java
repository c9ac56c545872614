package io.jeras.data.images;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.data.images.Images.Image;
import java.util.Locale;
import java.util.Random;
import lombok.AccessLevel;
import lombok.Builder;
import lombok.Getter;
import lombok.experimental.Accessors;

/**
 * Keras' {@code ImageDataGenerator}, for porting Keras 2 programs' augmenting generators: random
 * rotation, shifts, shear, zoom, flips and brightness applied to each image in Java, on the
 * input pipeline's threads, then {@code rescale}. Defaults as in Keras: nothing, fill mode
 * {@code nearest}.
 *
 * <p>The transform is Keras': a matrix of rotation x shift x shear x zoom about the image's
 * centre, built on (x, y) and read with both axes swapped as Keras reads it, maps each output
 * pixel to the input, sampled bilinearly as SciPy's {@code affine_transform(order=1)} with the
 * fill mode outside; then flips and PIL's brightness. Checked against Keras' own {@code
 * apply_transform} for every fill mode. {@code flowFromDirectory}
 * makes an endless dataset as Keras' {@code flow_from_directory} does; {@code
 * ImageDatasetOptions.augment} puts it in front of {@code image_dataset_from_directory}.
 *
 * <pre>{@code
 * ImageDataGenerator augment = ImageDataGenerator.defaults().rescale(1 / 255.0)
 *     .rotationRange(40).widthShiftRange(0.2).heightShiftRange(0.2).shearRange(0.2)
 *     .zoomRange(0.2).horizontalFlip(true);
 * Dataset train = augment.flowFromDirectory(Path.of("data/train"), 150, 150, 32, "binary");
 * }</pre>
 */
@Getter
@Accessors(fluent = true)
public final class ImageDataGenerator {
  /** What lies outside the image: Keras' (SciPy's) fill modes. */
  public enum FillMode { NEAREST, CONSTANT, REFLECT, WRAP }

  /** One drawn transformation (Keras' {@code transform_parameters}). */
  public record Transform(double theta, double tx, double ty, double shear, double zx,
      double zy, boolean flipHorizontal, boolean flipVertical, double brightness) {
    /** No change. */
    public static final Transform IDENTITY = new Transform(0, 0, 0, 0, 1, 1, false, false, 1);
  }

  private final double rotationRange;
  private final double widthShiftRange;
  private final double heightShiftRange;
  private final double shearRange;
  private final double zoomLower;
  private final double zoomUpper;
  private final boolean horizontalFlip;
  private final boolean verticalFlip;
  private final double brightnessLower;
  private final double brightnessUpper;
  private final double rescale;
  private final FillMode fillMode;
  private final double cval;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private ImageDataGenerator(double rotationRange, double widthShiftRange,
      double heightShiftRange, double shearRange, double zoomLower, double zoomUpper,
      boolean horizontalFlip, boolean verticalFlip, double brightnessLower,
      double brightnessUpper, double rescale, FillMode fillMode, double cval) {
    checkArgument(zoomLower > 0 && zoomLower <= zoomUpper, "zoom_range must give 0 < lower <="
        + " upper, got [%s, %s]", zoomLower, zoomUpper);
    checkArgument(brightnessLower <= brightnessUpper && brightnessLower >= 0,
        "brightness_range must give 0 <= lower <= upper, got [%s, %s]", brightnessLower,
        brightnessUpper);
    this.rotationRange = rotationRange;
    this.widthShiftRange = widthShiftRange;
    this.heightShiftRange = heightShiftRange;
    this.shearRange = shearRange;
    this.zoomLower = zoomLower;
    this.zoomUpper = zoomUpper;
    this.horizontalFlip = horizontalFlip;
    this.verticalFlip = verticalFlip;
    this.brightnessLower = brightnessLower;
    this.brightnessUpper = brightnessUpper;
    this.rescale = rescale;
    this.fillMode = fillMode;
    this.cval = cval;
  }

  /** No augmentation, no rescaling, fill mode nearest. */
  public static ImageDataGenerator defaults() {
    return new ImageDataGenerator(0, 0, 0, 0, 1, 1, false, false, 1, 1, 1, FillMode.NEAREST, 0);
  }

  /** Rotations drawn from [-degrees, degrees]. */
  public ImageDataGenerator rotationRange(double degrees) {
    return toBuilder().rotationRange(Math.abs(degrees)).build();
  }

  /** Horizontal shifts up to this fraction of the width (or pixels, when >= 1). */
  public ImageDataGenerator widthShiftRange(double range) {
    return toBuilder().widthShiftRange(Math.abs(range)).build();
  }

  /** Vertical shifts up to this fraction of the height (or pixels, when >= 1). */
  public ImageDataGenerator heightShiftRange(double range) {
    return toBuilder().heightShiftRange(Math.abs(range)).build();
  }

  /** Shear angles drawn from [-degrees, degrees]. */
  public ImageDataGenerator shearRange(double degrees) {
    return toBuilder().shearRange(Math.abs(degrees)).build();
  }

  /** Zoom factors drawn from [1 - range, 1 + range] for each axis. */
  public ImageDataGenerator zoomRange(double range) {
    return zoomRange(1 - range, 1 + range);
  }

  /** Zoom factors drawn from [lower, upper] for each axis (below 1 enlarges). */
  public ImageDataGenerator zoomRange(double lower, double upper) {
    return toBuilder().zoomLower(lower).zoomUpper(upper).build();
  }

  /** Mirrors half of the images left to right. */
  public ImageDataGenerator horizontalFlip(boolean flip) {
    return toBuilder().horizontalFlip(flip).build();
  }

  /** Mirrors half of the images top to bottom. */
  public ImageDataGenerator verticalFlip(boolean flip) {
    return toBuilder().verticalFlip(flip).build();
  }

  /** Pixel values multiplied by a factor from [lower, upper], clipped to [0, 255]. */
  public ImageDataGenerator brightnessRange(double lower, double upper) {
    return toBuilder().brightnessLower(lower).brightnessUpper(upper).build();
  }

  /** Pixel values multiplied by {@code factor} after the transformation (e.g. 1/255). */
  public ImageDataGenerator rescale(double factor) {
    return toBuilder().rescale(factor).build();
  }

  public ImageDataGenerator fillMode(FillMode mode) {
    return toBuilder().fillMode(mode).build();
  }

  /** {@code "nearest"}, {@code "constant"}, {@code "reflect"} or {@code "wrap"}. */
  public ImageDataGenerator fillMode(String mode) {
    return fillMode(FillMode.valueOf(mode.toUpperCase(Locale.ROOT)));
  }

  /** The value outside the image in {@code constant} mode. */
  public ImageDataGenerator cval(double value) {
    return toBuilder().cval(value).build();
  }

  /** Keras' {@code get_random_transform}, for an image of {@code height x width}. */
  public Transform randomTransform(int height, int width, Random random) {
    double theta = rotationRange > 0 ? uniform(random, -rotationRange, rotationRange) : 0;
    double tx = 0;
    if (heightShiftRange > 0) {
      tx = uniform(random, -heightShiftRange, heightShiftRange);
      tx = heightShiftRange < 1 ? tx * height : tx;
    }
    double ty = 0;
    if (widthShiftRange > 0) {
      ty = uniform(random, -widthShiftRange, widthShiftRange);
      ty = widthShiftRange < 1 ? ty * width : ty;
    }
    double shear = shearRange > 0 ? uniform(random, -shearRange, shearRange) : 0;
    double zx = 1;
    double zy = 1;
    if (zoomLower != 1 || zoomUpper != 1) {
      zx = uniform(random, zoomLower, zoomUpper);
      zy = uniform(random, zoomLower, zoomUpper);
    }
    boolean flipH = horizontalFlip && random.nextDouble() < 0.5;
    boolean flipV = verticalFlip && random.nextDouble() < 0.5;
    double brightness = brightnessLower != 1 || brightnessUpper != 1
        ? uniform(random, brightnessLower, brightnessUpper) : 1;
    return new Transform(theta, tx, ty, shear, zx, zy, flipH, flipV, brightness);
  }

  private static double uniform(Random random, double low, double high) {
    return low + (high - low) * random.nextDouble();
  }

  /** A random transformation of {@code image}, then {@code rescale} (Keras' flow). */
  public Image augment(Image image, Random random) {
    float[] out = new float[image.pixels().length];
    augment(image, random, out, 0);
    return new Image(out, image.height(), image.width(), image.channels());
  }

  /**
   * {@link #augment(Image, Random)} written into {@code out} from {@code offset} (the input
   * pipeline writes each image straight into its batch).
   */
  void augment(Image image, Random random, float[] out, int offset) {
    applyTransform(image, randomTransform(image.height(), image.width(), random), out, offset);
    if (rescale != 1) {
      for (int i = offset; i < offset + image.pixels().length; i++) {
        out[i] *= (float) rescale;
      }
    }
  }

  /** Keras' {@code standardize}: multiplies by {@code rescale}. */
  public Image standardize(Image image) {
    if (rescale == 1) {
      return image;
    }
    float[] out = image.pixels().clone();
    for (int i = 0; i < out.length; i++) {
      out[i] *= (float) rescale;
    }
    return new Image(out, image.height(), image.width(), image.channels());
  }

  /** Keras' {@code apply_transform}: the affine part, flips, then brightness. */
  public Image applyTransform(Image image, Transform t) {
    float[] out = new float[image.pixels().length];
    applyTransform(image, t, out, 0);
    return new Image(out, image.height(), image.width(), image.channels());
  }

  private void applyTransform(Image image, Transform t, float[] out, int offset) {
    double[][] m = matrix(t, image.height(), image.width());
    if (m != null) {
      affine(image, m, t.flipHorizontal(), t.flipVertical(), out, offset);
    } else {
      flip(image, t.flipHorizontal(), t.flipVertical(), out, offset);
    }
    if (t.brightness() != 1) {
      brightness(out, offset, image.pixels().length, t.brightness());
    }
  }

  /**
   * Keras' matrix: rotation x shift x shear x zoom on (x, y) coordinates about the centre
   * ({@code o = height / 2 - 0.5} on x, {@code width / 2 - 0.5} on y, as Keras has it), or null
   * when it changes nothing.
   */
  private static double[][] matrix(Transform t, int height, int width) {
    double[][] m = identity();
    if (t.theta() != 0) {
      double a = Math.toRadians(t.theta());
      m = multiply(m, new double[][] {{Math.cos(a), -Math.sin(a), 0},
          {Math.sin(a), Math.cos(a), 0}, {0, 0, 1}});
    }
    if (t.tx() != 0 || t.ty() != 0) {
      m = multiply(m, new double[][] {{1, 0, t.tx()}, {0, 1, t.ty()}, {0, 0, 1}});
    }
    if (t.shear() != 0) {
      double s = Math.toRadians(t.shear());
      m = multiply(m, new double[][] {{1, -Math.sin(s), 0}, {0, Math.cos(s), 0}, {0, 0, 1}});
    }
    if (t.zx() != 1 || t.zy() != 1) {
      m = multiply(m, new double[][] {{t.zx(), 0, 0}, {0, t.zy(), 0}, {0, 0, 1}});
    }
    if (isIdentity(m)) {
      return null;
    }
    double ox = height / 2.0 - 0.5;
    double oy = width / 2.0 - 0.5;
    return multiply(multiply(new double[][] {{1, 0, ox}, {0, 1, oy}, {0, 0, 1}}, m),
        new double[][] {{1, 0, -ox}, {0, 1, -oy}, {0, 0, 1}});
  }

  /**
   * Samples the input at the matrix's image of each output pixel; flips are applied by writing
   * each result at its mirrored place (the same pixels as flipping afterwards, without a second
   * pass). Keras builds the matrix on (x, y) and swaps both axes before SciPy reads it on (row,
   * column): the input row is {@code m[1][1] row + m[1][0] col + m[1][2]}.
   */
  private void affine(Image image, double[][] m, boolean flipH, boolean flipV, float[] out,
      int offset) {
    int h = image.height();
    int w = image.width();
    int c = image.channels();
    float[] in = image.pixels();
    for (int row = 0; row < h; row++) {
      int destRow = flipV ? h - 1 - row : row;
      for (int col = 0; col < w; col++) {
        double r = m[1][1] * row + m[1][0] * col + m[1][2];
        double q = m[0][1] * row + m[0][0] * col + m[0][2];
        int dest = offset + (destRow * w + (flipH ? w - 1 - col : col)) * c;
        if (r >= 0 && q >= 0 && r < h - 1 && q < w - 1) {
          // inside: the four neighbours exist (the common case, no fill mode)
          int r0 = (int) r;
          int q0 = (int) q;
          interpolate(in, (r0 * w + q0) * c, c, w * c, r - r0, q - q0, out, dest, c);
        } else {
          sampleEdge(in, h, w, c, r, q, out, dest);
        }
      }
    }
  }

  /**
   * Bilinear interpolation of the channels at {@code topLeft} and its right/lower neighbours,
   * summed as SciPy sums order-1 splines: each corner's value times the product of its row and
   * column weights.
   */
  private static void interpolate(float[] in, int topLeft, int right, int down, double fr,
      double fq, float[] out, int dest, int channels) {
    double w00 = (1 - fr) * (1 - fq);
    double w01 = (1 - fr) * fq;
    double w10 = fr * (1 - fq);
    double w11 = fr * fq;
    for (int k = 0; k < channels; k++) {
      int i = topLeft + k;
      out[dest + k] = (float) (w00 * in[i] + w01 * in[i + right] + w10 * in[i + down]
          + w11 * in[i + down + right]);
    }
  }

  /**
   * SciPy's order-1 sampling at (r, q) where a neighbour lies outside: {@code constant} gives
   * cval anywhere outside [0, n - 1] (no interpolation with cval), {@code nearest} clamps the
   * coordinate, {@code wrap} folds it with period n - 1 (SciPy's legacy wrap, where the first and
   * last samples overlap), {@code reflect} mirrors the neighbours' indices about the edge.
   */
  private void sampleEdge(float[] in, int h, int w, int c, double r, double q, float[] out,
      int dest) {
    if (fillMode == FillMode.CONSTANT && (r < 0 || r > h - 1 || q < 0 || q > w - 1)) {
      java.util.Arrays.fill(out, dest, dest + c, (float) cval);
      return;
    }
    if (fillMode == FillMode.NEAREST) {
      r = Math.max(0, Math.min(h - 1, r));
      q = Math.max(0, Math.min(w - 1, q));
    } else if (fillMode == FillMode.WRAP) {
      r = wrap(r, h);
      q = wrap(q, w);
    }
    int r0 = (int) Math.floor(r);
    int q0 = (int) Math.floor(q);
    double fr = r - r0;
    double fq = q - q0;
    int top = index(r0, h);
    int bottom = index(r0 + 1, h);
    int left = index(q0, w);
    int right = index(q0 + 1, w);
    double w00 = (1 - fr) * (1 - fq);
    double w01 = (1 - fr) * fq;
    double w10 = fr * (1 - fq);
    double w11 = fr * fq;
    for (int k = 0; k < c; k++) {
      out[dest + k] = (float) (w00 * in[(top * w + left) * c + k]
          + w01 * in[(top * w + right) * c + k] + w10 * in[(bottom * w + left) * c + k]
          + w11 * in[(bottom * w + right) * c + k]);
    }
  }

  /** SciPy's {@code wrap} of a coordinate outside [0, n - 1]: period n - 1. */
  private static double wrap(double x, int n) {
    if (n <= 1) {
      return 0;
    }
    int period = n - 1;
    if (x < 0) {
      return x + period * ((long) (-x / period) + 1);
    }
    return x > period ? x - period * (long) (x / period) : x;
  }

  /** A neighbour's index: reflected about the edge in reflect mode, otherwise clamped. */
  private int index(int i, int n) {
    if (i >= 0 && i < n) {
      return i;
    }
    return fillMode == FillMode.REFLECT ? reflect(i, n) : Math.max(0, Math.min(n - 1, i));
  }

  /** SciPy's {@code reflect}: (d c b a | a b c d | d c b a). */
  private static int reflect(int i, int n) {
    int period = 2 * n;
    int m = Math.floorMod(i, period);
    return m < n ? m : period - 1 - m;
  }

  /**
   * Keras' {@code apply_brightness_shift(x, brightness, scale=False)}, in place on {@code
   * pixels[from, from + length)}: the pixels truncated to 8 bits (stretched to [0, 255] first
   * when some lie outside), PIL's brightness enhancement (times the factor in single precision,
   * truncated and clipped), stretched back.
   */
  static void brightness(float[] pixels, int from, int length, double factor) {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (int i = from; i < from + length; i++) {
      min = Math.min(min, pixels[i]);
      max = Math.max(max, pixels[i]);
    }
    boolean stretch = min < 0 || max > 255;
    float span = max - min;
    float alpha = (float) factor;
    for (int i = from; i < from + length; i++) {
      float v = pixels[i];
      if (stretch) {
        v = v - min;
        v = span != 0 ? v / span * 255 : v * 255;
      }
      float enhanced = alpha * (int) v;
      float level = enhanced <= 0 ? 0 : enhanced >= 255 ? 255 : (int) enhanced;
      pixels[i] = stretch ? level / 255 * span + min : level;
    }
  }

  /** {@code image} flipped (or copied) into {@code out} from {@code offset}. */
  static void flip(Image image, boolean horizontal, boolean vertical, float[] out, int offset) {
    int h = image.height();
    int w = image.width();
    int c = image.channels();
    float[] in = image.pixels();
    if (!horizontal && !vertical) {
      System.arraycopy(in, 0, out, offset, in.length);
      return;
    }
    for (int row = 0; row < h; row++) {
      int sourceRow = vertical ? h - 1 - row : row;
      if (!horizontal) {
        System.arraycopy(in, sourceRow * w * c, out, offset + row * w * c, w * c);
        continue;
      }
      for (int col = 0; col < w; col++) {
        int source = (sourceRow * w + w - 1 - col) * c;
        int dest = offset + (row * w + col) * c;
        for (int k = 0; k < c; k++) {
          out[dest + k] = in[source + k];
        }
      }
    }
  }

  private static double[][] identity() {
    return new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  }

  private static boolean isIdentity(double[][] m) {
    double[][] id = identity();
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        if (m[i][j] != id[i][j]) {
          return false;
        }
      }
    }
    return true;
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    double[][] c = new double[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 3; k++) {
          c[i][j] += a[i][k] * b[k][j];
        }
      }
    }
    return c;
  }

  /**
   * Keras' {@code flow_from_directory}: an endless dataset of augmented batches from class
   * folders (a new shuffled pass each time one ends), labels per {@code classMode} ("binary",
   * "categorical", "sparse"/"int" or null).
   */
  public io.jeras.data.Dataset flowFromDirectory(java.nio.file.Path directory, int height,
      int width, int batchSize, String classMode) {
    String mode = classMode == null ? "none" : classMode.equals("sparse") ? "int" : classMode;
    return ImageDatasets.fromDirectory(directory, ImageDatasetOptions.defaults()
        .imageSize(height, width).batchSize(batchSize).labelMode(mode).augment(this),
        "images").repeat();
  }
}
