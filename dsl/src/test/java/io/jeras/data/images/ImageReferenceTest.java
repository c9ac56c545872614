package io.jeras.data.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jeras.data.images.Images.Image;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decoding and resizing against TensorFlow, and ImageDataGenerator's transforms against Keras'
 * ({@code image-references.json}, made by {@code savedmodels/python/make_image_references.py}).
 */
class ImageReferenceTest {
  static JsonNode cases;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = ImageReferenceTest.class.getResourceAsStream(
        "image-references.json")) {
      cases = new ObjectMapper().readTree(in).get("cases");
    }
  }

  static Path resource(String name) {
    try {
      return Path.of(ImageReferenceTest.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static float[] values(JsonNode node) {
    float[] v = new float[node.get("values").size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) node.get("values").get(i).asDouble();
    }
    return v;
  }

  static int dim(JsonNode node, int i) {
    return node.get("shape").get(i).asInt();
  }

  @ParameterizedTest
  @CsvSource({"rgb.png, rgb, 3, 0, 0", "rgb.png, gray, 1, 1, 0.5", "gray.png, rgb, 3, 0, 0",
      "gray.png, gray, 1, 0, 0", "photo.jpg, rgb, 3, 8, 2.5", "photo.jpg, gray, 1, 8, 2.5"})
  void decoding_matchesTensorFlow(String file, String mode, int channels, int tolerance,
      double meanTolerance) {
    JsonNode expected = cases.get("decode_" + file + "_" + mode);
    Image image = Images.decode(resource(file), channels);
    assertThat(new int[] {image.height(), image.width(), image.channels()})
        .containsExactly(dim(expected, 0), dim(expected, 1), dim(expected, 2));
    float[] want = values(expected);
    double total = 0;
    for (int i = 0; i < want.length; i++) {
      // PNG is exact; TF converts colour to gray with its own rounding, and JPEG decoders
      // differ by a few levels (IDCT, chroma upsampling at the edges)
      assertThat(image.pixels()[i]).as("%s %s pixel %s", file, mode, i)
          .isCloseTo(want[i], within((float) tolerance));
      total += Math.abs(image.pixels()[i] - want[i]);
    }
    assertThat(total / want.length).as("mean difference").isLessThanOrEqualTo(meanTolerance);
  }

  @ParameterizedTest
  @CsvSource({"9, 4", "3, 3", "5, 14"})
  void bilinearResize_matchesTensorFlow(int height, int width) {
    JsonNode input = cases.get("resize_input");
    Image image = new Image(values(input), dim(input, 0), dim(input, 1), dim(input, 2));
    float[] want = values(cases.get("resize_" + height + "x" + width));
    float[] got = Images.resize(image, height, width).pixels();
    assertThat(got).hasSameSizeAs(want);
    for (int i = 0; i < want.length; i++) {
      assertThat(got[i]).as("pixel %s", i).isCloseTo(want[i], within(1e-3f));
    }
  }

  static List<String> generatorCases() throws IOException {
    load();
    List<String> names = new ArrayList<>();
    cases.fieldNames().forEachRemaining(name -> {
      if (name.startsWith("generator_") && !name.equals("generator_input")) {
        names.add(name);
      }
    });
    return names;
  }

  /** Keras' apply_transform (SciPy's order-1 affine_transform, flips, brightness) per fill mode. */
  @ParameterizedTest
  @MethodSource("generatorCases")
  void generatorTransform_matchesKeras(String name) {
    JsonNode input = cases.get("generator_input");
    Image image = new Image(values(input), dim(input, 0), dim(input, 1), dim(input, 2));
    JsonNode reference = cases.get(name);
    JsonNode t = reference.get("transform");
    ImageDataGenerator generator = ImageDataGenerator.defaults()
        .fillMode(reference.get("fill").asText()).cval(reference.get("cval").asDouble());
    Image got = generator.applyTransform(image, new ImageDataGenerator.Transform(
        t.get("theta").asDouble(), t.get("tx").asDouble(), t.get("ty").asDouble(),
        t.get("shear").asDouble(), t.get("zx").asDouble(), t.get("zy").asDouble(),
        t.get("flip_horizontal").asBoolean(), t.get("flip_vertical").asBoolean(),
        t.get("brightness").asDouble()));
    float[] want = values(reference);
    assertThat(new int[] {got.height(), got.width(), got.channels()})
        .containsExactly(dim(reference, 0), dim(reference, 1), dim(reference, 2));
    for (int i = 0; i < want.length; i++) {
      assertThat(got.pixels()[i]).as("%s pixel %s", name, i).isCloseTo(want[i], within(1e-4f));
    }
  }
}
