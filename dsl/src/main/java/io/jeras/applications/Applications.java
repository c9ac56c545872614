package io.jeras.applications;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Keras' {@code keras.applications}: one builder per architecture, with Keras' arguments and
 * defaults (except the weights: none unless asked for, since Jeras does not download), Keras'
 * layer names and order, and each family's {@code preprocess_input}.
 *
 * <pre>{@code
 * Model model = Applications.vgg16().includeTop(false).inputShape(150, 150, 3).pooling("avg")
 *     .weights(Path.of("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5")).build();
 * Model small = Applications.mobileNetV2().alpha(0.35).classes(5).build();
 * Model pretrained = Applications.efficientNetB0().imagenetWeights().build();
 * FloatNdArray x = Applications.resNet50().preprocessInput(images);
 * }</pre>
 */
public final class Applications {
  private static final Map<String, Supplier<ApplicationBuilder<?>>> BY_NAME =
      new LinkedHashMap<>();

  static {
    BY_NAME.put("VGG16", Applications::vgg16);
    BY_NAME.put("VGG19", Applications::vgg19);
    BY_NAME.put("ResNet50", Applications::resNet50);
    BY_NAME.put("ResNet101", Applications::resNet101);
    BY_NAME.put("ResNet152", Applications::resNet152);
    BY_NAME.put("ResNet50V2", Applications::resNet50V2);
    BY_NAME.put("ResNet101V2", Applications::resNet101V2);
    BY_NAME.put("ResNet152V2", Applications::resNet152V2);
    BY_NAME.put("InceptionV3", Applications::inceptionV3);
    BY_NAME.put("InceptionResNetV2", Applications::inceptionResNetV2);
    BY_NAME.put("Xception", Applications::xception);
    BY_NAME.put("MobileNet", Applications::mobileNet);
    BY_NAME.put("MobileNetV2", Applications::mobileNetV2);
    BY_NAME.put("MobileNetV3Small", Applications::mobileNetV3Small);
    BY_NAME.put("MobileNetV3Large", Applications::mobileNetV3Large);
    BY_NAME.put("DenseNet121", Applications::denseNet121);
    BY_NAME.put("DenseNet169", Applications::denseNet169);
    BY_NAME.put("DenseNet201", Applications::denseNet201);
    BY_NAME.put("NASNetMobile", Applications::nasNetMobile);
    BY_NAME.put("NASNetLarge", Applications::nasNetLarge);
    for (int i = 0; i <= 7; i++) {
      int variant = i;
      BY_NAME.put("EfficientNetB" + i, () -> EfficientNet.of(variant));
    }
    for (EfficientNetV2.Variant variant : EfficientNetV2.Variant.values()) {
      BY_NAME.put("EfficientNetV2" + variant.name(), () -> EfficientNetV2.of(variant));
    }
    BY_NAME.put("ConvNeXtTiny", Applications::convNeXtTiny);
    BY_NAME.put("ConvNeXtSmall", Applications::convNeXtSmall);
    BY_NAME.put("ConvNeXtBase", Applications::convNeXtBase);
    BY_NAME.put("ConvNeXtLarge", Applications::convNeXtLarge);
    BY_NAME.put("ConvNeXtXLarge", Applications::convNeXtXLarge);
  }

  private Applications() {}

  /**
   * The builder of the architecture Keras exports as {@code keras.applications.<name>}
   * ({@code "ResNet50"}, {@code "EfficientNetV2S"}, ...).
   */
  public static ApplicationBuilder<?> of(String name) {
    Supplier<ApplicationBuilder<?>> builder = BY_NAME.get(name);
    if (builder == null) {
      throw new IllegalArgumentException("Unknown application \"" + name + "\"; expected one of "
          + names());
    }
    return builder.get();
  }

  /** Keras' names of the architectures, as {@link #of(String)} takes them. */
  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /** Keras' {@code VGG16}: 224x224 by default; preprocessing {@code caffe}. */
  public static Vgg vgg16() {
    return Vgg.of(16);
  }

