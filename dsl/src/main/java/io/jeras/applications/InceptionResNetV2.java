package io.jeras.applications;

import io.jeras.activations.Activations;
import io.jeras.applications.inceptionresnetv2.CustomScaleLayer;
import io.jeras.layers.KerasTensor;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.core.Activation;
import io.jeras.layers.merging.Concatenate;
import io.jeras.layers.normalization.BatchNormalization;
import io.jeras.layers.pooling.AveragePooling2D;
import io.jeras.layers.pooling.GlobalAveragePooling2D;
import io.jeras.layers.pooling.MaxPooling2D;
import io.jeras.models.Functional;
import java.util.ArrayList;
import java.util.List;
import lombok.AccessLevel;

/**
 * Keras' {@code InceptionResNetV2} ({@code keras.applications.inception_resnet_v2}): Inception
 * branches joined by residual connections scaled by {@link CustomScaleLayer} (blocks
 * {@code block35_1} ... {@code block8_10}), layers without a name in Keras named automatically
 * as in a fresh Keras session. Default input 299x299x3, at least 75x75. Preprocessing:
 * {@code tf} ([-1, 1]).
 *
 * <pre>{@code
 * Model model = Applications.inceptionResNetV2().includeTop(false).inputShape(150, 150, 3)
 *     .build();
 * }</pre>
 */
public final class InceptionResNetV2 extends ApplicationBuilder<InceptionResNetV2> {
  private static final String BASE = "https://storage.googleapis.com/tensorflow/"
      + "keras-applications/inception_resnet_v2/";

  @lombok.Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private InceptionResNetV2(Arguments arguments) {
    super(arguments);
  }

  static InceptionResNetV2 of() {
    return new InceptionResNetV2(Arguments.DEFAULTS);
  }

  @Override
  InceptionResNetV2 with(Arguments arguments) {
    return toBuilder().arguments(arguments).build();
  }

  @Override
  Preprocessing preprocessing() {
    return Preprocessing.TF;
  }

  @Override
  public String imagenetWeightsFile() {
    return "inception_resnet_v2_weights_tf_dim_ordering_tf_kernels"
        + (arguments.includeTop() ? "" : "_notop") + ".h5";
  }

  @Override
  public String imagenetWeightsUrl() {
    return BASE + imagenetWeightsFile();
  }

  /** Builds with one name counter, as one Python call of {@code InceptionResNetV2} does. */
  private static final class Builder {
    private final KerasNames names = new KerasNames();

    /**
     * Keras' {@code conv2d_bn}: Conv2D, then (without bias) BatchNormalization without scale,
     * then the activation unless null; named {@code name}, {@code name_bn}, {@code name_ac}.
     */
    KerasTensor conv(KerasTensor x, int filters, int rows, int cols, int strides,
        String padding, Activations activation, boolean useBias, String name) {
      x = names.name(Conv2D.of(filters, rows, cols).strides(strides).padding(padding)
          .useBias(useBias), name).apply(x);
      if (!useBias) {
        x = names.name(BatchNormalization.of().axis(3).scale(false),
            name == null ? null : name + "_bn").apply(x);
      }
      if (activation != null) {
        x = names.name(Activation.of(activation), name == null ? null : name + "_ac").apply(x);
      }
      return x;
    }

    KerasTensor conv(KerasTensor x, int filters, int kernel) {
      return conv(x, filters, kernel, kernel, 1, "same", Activations.RELU, false, null);
    }

    KerasTensor conv(KerasTensor x, int filters, int rows, int cols) {
      return conv(x, filters, rows, cols, 1, "same", Activations.RELU, false, null);
    }

    KerasTensor convValid2(KerasTensor x, int filters, int kernel) {
      return conv(x, filters, kernel, kernel, 2, "valid", Activations.RELU, false, null);
    }

    KerasTensor maxPool(KerasTensor x) {
      return names.auto(MaxPooling2D.of(3).strides(2).padding("valid")).apply(x);
    }

