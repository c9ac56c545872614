package io.jeras.applications;

import io.jeras.activations.Activations;
import io.jeras.layers.KerasTensor;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.core.Activation;
import io.jeras.layers.merging.Concatenate;
import io.jeras.layers.normalization.BatchNormalization;
import io.jeras.layers.pooling.AveragePooling2D;
import io.jeras.layers.pooling.GlobalAveragePooling2D;
import io.jeras.layers.pooling.MaxPooling2D;
import io.jeras.models.Functional;
import java.util.List;
import lombok.AccessLevel;

/**
 * Keras' {@code InceptionV3} ({@code keras.applications.inception_v3}): a stem of
 * convolutions and the Inception modules {@code mixed0} ... {@code mixed10}, each a
 * concatenation of parallel branches of Conv2D (no bias) + BatchNormalization (no scale) +
 * ReLU, named automatically as in a fresh Keras session ({@code conv2d}, {@code conv2d_1}, ...).
 * Default input 299x299x3, at least 75x75. Preprocessing: {@code tf} ([-1, 1]).
 *
 * <pre>{@code
 * Model model = Applications.inceptionV3().includeTop(false).pooling("avg").build();
 * }</pre>
 */
public final class InceptionV3 extends ApplicationBuilder<InceptionV3> {
  private static final String BASE = "https://storage.googleapis.com/tensorflow/"
      + "keras-applications/inception_v3/";

  @lombok.Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private InceptionV3(Arguments arguments) {
    super(arguments);
  }

  static InceptionV3 of() {
    return new InceptionV3(Arguments.DEFAULTS);
  }

  @Override
  InceptionV3 with(Arguments arguments) {
    return toBuilder().arguments(arguments).build();
  }

  @Override
  Preprocessing preprocessing() {
    return Preprocessing.TF;
  }

  @Override
  public String imagenetWeightsFile() {
    return "inception_v3_weights_tf_dim_ordering_tf_kernels"
        + (arguments.includeTop() ? "" : "_notop") + ".h5";
  }

  @Override
  public String imagenetWeightsUrl() {
    return BASE + imagenetWeightsFile();
  }

  /** Builds with one name counter, as one Python call of {@code InceptionV3} does. */
  private static final class Builder {
    private final KerasNames names = new KerasNames();

    /** Keras' {@code conv2d_bn}: Conv2D (no bias), BatchNormalization (no scale), ReLU. */
    KerasTensor conv(KerasTensor x, int filters, int rows, int cols, String padding,
        int strides) {
      x = names.auto(Conv2D.of(filters, rows, cols).strides(strides).padding(padding)
          .useBias(false)).apply(x);
      x = names.auto(BatchNormalization.of().axis(3).scale(false)).apply(x);
      return names.auto(Activation.of(Activations.RELU)).apply(x);
    }

    KerasTensor conv(KerasTensor x, int filters, int rows, int cols) {
      return conv(x, filters, rows, cols, "same", 1);
    }

    KerasTensor avgPool(KerasTensor x) {
      return names.auto(AveragePooling2D.of(3).strides(1).padding("same")).apply(x);
    }

    KerasTensor maxPool(KerasTensor x) {
      return names.auto(MaxPooling2D.of(3).strides(2)).apply(x);
    }

    KerasTensor concat(String name, KerasTensor... branches) {
      return names.name(Concatenate.of(3), name).apply(List.of(branches));
    }
  }