  /** Keras' {@code VGG19}: 224x224 by default; preprocessing {@code caffe}. */
  public static Vgg vgg19() {
    return Vgg.of(19);
  }

  /** Keras' {@code ResNet50}: 224x224 by default; preprocessing {@code caffe}. */
  public static ResNet resNet50() {
    return ResNet.of(ResNet.Variant.RESNET50);
  }

  /** Keras' {@code ResNet101}: 224x224 by default; preprocessing {@code caffe}. */
  public static ResNet resNet101() {
    return ResNet.of(ResNet.Variant.RESNET101);
  }

  /** Keras' {@code ResNet152}: 224x224 by default; preprocessing {@code caffe}. */
  public static ResNet resNet152() {
    return ResNet.of(ResNet.Variant.RESNET152);
  }

  /** Keras' {@code ResNet50V2}: 224x224 by default; preprocessing {@code tf}. */
  public static ResNet resNet50V2() {
    return ResNet.of(ResNet.Variant.RESNET50V2);
  }

  /** Keras' {@code ResNet101V2}: 224x224 by default; preprocessing {@code tf}. */
  public static ResNet resNet101V2() {
    return ResNet.of(ResNet.Variant.RESNET101V2);
  }

  /** Keras' {@code ResNet152V2}: 224x224 by default; preprocessing {@code tf}. */
  public static ResNet resNet152V2() {
    return ResNet.of(ResNet.Variant.RESNET152V2);
  }

  /** Keras' {@code InceptionV3}: 299x299 by default, at least 75x75; preprocessing {@code tf}. */
  public static InceptionV3 inceptionV3() {
    return InceptionV3.of();
  }

  /**
   * Keras' {@code InceptionResNetV2}: 299x299 by default, at least 75x75; preprocessing
   * {@code tf}.
   */
  public static InceptionResNetV2 inceptionResNetV2() {
    return InceptionResNetV2.of();
  }

  /** Keras' {@code Xception}: 299x299 by default, at least 71x71; preprocessing {@code tf}. */
  public static Xception xception() {
    return Xception.of();
  }

  /** Keras' {@code MobileNet}: 224x224 by default; preprocessing {@code tf}. */
  public static MobileNet mobileNet() {
    return MobileNet.of();
  }

  /** Keras' {@code MobileNetV2}: 224x224 by default; preprocessing {@code tf}. */
  public static MobileNetV2 mobileNetV2() {
    return MobileNetV2.of();
  }

  /** Keras' {@code MobileNetV3Small}: any size of at least 32x32; preprocessing inside. */
  public static MobileNetV3 mobileNetV3Small() {
    return MobileNetV3.of(false);
  }

  /** Keras' {@code MobileNetV3Large}: any size of at least 32x32; preprocessing inside. */
  public static MobileNetV3 mobileNetV3Large() {
    return MobileNetV3.of(true);
  }

  /** Keras' {@code DenseNet121}: 224x224 by default; preprocessing {@code torch}. */
  public static DenseNet denseNet121() {
    return DenseNet.of(121);
  }

  /** Keras' {@code DenseNet169}: 224x224 by default; preprocessing {@code torch}. */
  public static DenseNet denseNet169() {
    return DenseNet.of(169);
  }

  /** Keras' {@code DenseNet201}: 224x224 by default; preprocessing {@code torch}. */
  public static DenseNet denseNet201() {
    return DenseNet.of(201);
  }

  /** Keras' {@code NASNetMobile}: 224x224 by default; preprocessing {@code tf}. */
  public static NasNet nasNetMobile() {
    return NasNet.of(false);
  }

  /** Keras' {@code NASNetLarge}: 331x331 by default; preprocessing {@code tf}. */
  public static NasNet nasNetLarge() {
    return NasNet.of(true);
  }

  /** Keras' {@code EfficientNetB0}: 224x224 by default; preprocessing inside. */
  public static EfficientNet efficientNetB0() {
    return EfficientNet.of(0);
  }

  /** Keras' {@code EfficientNetB1}: 240x240 by default; preprocessing inside. */
  public static EfficientNet efficientNetB1() {
    return EfficientNet.of(1);
  }

