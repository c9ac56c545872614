package io.jeras.savedmodels.keras.mappings;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jeras.layers.preprocessing.AffineImageLayer;
import io.jeras.layers.preprocessing.CenterCrop;
import io.jeras.layers.preprocessing.Normalization;
import io.jeras.layers.preprocessing.RandomBrightness;
import io.jeras.layers.preprocessing.RandomContrast;
import io.jeras.layers.preprocessing.RandomErasing;
import io.jeras.layers.preprocessing.RandomFlip;
import io.jeras.layers.preprocessing.RandomImageLayer;
import io.jeras.layers.preprocessing.RandomRotation;
import io.jeras.layers.preprocessing.RandomTranslation;
import io.jeras.layers.preprocessing.RandomZoom;
import io.jeras.layers.preprocessing.Rescaling;
import io.jeras.layers.preprocessing.Resizing;
import io.jeras.savedmodels.keras.LayerConfig;
import java.util.List;

/**
 * Keras' image preprocessing and augmentation layers. The random layers' {@code seed} picks
 * their random stream; Jeras draws its own stream from it (Keras' and TensorFlow Java's
 * generators differ), so a seed is kept but the draws are not Keras' draws.
 */
final class PreprocessingMappings {
  private PreprocessingMappings() {}

  static List<LayerMapping> all() {
    return List.of(
        Mapping.of(Rescaling.class, c -> {
          double[] scale = c.numbers("scale");
          double[] offset = c.numbers("offset");
          scale = scale == null ? new double[] {1} : scale;
          offset = offset == null ? new double[] {0} : offset;
          return scale.length == 1 && offset.length == 1 ? Rescaling.of(scale[0], offset[0])
              : Rescaling.of(scale, offset);
        }, (layer, c) -> {
          c.set("scale", layer.scales() == null ? Json.NODES.numberNode(layer.scale())
              : Json.numbers(layer.scales()));
          c.set("offset", layer.offsets() == null ? Json.NODES.numberNode(layer.offset())
              : Json.numbers(layer.offsets()));
        }),
        new NormalizationMapping(),
        Mapping.of(Resizing.class, c -> {
          c.expect("data_format", "channels_last", null);
          c.expect("pad_to_aspect_ratio", false);
          c.expect("antialias", false);
          c.use("fill_mode", "fill_value"); // only used when padding to the aspect ratio
          int[] size = {c.integer("height"), c.integer("width")};
          return Resizing.of(size[0], size[1]).interpolation(c.string("interpolation",
              "bilinear")).cropToAspectRatio(c.bool("crop_to_aspect_ratio", false));
        }, (layer, c) -> {
          c.put("height", layer.height());
          c.put("width", layer.width());
          c.put("interpolation", layer.interpolation());
          c.put("crop_to_aspect_ratio", layer.cropToAspectRatio());
          c.put("pad_to_aspect_ratio", false);
          c.put("data_format", "channels_last");
        }),
        Mapping.of(CenterCrop.class, c -> {
          c.expect("data_format", "channels_last", null);
          return CenterCrop.of(c.integer("height"), c.integer("width"));
        }, (layer, c) -> {
          c.put("height", layer.height());
          c.put("width", layer.width());
          c.put("data_format", "channels_last");
        }),
        Mapping.of(RandomFlip.class, c -> seeded(RandomFlip.of(c.string("mode",
            "horizontal_and_vertical")), c), (layer, c) -> {
              c.put("mode", layer.mode());
              random(layer, c);
            }),
        Mapping.of(RandomRotation.class, c -> affine(RandomRotation.of(c.numbers("factor")), c)
            .interpolation(c.string("interpolation", "bilinear")), (layer, c) -> {
              c.set("factor", Json.numbers(layer.factor()));
              affine(layer, c);
            }),
        Mapping.of(RandomZoom.class, c -> {
          RandomZoom zoom = RandomZoom.of(c.numbers("height_factor"));
          double[] width = c.numbers("width_factor");
          zoom = width == null ? zoom : zoom.widthFactor(width);
          return affine(zoom, c).interpolation(c.string("interpolation", "bilinear"));
        }, (layer, c) -> {
          c.set("height_factor", Json.numbers(layer.heightFactor()));
          if (layer.widthFactor() == null) {
            c.putNull("width_factor");
          } else {
            c.set("width_factor", Json.numbers(layer.widthFactor()));
          }
          affine(layer, c);
        }),
        Mapping.of(RandomTranslation.class, c -> affine(RandomTranslation.of(
            range(c.numbers("height_factor")), range(c.numbers("width_factor"))), c)
            .interpolation(c.string("interpolation", "bilinear")), (layer, c) -> {
              c.set("height_factor", Json.numbers(layer.heightFactor()));
              c.set("width_factor", Json.numbers(layer.widthFactor()));
              affine(layer, c);
            }),
        Mapping.of(RandomContrast.class, c -> {
          double[] range = valueRange(c);
          return seeded(RandomContrast.of(c.numbers("factor")).valueRange(range[0], range[1]),
              c);
        }, (layer, c) -> {
          c.set("factor", Json.numbers(layer.factor()));
          c.set("value_range", Json.numbers(layer.valueRange()));
          random(layer, c);
        }),
        Mapping.of(RandomBrightness.class, c -> {
          double[] range = valueRange(c);
          return seeded(RandomBrightness.of(c.numbers("factor")).valueRange(range[0],
              range[1]), c);
        }, (layer, c) -> {
          c.set("factor", Json.numbers(layer.factor()));
          c.set("value_range", Json.numbers(layer.valueRange()));
          random(layer, c);
        }),
        Mapping.of(RandomErasing.class, c -> {
          double[] range = valueRange(c);
          RandomErasing erasing = RandomErasing.of(c.numbers("factor"))
              .valueRange(range[0], range[1]);
          double[] scale = c.numbers("scale");
          erasing = scale == null ? erasing : erasing.scale(scale);
          erasing = c.has("fill_value") ? erasing.fillValue(c.number("fill_value", 0)) : erasing;
          return seeded(erasing, c);
        }, (layer, c) -> {
          c.set("factor", Json.numbers(layer.factor()));
          c.set("scale", Json.numbers(layer.scale()));
          if (layer.fillValue() == null) {
            c.putNull("fill_value");
          } else {
            c.put("fill_value", layer.fillValue());
          }
          c.set("value_range", Json.numbers(layer.valueRange()));
          random(layer, c);
        }));
  }

