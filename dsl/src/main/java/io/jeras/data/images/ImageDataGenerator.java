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
 * centre maps each output pixel (row, column) to the input, sampled bilinearly as SciPy's
 * {@code affine_transform(order=1)} with the fill mode outside. {@code flowFromDirectory}
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
    return standardize(applyTransform(image, randomTransform(image.height(), image.width(),
        random)));
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
    Image out = affine(image, t);
    if (t.flipHorizontal() || t.flipVertical()) {
      out = flip(out, t.flipHorizontal(), t.flipVertical());
    }
    if (t.brightness() != 1) {
      float[] pixels = out.pixels().clone();
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = Math.round(Math.max(0, Math.min(255, pixels[i] * (float) t.brightness())));
      }
      out = new Image(pixels, out.height(), out.width(), out.channels());
    }
    return out;
  }

  private Image affine(Image image, Transform t) {
    // Rotation x shift x shear x zoom, on (row, column) coordinates, as Keras composes them.
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
      return image;
    }
    // about the centre: offset x m x reset, with Keras' o = size / 2 - 0.5
    double oRow = image.height() / 2.0 - 0.5;
    double oCol = image.width() / 2.0 - 0.5;
    m = multiply(multiply(new double[][] {{1, 0, oRow}, {0, 1, oCol}, {0, 0, 1}}, m),
        new double[][] {{1, 0, -oRow}, {0, 1, -oCol}, {0, 0, 1}});
    int h = image.height();
    int w = image.width();
    int c = image.channels();
    float[] in = image.pixels();
    float[] out = new float[in.length];
    for (int row = 0; row < h; row++) {
      for (int col = 0; col < w; col++) {
        double r = m[0][0] * row + m[0][1] * col + m[0][2];
        double q = m[1][0] * row + m[1][1] * col + m[1][2];
        sample(in, h, w, c, r, q, out, (row * w + col) * c);
      }
    }
    return new Image(out, h, w, c);
  }

  /** SciPy's order-1 interpolation at (r, q) with this generator's fill mode. */
  private void sample(float[] in, int h, int w, int c, double r, double q, float[] out,
      int offset) {
    if (fillMode == FillMode.CONSTANT && (r < -1 || r > h || q < -1 || q > w)) {
      for (int k = 0; k < c; k++) {
        out[offset + k] = (float) cval;
      }
      return;
    }
    int r0 = (int) Math.floor(r);
    int q0 = (int) Math.floor(q);
    double fr = r - r0;
    double fq = q - q0;
    for (int k = 0; k < c; k++) {
      double v = (1 - fr) * ((1 - fq) * at(in, h, w, c, r0, q0, k) + fq * at(in, h, w, c, r0,
          q0 + 1, k)) + fr * ((1 - fq) * at(in, h, w, c, r0 + 1, q0, k)
          + fq * at(in, h, w, c, r0 + 1, q0 + 1, k));
      out[offset + k] = (float) v;
    }
  }

  private double at(float[] in, int h, int w, int c, int r, int q, int k) {
    if (r < 0 || r >= h || q < 0 || q >= w) {
      switch (fillMode) {
        case CONSTANT -> {
          return cval;
        }
        case NEAREST -> {
          r = Math.max(0, Math.min(h - 1, r));
          q = Math.max(0, Math.min(w - 1, q));
        }
        case REFLECT -> {
          r = reflect(r, h);
          q = reflect(q, w);
        }
        case WRAP -> {
          r = Math.floorMod(r, h);
          q = Math.floorMod(q, w);
        }
        default -> throw new IllegalStateException();
      }
    }
    return in[(r * w + q) * c + k];
  }

  /** SciPy's {@code reflect}: (d c b a | a b c d | d c b a). */
  private static int reflect(int i, int n) {
    int period = 2 * n;
    int m = Math.floorMod(i, period);
    return m < n ? m : period - 1 - m;
  }

  static Image flip(Image image, boolean horizontal, boolean vertical) {
    int h = image.height();
    int w = image.width();
    int c = image.channels();
    float[] in = image.pixels();
    float[] out = new float[in.length];
    for (int row = 0; row < h; row++) {
      int sourceRow = vertical ? h - 1 - row : row;
      for (int col = 0; col < w; col++) {
        int sourceCol = horizontal ? w - 1 - col : col;
        System.arraycopy(in, (sourceRow * w + sourceCol) * c, out, (row * w + col) * c, c);
      }
    }
    return new Image(out, h, w, c);
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
