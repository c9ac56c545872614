package io.jeras.applications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jeras.data.Data;
import io.jeras.layers.Layer;
import io.jeras.models.Functional;
import io.jeras.models.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

/**
 * The application builders without TensorFlow: parameter counts against Keras', Keras' argument
 * checks, the cache lookup and the preprocessing formulas. (Predictions and weight files are
 * checked against Keras itself in the savedmodels module's ApplicationsInJavaTest.)
 */
class ApplicationsTest {

  /**
   * Keras' parameter counts, from Keras 3.8's {@code model.count_params()} of {@code
   * keras.applications.<name>(weights=None)} (with the top: 1000 classes at the default input
   * size) and {@code (weights=None, include_top=False)}.
   */
  static Stream<Arguments> kerasParameterCounts() {
    return Stream.of(
        Arguments.of("VGG16", 138_357_544L, 14_714_688L),
        Arguments.of("VGG19", 143_667_240L, 20_024_384L),
        Arguments.of("ResNet50", 25_636_712L, 23_587_712L),
        Arguments.of("ResNet101", 44_707_176L, 42_658_176L),
        Arguments.of("ResNet152", 60_419_944L, 58_370_944L),
        Arguments.of("ResNet50V2", 25_613_800L, 23_564_800L),
        Arguments.of("ResNet101V2", 44_675_560L, 42_626_560L),
        Arguments.of("ResNet152V2", 60_380_648L, 58_331_648L),
        Arguments.of("InceptionV3", 23_851_784L, 21_802_784L),
        Arguments.of("InceptionResNetV2", 55_873_736L, 54_336_736L),
        Arguments.of("Xception", 22_910_480L, 20_861_480L),
        Arguments.of("MobileNet", 4_253_864L, 3_228_864L),
        Arguments.of("MobileNetV2", 3_538_984L, 2_257_984L),
        Arguments.of("MobileNetV3Small", 2_554_968L, 939_120L),
        Arguments.of("MobileNetV3Large", 5_507_432L, 2_996_352L),
        Arguments.of("DenseNet121", 8_062_504L, 7_037_504L),
        Arguments.of("DenseNet169", 14_307_880L, 12_642_880L),
        Arguments.of("DenseNet201", 20_242_984L, 18_321_984L),
        Arguments.of("NASNetMobile", 5_326_716L, 4_269_716L),
        Arguments.of("NASNetLarge", 88_949_818L, 84_887_922L),
        Arguments.of("EfficientNetB0", 5_330_571L, 4_049_571L),
        Arguments.of("EfficientNetB1", 7_856_239L, 6_575_239L),
        Arguments.of("EfficientNetB2", 9_177_569L, 7_768_569L),
        Arguments.of("EfficientNetB3", 12_320_535L, 10_783_535L),
        Arguments.of("EfficientNetB4", 19_466_823L, 17_673_823L),
        Arguments.of("EfficientNetB5", 30_562_527L, 28_513_527L),
        Arguments.of("EfficientNetB6", 43_265_143L, 40_960_143L),
        Arguments.of("EfficientNetB7", 66_658_687L, 64_097_687L),
        Arguments.of("EfficientNetV2B0", 7_200_312L, 5_919_312L),
        Arguments.of("EfficientNetV2B1", 8_212_124L, 6_931_124L),
        Arguments.of("EfficientNetV2B2", 10_178_374L, 8_769_374L),
        Arguments.of("EfficientNetV2B3", 14_467_622L, 12_930_622L),
        Arguments.of("EfficientNetV2S", 21_612_360L, 20_331_360L),
        Arguments.of("EfficientNetV2M", 54_431_388L, 53_150_388L),
        Arguments.of("EfficientNetV2L", 119_027_848L, 117_746_848L),
        Arguments.of("ConvNeXtTiny", 28_589_128L, 27_820_128L),
        Arguments.of("ConvNeXtSmall", 50_223_688L, 49_454_688L),
        Arguments.of("ConvNeXtBase", 88_591_464L, 87_566_464L),
        Arguments.of("ConvNeXtLarge", 197_767_336L, 196_230_336L),
        Arguments.of("ConvNeXtXLarge", 350_196_968L, 348_147_968L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kerasParameterCounts")
  void parameterCountsAreKeras(String name, long withTop, long withoutTop) {
    ApplicationBuilder<?> builder = Applications.of(name);
    try (Functional top = builder.build(); Functional notop = builder.includeTop(false)
        .build()) {
      assertThat(top.countParams()).as(name + " with the top").isEqualTo(withTop);
      assertThat(notop.countParams()).as(name + " without the top").isEqualTo(withoutTop);
      assertThat(top.outputShape().asArray()).isEqualTo(Shape.of(-1, 1000).asArray());
      // Keras' names are unique within a model
      assertThat(top.layers().stream().map(Layer::name).distinct().count())
          .isEqualTo(top.layers().size());
    }
  }

  /**
   * The family arguments, counted by Keras 3.8's {@code count_params()}: {@code
   * MobileNet(alpha=0.25, input_shape=(128, 128, 3))} 475,544; {@code MobileNet(alpha=0.5,
   * depth_multiplier=2, include_top=False)} 1,646,672; {@code MobileNetV2(alpha=0.35,
   * input_shape=(96, 96, 3))} 1,691,208; {@code MobileNetV2(alpha=1.4, include_top=False)}
   * 4,363,712; {@code MobileNetV3Small(minimalistic=True)} 2,056,848; {@code
   * MobileNetV3Large(alpha=0.75, classes=10)} 2,744,426; {@code MobileNetV3Large(alpha=1.25,
   * include_top=False)} 4,764,160; {@code VGG16(input_shape=(150, 150, 3), classes=5)}
   * 65,075,013; {@code EfficientNetV2S(include_top=False, include_preprocessing=False,
   * input_shape=(64, 64, 1))} 20,330,928; {@code ConvNeXtTiny(include_top=False,
   * input_shape=(64, 64, 1))} 27,817,056 (all with {@code weights=None}).
   */
  static Stream<Arguments> familyArguments() {
    return Stream.of(
        Arguments.of("MobileNet alpha 0.25 at 128", (Supplier<ApplicationBuilder<?>>)
            () -> Applications.mobileNet().alpha(0.25).inputShape(128, 128, 3), 475_544L,
            "mobilenet_0.25_128", Shape.of(-1, 1000)),
        Arguments.of("MobileNet alpha 0.5, depth multiplier 2",
            (Supplier<ApplicationBuilder<?>>) () -> Applications.mobileNet().alpha(0.5)
                .depthMultiplier(2).includeTop(false), 1_646_672L, "mobilenet_0.50_None",
            Shape.of(-1, -1, -1, 512)),
        Arguments.of("MobileNetV2 alpha 0.35 at 96", (Supplier<ApplicationBuilder<?>>)
            () -> Applications.mobileNetV2().alpha(0.35).inputShape(96, 96, 3), 1_691_208L,
            "mobilenetv2_0.35_96", Shape.of(-1, 1000)),
        Arguments.of("MobileNetV2 alpha 1.4", (Supplier<ApplicationBuilder<?>>)
            () -> Applications.mobileNetV2().alpha(1.4).includeTop(false), 4_363_712L,
            "mobilenetv2_1.40_None", Shape.of(-1, -1, -1, 1792)),
        Arguments.of("MobileNetV3Small minimalistic", (Supplier<ApplicationBuilder<?>>)
            () -> Applications.mobileNetV3Small().minimalistic(true), 2_056_848L,
            "MobileNetV3Small", Shape.of(-1, 1000)),
        Arguments.of("MobileNetV3Large alpha 0.75", (Supplier<ApplicationBuilder<?>>)
            () -> Applications.mobileNetV3Large().alpha(0.75).classes(10), 2_744_426L,
            "MobileNetV3Large", Shape.of(-1, 10)),
        Arguments.of("MobileNetV3Large alpha 1.25", (Supplier<ApplicationBuilder<?>>)
            () -> Applications.mobileNetV3Large().alpha(1.25).includeTop(false), 4_764_160L,
            "MobileNetV3Large", Shape.of(-1, -1, -1, 1200)),
        Arguments.of("VGG16 at 150, 5 classes", (Supplier<ApplicationBuilder<?>>)
            () -> Applications.vgg16().inputShape(150, 150, 3).classes(5), 65_075_013L,
            "vgg16", Shape.of(-1, 5)),
        Arguments.of("EfficientNetV2S, 1 channel, no preprocessing",
            (Supplier<ApplicationBuilder<?>>) () -> Applications.efficientNetV2S()
                .includeTop(false).includePreprocessing(false).inputShape(64, 64, 1),
            20_330_928L, "efficientnetv2-s", Shape.of(-1, 2, 2, 1280)),
        Arguments.of("ConvNeXtTiny, 1 channel", (Supplier<ApplicationBuilder<?>>)
            () -> Applications.convNeXtTiny().includeTop(false).inputShape(64, 64, 1),
            27_817_056L, "convnext_tiny", Shape.of(-1, 2, 2, 768)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("familyArguments")
  void familyArgumentsAreKeras(String what, Supplier<ApplicationBuilder<?>> builder,
      long params, String modelName, Shape output) {
    try (Functional model = builder.get().build()) {
      assertThat(model.countParams()).as(what).isEqualTo(params);
      assertThat(model.name()).isEqualTo(modelName);
      assertThat(model.outputShape().asArray()).isEqualTo(output.asArray());
    }
  }

  @Test
  void withoutTheTopUnknownSizesAreAllowed() {
    try (Functional model = Applications.resNet50().includeTop(false).build()) {
      assertThat(model.inputShape().asArray()).isEqualTo(Shape.of(-1, -1, -1, 3).asArray());
      assertThat(model.outputShape().asArray()).isEqualTo(Shape.of(-1, -1, -1, 2048).asArray());
    }
    try (Functional model = Applications.mobileNetV3Small().build()) {
      assertThat(model.inputShape().asArray()).isEqualTo(Shape.of(-1, -1, -1, 3).asArray());
      assertThat(model.outputShape().asArray()).isEqualTo(Shape.of(-1, 1000).asArray());
    }
    try (Functional model = Applications.vgg16().includeTop(false).pooling("max")
        .inputShape(-1, -1, 3).build()) {
      assertThat(model.outputShape().asArray()).isEqualTo(Shape.of(-1, 512).asArray());
      assertThat(model.layers().get(model.layers().size() - 1).className())
          .isEqualTo("GlobalMaxPooling2D");
    }
  }

  @Test
  void layersAreNamedAsInAFreshKerasSession() {
    try (Functional model = Applications.inceptionV3().includeTop(false).inputShape(75, 75, 3)
        .build()) {
      List<String> names = model.layers().stream().map(Layer::name).toList();
      assertThat(names.subList(0, 3)).containsExactly("conv2d", "batch_normalization",
          "activation");
      assertThat(names).contains("mixed0", "mixed9_1", "concatenate_1", "conv2d_93");
    }
    try (Functional model = Applications.mobileNetV3Small().inputShape(32, 32, 3).build()) {
      List<String> names = model.layers().stream().map(Layer::name).toList();
      assertThat(names).startsWith("rescaling", "conv", "conv_bn", "activation");
      // Keras' x + 3.0 and x * (1 / 6.0) operations, as Rescaling layers
      assertThat(model.layer("add").className()).isEqualTo("Rescaling");
      assertThat(model.layer("multiply").className()).isEqualTo("Rescaling");
      assertThat(names).contains("expanded_conv_squeeze_excite_mul", "predictions");
    }
  }

  @Test
  void buildersAreImmutable() {
    ResNet base = Applications.resNet50();
    ResNet headless = base.includeTop(false).pooling("avg");
    assertThat(base.includeTop()).isTrue();
    assertThat(base.pooling()).isNull();
    assertThat(headless.includeTop()).isFalse();
    assertThat(headless.imagenetWeightsFile()).isNotEqualTo(base.imagenetWeightsFile());
  }

  @Test
  void kerasArgumentChecks() {
    assertThatThrownBy(() -> Applications.resNet50().imagenetWeights().classes(10).build())
        .hasMessage("If using `weights='imagenet'` with `include_top=True`, `classes` should"
            + " be 1000.  Received classes=10");
    assertThatThrownBy(() -> Applications.vgg16().imagenetWeights().inputShape(150, 150, 3)
        .build()).hasMessage("When setting `include_top=True` and loading `imagenet` weights,"
            + " `input_shape` should be (224, 224, 3).  Received: input_shape=(150, 150, 3)");
    assertThatThrownBy(() -> Applications.vgg16().includeTop(false).inputShape(31, 31, 3)
        .build()).hasMessage("Input size must be at least 32x32; Received:"
            + " input_shape=(31, 31, 3)");
    assertThatThrownBy(() -> Applications.inceptionV3().includeTop(false)
        .inputShape(74, 80, 3).build()).hasMessageStartingWith("Input size must be at least"
            + " 75x75");
    assertThatThrownBy(() -> Applications.denseNet121().inputShape(-1, -1, 3).build())
        .hasMessage("If `include_top` is True, you should specify a static `input_shape`."
            + " Received: input_shape=(None, None, 3)");
    assertThatThrownBy(() -> Applications.xception().includeTop(false).inputShape(80, 80)
        .build()).hasMessage("`input_shape` must be a tuple of three integers.");
    assertThatThrownBy(() -> Applications.resNet50().includeTop(false).imagenetWeights()
        .inputShape(64, 64, 1).build()).hasMessage("The input must have 3 channels; Received"
            + " `input_shape=(64, 64, 1)`");
    assertThatThrownBy(() -> Applications.mobileNet().imagenetWeights().alpha(0.3).build())
        .hasMessageContaining("alpha can be one of`0.25`, `0.50`, `0.75` or `1.0` only."
            + "  Received alpha=0.3");
    assertThatThrownBy(() -> Applications.mobileNet().imagenetWeights().depthMultiplier(2)
        .build()).hasMessage("If imagenet weights are being loaded, depth multiplier must be"
            + " 1.  Received depth_multiplier=2");
    assertThatThrownBy(() -> Applications.mobileNetV2().imagenetWeights().alpha(0.6).build())
        .hasMessageContaining("alpha must be one of `0.35`, `0.50`, `0.75`, `1.0`, `1.3` or"
            + " `1.4` only; Received `alpha=0.6`");
    assertThatThrownBy(() -> Applications.mobileNetV3Large().imagenetWeights()
        .minimalistic(true).alpha(0.75).build()).hasMessage("If imagenet weights are being"
            + " loaded, alpha can be one of `0.75`, `1.0` for non minimalistic or `1.0` for"
            + " minimalistic only.");
    assertThatThrownBy(() -> Applications.mobileNetV3Small().inputShape(31, 64, 3).build())
        .hasMessage("Input size must be at least 32x32; Received `input_shape=(31, 64, 3)`");
    assertThatThrownBy(() -> Applications.nasNetLarge().includeTop(false).imagenetWeights()
        .inputShape(-1, -1, 3).build()).hasMessage("When specifying the input shape of a"
            + " NASNet and loading `ImageNet` weights, the input_shape argument must be static"
            + " (no None entries). Got: `input_shape=(None, None, 3)`.");
    // Keras would build the unknown-size architecture and fail loading: Jeras says why first
    assertThatThrownBy(() -> Applications.nasNetLarge().includeTop(false).imagenetWeights()
        .build()).hasMessageEndingWith("Got: `input_shape=(None, None, 3)`.");
    assertThatThrownBy(() -> Applications.vgg16().pooling("average"))
        .hasMessageContaining("pooling must be None, \"avg\" or \"max\"");
  }

  @Test
  void weightsMustBeAFileAndPretrainedWeightsTakeSoftmaxOrLogits(@TempDir Path dir)
      throws IOException {
    Path missing = dir.resolve("missing.h5");
    assertThatThrownBy(() -> Applications.vgg16().weights(missing).build())
        .hasMessage("The `weights` argument should be either `None` (random initialization),"
            + " 'imagenet' (pre-training on ImageNet), or the path to the weights file to be"
            + " loaded.  Received: weights=" + missing);
    Path file = Files.createFile(dir.resolve("weights.h5"));
    assertThatThrownBy(() -> Applications.mobileNet().weights(file).inputShape(64, 64, 3)
        .classifierActivation("sigmoid").build()).hasMessage("Only `None` and `softmax`"
            + " activations are allowed for the `classifier_activation` argument when using"
            + " pretrained weights, with `include_top=True`; Received:"
            + " classifier_activation=sigmoid");
    // without weights any activation goes
    try (Model model = Applications.mobileNet().inputShape(64, 64, 3)
        .classifierActivation("sigmoid").build()) {
      assertThat(model.layer("predictions").toString()).contains("Activation");
    }
  }

  @Test
  void missingImagenetWeightsNameTheFileTheFolderAndTheAddress(@TempDir Path home) {
    String previous = System.setProperty(KerasCache.PROPERTY, home.toString());
    try {
      EfficientNet builder = Applications.efficientNetB0().includeTop(false);
      assertThatThrownBy(builder.imagenetWeights()::build)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(builder.imagenetWeightsFile())
          .hasMessageContaining(home.resolve("models").toString())
          .hasMessageContaining(builder.imagenetWeightsUrl())
          .hasMessageContaining("does not download");
      assertThat(builder.imagenetWeightsUrl()).endsWith("/" + builder.imagenetWeightsFile());
      assertThat(KerasCache.modelFolders()).containsExactly(home.resolve("models"));
    } finally {
      if (previous == null) {
        System.clearProperty(KerasCache.PROPERTY);
      } else {
        System.setProperty(KerasCache.PROPERTY, previous);
      }
    }
  }

  @Test
  void efficientNetWithImagenetWeightsRescalesAfterTheNormalization() {
    try (Functional plain = Applications.efficientNetB0().includeTop(false).build();
        Functional imagenet = Applications.efficientNetB0().includeTop(false)
            .imagenetWeights().architecture()) {
      assertThat(imagenet.layers().size()).isEqualTo(plain.layers().size() + 1);
      assertThat(imagenet.layers().get(2).name()).isEqualTo("rescaling_1");
      assertThat(imagenet.countParams()).isEqualTo(plain.countParams());
    }
  }

  @Test
  void preprocessInputFollowsEachFamilysMode() {
    FloatNdArray pixels = Data.floats(new float[] {0, 127.5f, 255, 10, 20, 30}, 1, 1, 2, 3);
    assertThat(Data.toFloatArray(Applications.mobileNet().preprocessInput(pixels)))
        .containsExactly(-1, 0, 1, 10 / 127.5f - 1, 20 / 127.5f - 1, 30 / 127.5f - 1);
    assertThat(Data.toFloatArray(Applications.resNet50().preprocessInput(pixels)))
        .containsExactly(255 - 103.939f, 127.5f - 116.779f, 0 - 123.68f, 30 - 103.939f,
            20 - 116.779f, 10 - 123.68f);
    float[] torch = Data.toFloatArray(Applications.denseNet121().preprocessInput(pixels));
    assertThat(torch[0]).isEqualTo((0 / 255f - 0.485f) / 0.229f);
    assertThat(torch[5]).isEqualTo((30 / 255f - 0.406f) / 0.225f);
    assertThat(Data.toFloatArray(Applications.convNeXtTiny().preprocessInput(pixels)))
        .containsExactly(Data.toFloatArray(pixels));
    // the input is not changed
    assertThat(Data.toFloatArray(pixels)).containsExactly(0, 127.5f, 255, 10, 20, 30);
    assertThat(Applications.resNet50V2().preprocessInput(pixels).getFloat(0, 0, 0, 0))
        .isEqualTo(-1);
  }

  @Test
  void everyKerasNameHasABuilder() {
    assertThat(Applications.names()).hasSize(40).contains("VGG16", "NASNetLarge",
        "EfficientNetV2L", "ConvNeXtXLarge");
    assertThatThrownBy(() -> Applications.of("ResNet18"))
        .hasMessageStartingWith("Unknown application \"ResNet18\"");
  }
}