  /** Keras' {@code EfficientNetB2}: 260x260 by default; preprocessing inside. */
  public static EfficientNet efficientNetB2() {
    return EfficientNet.of(2);
  }

  /** Keras' {@code EfficientNetB3}: 300x300 by default; preprocessing inside. */
  public static EfficientNet efficientNetB3() {
    return EfficientNet.of(3);
  }

  /** Keras' {@code EfficientNetB4}: 380x380 by default; preprocessing inside. */
  public static EfficientNet efficientNetB4() {
    return EfficientNet.of(4);
  }

  /** Keras' {@code EfficientNetB5}: 456x456 by default; preprocessing inside. */
  public static EfficientNet efficientNetB5() {
    return EfficientNet.of(5);
  }

  /** Keras' {@code EfficientNetB6}: 528x528 by default; preprocessing inside. */
  public static EfficientNet efficientNetB6() {
    return EfficientNet.of(6);
  }

  /** Keras' {@code EfficientNetB7}: 600x600 by default; preprocessing inside. */
  public static EfficientNet efficientNetB7() {
    return EfficientNet.of(7);
  }

  /** Keras' {@code EfficientNetV2B0}: 224x224 by default; preprocessing inside. */
  public static EfficientNetV2 efficientNetV2B0() {
    return EfficientNetV2.of(EfficientNetV2.Variant.B0);
  }

  /** Keras' {@code EfficientNetV2B1}: 240x240 by default; preprocessing inside. */
  public static EfficientNetV2 efficientNetV2B1() {
    return EfficientNetV2.of(EfficientNetV2.Variant.B1);
  }

  /** Keras' {@code EfficientNetV2B2}: 260x260 by default; preprocessing inside. */
  public static EfficientNetV2 efficientNetV2B2() {
    return EfficientNetV2.of(EfficientNetV2.Variant.B2);
  }

  /** Keras' {@code EfficientNetV2B3}: 300x300 by default; preprocessing inside. */
  public static EfficientNetV2 efficientNetV2B3() {
    return EfficientNetV2.of(EfficientNetV2.Variant.B3);
  }

  /** Keras' {@code EfficientNetV2S}: 384x384 by default; preprocessing inside. */
  public static EfficientNetV2 efficientNetV2S() {
    return EfficientNetV2.of(EfficientNetV2.Variant.S);
  }

  /** Keras' {@code EfficientNetV2M}: 480x480 by default; preprocessing inside. */
  public static EfficientNetV2 efficientNetV2M() {
    return EfficientNetV2.of(EfficientNetV2.Variant.M);
  }

  /** Keras' {@code EfficientNetV2L}: 480x480 by default; preprocessing inside. */
  public static EfficientNetV2 efficientNetV2L() {
    return EfficientNetV2.of(EfficientNetV2.Variant.L);
  }

  /** Keras' {@code ConvNeXtTiny}: 224x224 by default; preprocessing inside. */
  public static ConvNeXt convNeXtTiny() {
    return ConvNeXt.of(ConvNeXt.Variant.TINY);
  }

  /** Keras' {@code ConvNeXtSmall}: 224x224 by default; preprocessing inside. */
  public static ConvNeXt convNeXtSmall() {
    return ConvNeXt.of(ConvNeXt.Variant.SMALL);
  }

  /** Keras' {@code ConvNeXtBase}: 224x224 by default; preprocessing inside. */
  public static ConvNeXt convNeXtBase() {
    return ConvNeXt.of(ConvNeXt.Variant.BASE);
  }

  /** Keras' {@code ConvNeXtLarge}: 224x224 by default; preprocessing inside. */
  public static ConvNeXt convNeXtLarge() {
    return ConvNeXt.of(ConvNeXt.Variant.LARGE);
  }

  /** Keras' {@code ConvNeXtXLarge}: 224x224 by default; preprocessing inside. */
  public static ConvNeXt convNeXtXLarge() {
    return ConvNeXt.of(ConvNeXt.Variant.XLARGE);
  }
}