  /** A factor of one number f is the range [-f, f]. */
  private static double[] range(double[] factor) {
    return factor.length == 1 ? new double[] {-Math.abs(factor[0]), Math.abs(factor[0])}
        : factor;
  }

  private static double[] valueRange(LayerConfig c) {
    double[] range = c.numbers("value_range");
    return range == null ? new double[] {0, 255} : range;
  }

  private static <L extends RandomImageLayer<L>> L seeded(L layer, LayerConfig c) {
    c.expect("data_format", "channels_last", null);
    return c.has("seed") ? layer.seed(c.node("seed").asLong()) : layer;
  }

  private static <L extends AffineImageLayer<L>> L affine(L layer, LayerConfig c) {
    return seeded(layer, c).fillMode(c.string("fill_mode", "reflect"))
        .fillValue(c.number("fill_value", 0));
  }

  private static void random(RandomImageLayer<?> layer, ObjectNode c) {
    if (layer.seed() == null) {
      c.putNull("seed");
    } else {
      c.put("seed", layer.seed());
    }
    c.put("data_format", "channels_last");
  }

  private static void affine(AffineImageLayer<?> layer, ObjectNode c) {
    c.put("fill_mode", layer.fillMode());
    c.put("fill_value", layer.fillValue());
    c.put("interpolation", layer.interpolation());
    random(layer, c);
  }
}