    /** Keras' {@code inception_resnet_block}. */
    KerasTensor block(KerasTensor x, double scale, String type, int index,
        Activations activation) {
      List<KerasTensor> branches = new ArrayList<>();
      switch (type) {
        case "block35" -> {
          branches.add(conv(x, 32, 1));
          KerasTensor branch1 = conv(x, 32, 1);
          branches.add(conv(branch1, 32, 3));
          KerasTensor branch2 = conv(x, 32, 1);
          branch2 = conv(branch2, 48, 3);
          branches.add(conv(branch2, 64, 3));
        }
        case "block17" -> {
          branches.add(conv(x, 192, 1));
          KerasTensor branch1 = conv(x, 128, 1);
          branch1 = conv(branch1, 160, 1, 7);
          branches.add(conv(branch1, 192, 7, 1));
        }
        case "block8" -> {
          branches.add(conv(x, 192, 1));
          KerasTensor branch1 = conv(x, 192, 1);
          branch1 = conv(branch1, 224, 1, 3);
          branches.add(conv(branch1, 256, 3, 1));
        }
        default -> throw new IllegalArgumentException("Unknown Inception-ResNet block type."
            + " Expects \"block35\", \"block17\" or \"block8\", but got: " + type);
      }
      String blockName = type + "_" + index;
      KerasTensor mixed = Concatenate.of(3).name(blockName + "_mixed").apply(branches);
      int channels = (int) x.shape().get(3);
      KerasTensor up = conv(mixed, channels, 1, 1, 1, "same", null, true, blockName + "_conv");
      x = names.auto(CustomScaleLayer.of(scale)).apply(x, up);
      if (activation != null) {
        x = Activation.of(activation).name(blockName + "_ac").apply(x);
      }
      return x;
    }
  }

  @Override
  Functional architecture() {
    long[] shape = obtainInputShape(299, 75);
    Builder b = new Builder();
    KerasTensor input = input(shape);
    // Stem block: 35 x 35 x 192
    KerasTensor x = b.convValid2(input, 32, 3);
    x = b.conv(x, 32, 3, 3, 1, "valid", Activations.RELU, false, null);
    x = b.conv(x, 64, 3);
    x = b.maxPool(x);
    x = b.conv(x, 80, 1, 1, 1, "valid", Activations.RELU, false, null);
    x = b.conv(x, 192, 3, 3, 1, "valid", Activations.RELU, false, null);
    x = b.maxPool(x);
    // Mixed 5b (Inception-A block): 35 x 35 x 320
    KerasTensor branch0 = b.conv(x, 96, 1);
    KerasTensor branch1 = b.conv(x, 48, 1);
    branch1 = b.conv(branch1, 64, 5);
    KerasTensor branch2 = b.conv(x, 64, 1);
    branch2 = b.conv(branch2, 96, 3);
    branch2 = b.conv(branch2, 96, 3);
    KerasTensor branchPool = b.names.auto(AveragePooling2D.of(3).strides(1).padding("same"))
        .apply(x);
    branchPool = b.conv(branchPool, 64, 1);
    x = Concatenate.of(3).name("mixed_5b").apply(branch0, branch1, branch2, branchPool);
    for (int i = 1; i <= 10; i++) {
      x = b.block(x, 0.17, "block35", i, Activations.RELU);
    }
    // Mixed 6a (Reduction-A block): 17 x 17 x 1088
    branch0 = b.convValid2(x, 384, 3);
    branch1 = b.conv(x, 256, 1);
    branch1 = b.conv(branch1, 256, 3);
    branch1 = b.convValid2(branch1, 384, 3);
    branchPool = b.maxPool(x);
    x = Concatenate.of(3).name("mixed_6a").apply(branch0, branch1, branchPool);
    for (int i = 1; i <= 20; i++) {
      x = b.block(x, 0.1, "block17", i, Activations.RELU);
    }
    // Mixed 7a (Reduction-B block): 8 x 8 x 2080
    branch0 = b.conv(x, 256, 1);
    branch0 = b.convValid2(branch0, 384, 3);
    branch1 = b.conv(x, 256, 1);
    branch1 = b.convValid2(branch1, 288, 3);
    branch2 = b.conv(x, 256, 1);
    branch2 = b.conv(branch2, 288, 3);
    branch2 = b.convValid2(branch2, 320, 3);
    branchPool = b.maxPool(x);
    x = Concatenate.of(3).name("mixed_7a").apply(branch0, branch1, branch2, branchPool);
    for (int i = 1; i < 10; i++) {
      x = b.block(x, 0.2, "block8", i, Activations.RELU);
    }
    x = b.block(x, 1.0, "block8", 10, null);
    // Final convolution block: 8 x 8 x 1536
    x = b.conv(x, 1536, 1, 1, 1, "same", Activations.RELU, false, "conv_7b");
    if (arguments.includeTop()) {
      x = GlobalAveragePooling2D.of().name("avg_pool").apply(x);
      x = classifier("predictions").apply(x);
    } else {
      x = poolFeatures(b.names, x, null, null);
    }
    return model(input, x, "inception_resnet_v2");
  }
}
