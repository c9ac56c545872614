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
import io.jeras.layers.reshaping.Margins;
import io.jeras.layers.reshaping.ZeroPadding2D;
import io.jeras.models.Functional;
import lombok.AccessLevel;
import lombok.Builder;

/**
 * Keras' {@code DenseNet121}, {@code DenseNet169} and {@code DenseNet201} ({@code
 * keras.applications.densenet}): dense blocks whose layers each concatenate 32 new channels to
 * their input ({@code conv2_block1_concat}, ...), joined by transition blocks halving the
 * channels and the size ({@code pool2}, {@code pool3}, {@code pool4}). Default input 224x224x3,
 * at least 32x32. Preprocessing: {@code torch} (to [0, 1], then ImageNet mean and std).
 *
 * <pre>{@code
 * Model model = Applications.denseNet121().includeTop(false).pooling("avg").build();
 * }</pre>
 */
public final class DenseNet extends ApplicationBuilder<DenseNet> {
  private static final String BASE = "https://storage.googleapis.com/tensorflow/"
      + "keras-applications/densenet/";
  private final int depth;
  private final int[] blocks;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private DenseNet(Arguments arguments, int depth) {
    super(arguments);
    this.depth = depth;
    this.blocks = switch (depth) {
      case 121 -> new int[] {6, 12, 24, 16};
      case 169 -> new int[] {6, 12, 32, 32};
      case 201 -> new int[] {6, 12, 48, 32};
      default -> throw new IllegalArgumentException("weights_path undefined");
    };
  }

  /** DenseNet121, DenseNet169 or DenseNet201. */
  static DenseNet of(int depth) {
    return new DenseNet(Arguments.DEFAULTS, depth);
  }

  /** 121, 169 or 201. */
  public int depth() {
    return depth;
  }

  @Override
  DenseNet with(Arguments arguments) {
    return toBuilder().arguments(arguments).build();
  }

  @Override
  Preprocessing preprocessing() {
    return Preprocessing.TORCH;
  }

  @Override
  public String imagenetWeightsFile() {
    return "densenet" + depth + "_weights_tf_dim_ordering_tf_kernels"
        + (arguments.includeTop() ? "" : "_notop") + ".h5";
  }

  @Override
  public String imagenetWeightsUrl() {
    return BASE + imagenetWeightsFile();
  }

  private static BatchNormalization bn(String name) {
    return BatchNormalization.of().axis(3).epsilon(1.001e-5).name(name);
  }

  private static Activation relu(String name) {
    return Activation.of(Activations.RELU).name(name);
  }

  @Override
  Functional architecture() {
    long[] shape = obtainInputShape(224, 32);
    KerasNames names = new KerasNames();
    KerasTensor input = input(shape);
    KerasTensor x = names.auto(ZeroPadding2D.of(Margins.of(3))).apply(input);
    x = Conv2D.of(64, 7).strides(2).useBias(false).name("conv1_conv").apply(x);
    x = bn("conv1_bn").apply(x);
    x = relu("conv1_relu").apply(x);
    x = names.auto(ZeroPadding2D.of(Margins.of(1))).apply(x);
    x = MaxPooling2D.of(3).strides(2).name("pool1").apply(x);
    for (int stage = 0; stage < 4; stage++) {
      x = denseBlock(x, blocks[stage], "conv" + (stage + 2));
      if (stage < 3) {
        x = transitionBlock(x, 0.5, "pool" + (stage + 2));
      }
    }
    x = bn("bn").apply(x);
    x = relu("relu").apply(x);
    if (arguments.includeTop()) {
      x = GlobalAveragePooling2D.of().name("avg_pool").apply(x);
      x = classifier("predictions").apply(x);
    } else {
      x = poolFeatures(names, x, "avg_pool", "max_pool");
    }
    return model(input, x, "densenet" + depth);
  }

  /** Keras' {@code dense_block}. */
  private static KerasTensor denseBlock(KerasTensor x, int blocks, String name) {
    for (int i = 0; i < blocks; i++) {
      x = convBlock(x, 32, name + "_block" + (i + 1));
    }
    return x;
  }

  /** Keras' {@code transition_block}. */
  private static KerasTensor transitionBlock(KerasTensor x, double reduction, String name) {
    x = bn(name + "_bn").apply(x);
    x = relu(name + "_relu").apply(x);
    x = Conv2D.of((int) (x.shape().get(3) * reduction), 1).useBias(false).name(name + "_conv")
        .apply(x);
    return AveragePooling2D.of(2).strides(2).name(name + "_pool").apply(x);
  }

  /** Keras' {@code conv_block}. */
  private static KerasTensor convBlock(KerasTensor x, int growthRate, String name) {
    KerasTensor x1 = bn(name + "_0_bn").apply(x);
    x1 = relu(name + "_0_relu").apply(x1);
    x1 = Conv2D.of(4 * growthRate, 1).useBias(false).name(name + "_1_conv").apply(x1);
    x1 = bn(name + "_1_bn").apply(x1);
    x1 = relu(name + "_1_relu").apply(x1);
    x1 = Conv2D.of(growthRate, 3).padding("same").useBias(false).name(name + "_2_conv")
        .apply(x1);
    return Concatenate.of(3).name(name + "_concat").apply(x, x1);
  }
}
