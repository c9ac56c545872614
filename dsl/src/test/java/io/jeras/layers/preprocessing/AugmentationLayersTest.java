package io.jeras.layers.preprocessing;

import static io.jeras.KerasReferences.array;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jeras.data.Data;
import io.jeras.layers.Layer;
import io.jeras.layers.core.Input;
import io.jeras.models.Sequential;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * The augmentation layers against Keras 3 (fixed factors, {@code image-references.json}), and
 * their identity outside training.
 */
class AugmentationLayersTest {
  private static JsonNode cases;
  private static FloatNdArray input;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = AugmentationLayersTest.class.getResourceAsStream(
        "/io/jeras/data/images/image-references.json")) {
      cases = new ObjectMapper().readTree(in).get("cases");
    }
    input = array(cases.get("layer_input"));
  }

  private static Layer<?> layerFor(String name) {
    return switch (name) {
      case "rotation" -> RandomRotation.of(0.1, 0.1);
      case "rotation_constant" -> RandomRotation.of(-0.2, -0.2).fillMode("constant")
          .fillValue(7);
      case "rotation_nearest_wrap" -> RandomRotation.of(0.3, 0.3).fillMode("wrap")
          .interpolation("nearest");
      case "zoom" -> RandomZoom.of(-0.3, -0.3).widthFactor(0.2, 0.2);
      case "zoom_same" -> RandomZoom.of(0.25, 0.25).fillMode("nearest");
      case "translation" -> RandomTranslation.of(new double[] {0.2, 0.2},
          new double[] {-0.1, -0.1});
      case "brightness" -> RandomBrightness.of(0.1, 0.1);
      case "resizing" -> Resizing.of(4, 9);
      case "resizing_crop" -> Resizing.of(4, 4).cropToAspectRatio(true);
      case "center_crop" -> CenterCrop.of(3, 3);
      case "center_crop_larger" -> CenterCrop.of(8, 7);
      default -> throw new IllegalArgumentException(name);
    };
  }

  private static FloatNdArray run(Layer<?> layer, FloatNdArray x, boolean training) {
    long[] sample = java.util.Arrays.copyOfRange(x.shape().asArray(), 1, 4);
    try (Sequential model = Sequential.of(Input.of(sample), layer)) {
      return model.call(x, training);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rotation", "rotation_constant", "rotation_nearest_wrap", "zoom",
      "zoom_same", "translation", "brightness", "resizing", "resizing_crop", "center_crop",
      "center_crop_larger"})
  void inTraining_matchesKeras(String name) {
    FloatNdArray expected = array(cases.get(name));
    FloatNdArray got = run(layerFor(name), input, true);
    assertThat(got.shape()).isEqualTo(expected.shape());
    float[] want = Data.toFloatArray(expected);
    float[] have = Data.toFloatArray(got);
    for (int i = 0; i < want.length; i++) {
      assertThat(have[i]).as("%s[%s]", name, i).isCloseTo(want[i], within(1e-3f));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rotation", "zoom", "translation", "brightness"})
  void outsideTraining_isTheIdentity(String name) {
    assertThat(run(layerFor(name), input, false)).isEqualTo(input);
  }

  @Test
  void rotationByAQuarterTurn_isTransposeThenFlip() {
    // a 4x4 image: rotating by 90 degrees maps pixel (r, c) to (c, 3 - r) or (3 - c, r)
    float[] pixels = new float[16];
    for (int i = 0; i < 16; i++) {
      pixels[i] = i * i % 17;
    }
    FloatNdArray image = Data.floats(pixels, 1, 4, 4, 1);
    FloatNdArray rotated = run(RandomRotation.of(0.25, 0.25), image, true);
    boolean clockwise = true;
    boolean counter = true;
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 4; c++) {
        float v = rotated.getFloat(0, r, c, 0);
        clockwise &= Math.abs(v - image.getFloat(0, 3 - c, r, 0)) < 1e-3;
        counter &= Math.abs(v - image.getFloat(0, c, 3 - r, 0)) < 1e-3;
      }
    }
    assertThat(clockwise || counter).as("a quarter turn of %s", java.util.Arrays.toString(
        Data.toFloatArray(rotated))).isTrue();
  }

  @Test
  void randomFlip_givesEachImageOrItsExactMirror() {
    float[] pixels = new float[64 * 3 * 4];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = i % 251;
    }
    FloatNdArray images = Data.floats(pixels, 64, 3, 4, 1);
    FloatNdArray out = run(RandomFlip.of("horizontal"), images, true);
    int mirrored = 0;
    for (int n = 0; n < 64; n++) {
      boolean same = true;
      boolean mirror = true;
      for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 4; c++) {
          same &= out.getFloat(n, r, c, 0) == images.getFloat(n, r, c, 0);
          mirror &= out.getFloat(n, r, c, 0) == images.getFloat(n, r, 3 - c, 0);
        }
      }
      assertThat(same || mirror).as("image %s", n).isTrue();
      mirrored += mirror ? 1 : 0;
    }
    assertThat(mirrored).isBetween(16, 48);
  }

  @Test
  void randomContrast_scalesAboutEachChannelsMean() {
    // factor 0: contrast exactly 1, the identity; factor 1: from 0 (flat) to 2x
    FloatNdArray image = Data.floats(new float[] {10, 20, 30, 40}, 1, 2, 2, 1);
    assertThat(run(RandomContrast.of(0), image, true)).isEqualTo(image);
    FloatNdArray out = run(RandomContrast.of(1).seed(3), image, true);
    float scale = (out.getFloat(0, 1, 1, 0) - 25) / 15;
    assertThat(scale).isBetween(0f, 2f);
    assertThat(out.getFloat(0, 0, 0, 0)).isCloseTo(25 - 15 * scale, within(1e-3f));
    assertThatThrownBy(() -> RandomContrast.of(1.5)).hasMessageContaining("[0.0, 1.0]");
  }

  /** Erased pixels of image n: all channels changed together, returned as a row-by-column map. */
  private static boolean[][] erasedPixels(FloatNdArray out, FloatNdArray in, int n) {
    int h = (int) in.shape().get(1);
    int w = (int) in.shape().get(2);
    boolean[][] erased = new boolean[h][w];
    for (int r = 0; r < h; r++) {
      for (int c = 0; c < w; c++) {
        boolean first = out.getFloat(n, r, c, 0) != in.getFloat(n, r, c, 0);
        for (int k = 1; k < in.shape().get(3); k++) {
          assertThat(out.getFloat(n, r, c, k) != in.getFloat(n, r, c, k))
              .as("image %s pixel (%s, %s) channel %s erased like channel 0", n, r, c, k)
              .isEqualTo(first);
        }
        erased[r][c] = first;
      }
    }
    return erased;
  }

  @Test
  void randomErasing_alwaysOn_overwritesOneRectangleOfKerasSizeWithTheFillValue() {
    // factor (1, 1): every image erased; scale [0.02, 0.33] on 8x10 images gives sides of
    // sqrt(u) * 8 in [1.13, 4.60] and sqrt(u) * 10 in [1.41, 5.74] pixels
    int n = 64;
    float[] pixels = new float[n * 8 * 10 * 2];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = 1 + i / 2 % 5;
    }
    FloatNdArray images = Data.floats(pixels, n, 8, 10, 2);
    FloatNdArray out = run(RandomErasing.of(1, 1).fillValue(7).seed(11), images, true);
    java.util.Set<Integer> widths = new java.util.TreeSet<>();
    for (int k = 0; k < n; k++) {
      boolean[][] erased = erasedPixels(out, images, k);
      int top = 8;
      int bottom = -1;
      int left = 10;
      int right = -1;
      int count = 0;
      for (int r = 0; r < 8; r++) {
        for (int c = 0; c < 10; c++) {
          if (erased[r][c]) {
            top = Math.min(top, r);
            bottom = Math.max(bottom, r);
            left = Math.min(left, c);
            right = Math.max(right, c);
            count++;
            assertThat(out.getFloat(k, r, c, 1)).isEqualTo(7f);
          }
        }
      }
      int rows = bottom - top + 1;
      int cols = right - left + 1;
      assertThat(count).as("image %s: a filled rectangle", k).isEqualTo(rows * cols);
      assertThat(rows).as("image %s rows", k).isBetween(1, 5);
      assertThat(cols).as("image %s columns", k).isBetween(1, 6);
      widths.add(cols);
    }
    assertThat(widths).as("rectangle widths vary").hasSizeGreaterThan(2);
  }

  @Test
  void randomErasing_atKerasDefaults_erasesWhatKerasErases() {
    // Keras' draws cannot be fixed, so compare what is erased on 4,000 flat images with the
    // statistics of Keras 3's own layer (image-references.json, erasing_statistics): half the
    // images (factor 1.0 draws each image's probability from [0, 1]), sides of sqrt(u) * 28
    // with u in [0.02, 0.33], fill values normal * 1 clipped to [0, 1]
    JsonNode keras = cases.get("erasing_statistics");
    int n = keras.get("images").asInt();
    int size = keras.get("size").asInt();
    float[] pixels = new float[n * size * size];
    java.util.Arrays.fill(pixels, 0.5f);
    FloatNdArray images = Data.floats(pixels, n, size, size, 1);
    FloatNdArray out = run(RandomErasing.of().valueRange(0, 1).seed(5), images, true);
    int erasedImages = 0;
    double rows = 0;
    double columns = 0;
    long erasedPixels = 0;
    long zeros = 0;
    long ones = 0;
    for (int k = 0; k < n; k++) {
      boolean[][] erased = erasedPixels(out, images, k);
      boolean[] anyInColumn = new boolean[size];
      int rowCount = 0;
      for (int r = 0; r < size; r++) {
        boolean anyInRow = false;
        for (int c = 0; c < size; c++) {
          if (erased[r][c]) {
            float v = out.getFloat(k, r, c, 0);
            assertThat(v).isBetween(0f, 1f);
            anyInRow = true;
            anyInColumn[c] = true;
            erasedPixels++;
            zeros += v == 0f ? 1 : 0;
            ones += v == 1f ? 1 : 0;
          }
        }
        rowCount += anyInRow ? 1 : 0;
      }
      if (rowCount > 0) {
        erasedImages++;
        rows += rowCount;
        for (boolean any : anyInColumn) {
          columns += any ? 1 : 0;
        }
      }
    }
    assertThat((double) erasedImages / n).as("share of images erased")
        .isCloseTo(keras.get("erased_share").asDouble(), within(0.04));
    assertThat(rows / erasedImages).as("mean rows erased")
        .isCloseTo(keras.get("mean_rows").asDouble(), within(0.4));
    assertThat(columns / erasedImages).as("mean columns erased")
        .isCloseTo(keras.get("mean_columns").asDouble(), within(0.4));
    assertThat((double) zeros / erasedPixels).as("erased pixels clipped to 0")
        .isCloseTo(keras.get("zero_share").asDouble(), within(0.02));
    assertThat((double) ones / erasedPixels).as("erased pixels clipped to 1")
        .isCloseTo(keras.get("one_share").asDouble(), within(0.02));
    assertThat(run(RandomErasing.of(0).seed(5), images, true)).isEqualTo(images);
    assertThat(run(RandomErasing.of(1, 1), images, false)).isEqualTo(images);
  }

  @Test
  void badArguments_fail() {
    assertThatThrownBy(() -> RandomErasing.of(1.5)).hasMessageContaining(
        "The `factor` argument should be a number (or a list of two numbers) in the range [0, 1]");
    assertThatThrownBy(() -> RandomErasing.of().scale(0.2, 2))
        .hasMessageContaining("Received: scale=[0.2, 2.0]");
    assertThatThrownBy(() -> RandomRotation.of(0.1).fillMode("mirror"))
        .hasMessageContaining("Unknown `fill_mode` mirror");
    assertThatThrownBy(() -> RandomFlip.of("diagonal")).hasMessageContaining("unknown mode");
    assertThatThrownBy(() -> Resizing.of(0, 3)).hasMessageContaining("positive size");
  }
}