  @Override
  Functional architecture() {
    long[] shape = obtainInputShape(299, 75);
    Builder b = new Builder();
    KerasTensor input = input(shape);
    KerasTensor x = b.conv(input, 32, 3, 3, "valid", 2);
    x = b.conv(x, 32, 3, 3, "valid", 1);
    x = b.conv(x, 64, 3, 3);
    x = b.maxPool(x);
    x = b.conv(x, 80, 1, 1, "valid", 1);
    x = b.conv(x, 192, 3, 3, "valid", 1);
    x = b.maxPool(x);
    // mixed 0, 1, 2: 35 x 35 x 256 / 288 / 288
    for (int i = 0; i < 3; i++) {
      KerasTensor branch1x1 = b.conv(x, 64, 1, 1);
      KerasTensor branch5x5 = b.conv(x, 48, 1, 1);
      branch5x5 = b.conv(branch5x5, 64, 5, 5);
      KerasTensor branch3x3dbl = b.conv(x, 64, 1, 1);
      branch3x3dbl = b.conv(branch3x3dbl, 96, 3, 3);
      branch3x3dbl = b.conv(branch3x3dbl, 96, 3, 3);
      KerasTensor branchPool = b.avgPool(x);
      branchPool = b.conv(branchPool, i == 0 ? 32 : 64, 1, 1);
      x = b.concat("mixed" + i, branch1x1, branch5x5, branch3x3dbl, branchPool);
    }
    // mixed 3: 17 x 17 x 768
    KerasTensor branch3x3 = b.conv(x, 384, 3, 3, "valid", 2);
    KerasTensor branch3x3dbl = b.conv(x, 64, 1, 1);
    branch3x3dbl = b.conv(branch3x3dbl, 96, 3, 3);
    branch3x3dbl = b.conv(branch3x3dbl, 96, 3, 3, "valid", 2);
    KerasTensor branchPool = b.maxPool(x);
    x = b.concat("mixed3", branch3x3, branch3x3dbl, branchPool);
    // mixed 4, 5, 6, 7: 17 x 17 x 768
    int[] widths = {128, 160, 160, 192};
    for (int i = 0; i < 4; i++) {
      int c = widths[i];
      KerasTensor branch1x1 = b.conv(x, 192, 1, 1);
      KerasTensor branch7x7 = b.conv(x, c, 1, 1);
      branch7x7 = b.conv(branch7x7, c, 1, 7);
      branch7x7 = b.conv(branch7x7, 192, 7, 1);
      KerasTensor branch7x7dbl = b.conv(x, c, 1, 1);
      branch7x7dbl = b.conv(branch7x7dbl, c, 7, 1);
      branch7x7dbl = b.conv(branch7x7dbl, c, 1, 7);
      branch7x7dbl = b.conv(branch7x7dbl, c, 7, 1);
      branch7x7dbl = b.conv(branch7x7dbl, 192, 1, 7);
      branchPool = b.avgPool(x);
      branchPool = b.conv(branchPool, 192, 1, 1);
      x = b.concat("mixed" + (4 + i), branch1x1, branch7x7, branch7x7dbl, branchPool);
    }
    // mixed 8: 8 x 8 x 1280
    branch3x3 = b.conv(x, 192, 1, 1);
    branch3x3 = b.conv(branch3x3, 320, 3, 3, "valid", 2);
    KerasTensor branch7x7x3 = b.conv(x, 192, 1, 1);
    branch7x7x3 = b.conv(branch7x7x3, 192, 1, 7);
    branch7x7x3 = b.conv(branch7x7x3, 192, 7, 1);
    branch7x7x3 = b.conv(branch7x7x3, 192, 3, 3, "valid", 2);
    branchPool = b.maxPool(x);
    x = b.concat("mixed8", branch3x3, branch7x7x3, branchPool);
    // mixed 9, 10: 8 x 8 x 2048
    for (int i = 0; i < 2; i++) {
      KerasTensor branch1x1 = b.conv(x, 320, 1, 1);
      branch3x3 = b.conv(x, 384, 1, 1);
      KerasTensor branch3x3a = b.conv(branch3x3, 384, 1, 3);
      KerasTensor branch3x3b = b.conv(branch3x3, 384, 3, 1);
      branch3x3 = b.concat("mixed9_" + i, branch3x3a, branch3x3b);
      branch3x3dbl = b.conv(x, 448, 1, 1);
      branch3x3dbl = b.conv(branch3x3dbl, 384, 3, 3);
      KerasTensor branch3x3dblA = b.conv(branch3x3dbl, 384, 1, 3);
      KerasTensor branch3x3dblB = b.conv(branch3x3dbl, 384, 3, 1);
      branch3x3dbl = b.concat(null, branch3x3dblA, branch3x3dblB);
      branchPool = b.avgPool(x);
      branchPool = b.conv(branchPool, 192, 1, 1);
      x = b.concat("mixed" + (9 + i), branch1x1, branch3x3, branch3x3dbl, branchPool);
    }
    if (arguments.includeTop()) {
      x = GlobalAveragePooling2D.of().name("avg_pool").apply(x);
      x = classifier("predictions").apply(x);
    } else {
      x = poolFeatures(b.names, x, null, null);
    }
    return model(input, x, "inception_v3");
  }
}
