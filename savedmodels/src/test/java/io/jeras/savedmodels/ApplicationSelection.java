package io.jeras.savedmodels;

import java.util.List;
import java.util.Set;

/**
 * Which {@code keras.applications} architectures the application tests run. By default one
 * architecture of each family (the smallest member, which exercises every layer kind and block
 * of its family) and every architecture this list does not know, so an architecture that a new
 * Keras release adds still shows up as a test. The other members of a family differ only in
 * depth, width or input size; {@code -Djeras.applications=all} (or {@code mvn verify
 * -Pall-applications}) runs them too, {@code -Djeras.applications=VGG16,ResNet50} runs those.
 */
final class ApplicationSelection {
  /** Members of a family whose smallest member runs by default (it is listed in the comment). */
  private static final Set<String> LARGER_MEMBERS = Set.of(
      "ConvNeXtSmall", "ConvNeXtBase", "ConvNeXtLarge", "ConvNeXtXLarge",       // ConvNeXtTiny
      "DenseNet169", "DenseNet201",                                             // DenseNet121
      "EfficientNetB1", "EfficientNetB2", "EfficientNetB3", "EfficientNetB4",   // EfficientNetB0
      "EfficientNetB5", "EfficientNetB6", "EfficientNetB7",
      "EfficientNetV2B1", "EfficientNetV2B2", "EfficientNetV2B3",               // EfficientNetV2B0
      "EfficientNetV2S", "EfficientNetV2M", "EfficientNetV2L",
      "NASNetLarge",                                                            // NASNetMobile
      "ResNet101", "ResNet152",                                                 // ResNet50
      "ResNet101V2", "ResNet152V2",                                             // ResNet50V2
      "VGG19",                                                                  // VGG16
      "MobileNetV3Large",                                                       // MobileNetV3Small
      // Keras 2 only (tf_keras): RegNetX002 / RegNetY002 and ResNetRS50 run by default
      "RegNetX004", "RegNetX006", "RegNetX008", "RegNetX016", "RegNetX032", "RegNetX040",
      "RegNetX064", "RegNetX080", "RegNetX120", "RegNetX160", "RegNetX320",
      "RegNetY004", "RegNetY006", "RegNetY008", "RegNetY016", "RegNetY032", "RegNetY040",
      "RegNetY064", "RegNetY080", "RegNetY120", "RegNetY160", "RegNetY320",
      "ResNetRS101", "ResNetRS152", "ResNetRS200", "ResNetRS270", "ResNetRS350", "ResNetRS420");

  private ApplicationSelection() {}

  /** Whether the architecture {@code name} runs. */
  static boolean selected(String name) {
    String property = System.getProperty("jeras.applications", "").trim();
    if (property.equals("all")) {
      return true;
    }
    if (!property.isEmpty()) {
      return List.of(property.split(",")).contains(name);
    }
    return !LARGER_MEMBERS.contains(name);
  }

  /** Whether {@code name} was asked for by name (not only by the default selection). */
  static boolean named(String name) {
    String property = System.getProperty("jeras.applications", "").trim();
    return property.isEmpty() || property.equals("all") || property.contains(name);
  }
}
