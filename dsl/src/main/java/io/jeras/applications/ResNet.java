package io.jeras.applications;

import io.jeras.activations.Activations;
import io.jeras.layers.KerasTensor;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.core.Activation;
import io.jeras.layers.merging.Add;
import io.jeras.layers.normalization.BatchNormalization;
import io.jeras.layers.pooling.GlobalAveragePooling2D;
import io.jeras.layers.pooling.MaxPooling2D;
import io.jeras.layers.reshaping.Margins;
import io.jeras.layers.reshaping.ZeroPadding2D;
import io.jeras.models.Functional;
import lombok.AccessLevel;
import lombok.Builder;

/**
 * Keras' {@code ResNet50}, {@code ResNet101}, {@code ResNet152} ({@code
 * keras.applications.resnet}: bottleneck blocks, batch normalization after each convolution) and
 * {@code ResNet50V2}, {@code ResNet101V2}, {@code ResNet152V2} ({@code
 * keras.applications.resnet_v2}: pre-activation blocks). Layers named as Keras names them
 * ({@code conv1_conv}, {@code conv2_block1_1_conv}, ..., {@code predictions}). Default input
 * 224x224x3, at least 32x32. Preprocessing: {@code caffe} for V1, {@code tf} ([-1, 1]) for V2.
 *
 * <pre>{@code
 * Model model = Applications.resNet50().imagenetWeights().build();
 * }</pre>
 */
public final class ResNet extends ApplicationBuilder<ResNet> {
  private static final String BASE = "https://storage.googleapis.com/tensorflow/"
      + "keras-applications/resnet/";

  /** The six variants: blocks per stage and whether the blocks are pre-activation (V2). */
  enum Variant {
    RESNET50("resnet50", false, 3, 4, 6, 3),
    RESNET101("resnet101", false, 3, 4, 23, 3),
    RESNET152("resnet152", false, 3, 8, 36, 3),
    RESNET50V2("resnet50v2", true, 3, 4, 6, 3),
    RESNET101V2("resnet101v2", true, 3, 4, 23, 3),
    RESNET152V2("resnet152v2", true, 3, 8, 36, 3);

    final String kerasName;
    final boolean v2;
    final int[] blocks;

    Variant(String kerasName, boolean v2, int... blocks) {
      this.kerasName = kerasName;
      this.v2 = v2;
      this.blocks = blocks;
    }
  }

  private final Variant variant;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private ResNet(Arguments arguments, Variant variant) {
    super(arguments);
    this.variant = variant;
  }

  static ResNet of(Variant variant) {
    return new ResNet(Arguments.DEFAULTS, variant);
  }

  /** Keras' name of this variant ({@code resnet50}, {@code resnet101v2}, ...). */
  public String variant() {
    return variant.kerasName;
  }

  @Override
  ResNet with(Arguments arguments) {
    return toBuilder().arguments(arguments).build();
  }

  @Override
  Preprocessing preprocessing() {
    return variant.v2 ? Preprocessing.TF : Preprocessing.CAFFE;
  }

  @Override
  public String imagenetWeightsFile() {
    return variant.kerasName + "_weights_tf_dim_ordering_tf_kernels"
        + (arguments.includeTop() ? "" : "_notop") + ".h5";
  }

  @Override
  public String imagenetWeightsUrl() {
    return BASE + imagenetWeightsFile();
  }

  @Override
  Functional architecture() {
    long[] shape = obtainInputShape(224, 32);
    KerasNames names = new KerasNames();
    KerasTensor input = input(shape);
    boolean preact = variant.v2;
    KerasTensor x = ZeroPadding2D.of(Margins.of(3)).name("conv1_pad").apply(input);
    x = Conv2D.of(64, 7).strides(2).useBias(true).name("conv1_conv").apply(x);
    if (!preact) {
      x = bn("conv1_bn").apply(x);
      x = relu("conv1_relu").apply(x);
    }
    x = ZeroPadding2D.of(Margins.of(1)).name("pool1_pad").apply(x);
    x = MaxPooling2D.of(3).strides(2).name("pool1_pool").apply(x);
    int[] filters = {64, 128, 256, 512};
    for (int stage = 0; stage < 4; stage++) {
      String name = "conv" + (stage + 2);
      if (preact) {
        x = stackV2(names, x, filters[stage], variant.blocks[stage], stage == 3 ? 1 : 2, name);
      } else {
        x = stackV1(x, filters[stage], variant.blocks[stage], stage == 0 ? 1 : 2, name);
      }
    }
    if (preact) {
      x = bn("post_bn").apply(x);
      x = relu("post_relu").apply(x);
    }
    if (arguments.includeTop()) {
      x = GlobalAveragePooling2D.of().name("avg_pool").apply(x);
      x = classifier("predictions").apply(x);
    } else {
      x = poolFeatures(names, x, "avg_pool", "max_pool");
    }
    return model(input, x, variant.kerasName);
  }

  private static BatchNormalization bn(String name) {
    return BatchNormalization.of().axis(3).epsilon(1.001e-5).name(name);
  }

  private static Activation relu(String name) {
    return Activation.of(Activations.RELU).name(name);
  }

  /** Keras' {@code residual_block_v1}. */
  private static KerasTensor blockV1(KerasTensor x, int filters, int stride,
      boolean convShortcut, String name) {
    KerasTensor shortcut;
    if (convShortcut) {
      shortcut = Conv2D.of(4 * filters, 1).strides(stride).name(name + "_0_conv").apply(x);
      shortcut = bn(name + "_0_bn").apply(shortcut);
    } else {
      shortcut = x;
    }
    x = Conv2D.of(filters, 1).strides(stride).name(name + "_1_conv").apply(x);
    x = bn(name + "_1_bn").apply(x);
    x = relu(name + "_1_relu").apply(x);
    x = Conv2D.of(filters, 3).padding("same").name(name + "_2_conv").apply(x);
    x = bn(name + "_2_bn").apply(x);
    x = relu(name + "_2_relu").apply(x);
    x = Conv2D.of(4 * filters, 1).name(name + "_3_conv").apply(x);
    x = bn(name + "_3_bn").apply(x);
    x = Add.of().name(name + "_add").apply(shortcut, x);
    return relu(name + "_out").apply(x);
  }

  /** Keras' {@code stack_residual_blocks_v1}. */
  private static KerasTensor stackV1(KerasTensor x, int filters, int blocks, int stride1,
      String name) {
    x = blockV1(x, filters, stride1, true, name + "_block1");
    for (int i = 2; i <= blocks; i++) {
      x = blockV1(x, filters, 1, false, name + "_block" + i);
    }
    return x;
  }

  /** Keras' {@code residual_block_v2}. */
  private static KerasTensor blockV2(KerasNames names, KerasTensor x, int filters, int stride,
      boolean convShortcut, String name) {
    KerasTensor preact = bn(name + "_preact_bn").apply(x);
    preact = relu(name + "_preact_relu").apply(preact);
    KerasTensor shortcut;
    if (convShortcut) {
      shortcut = Conv2D.of(4 * filters, 1).strides(stride).name(name + "_0_conv").apply(preact);
    } else {
      shortcut = stride > 1 ? names.auto(MaxPooling2D.of(1).strides(stride)).apply(x) : x;
    }
    x = Conv2D.of(filters, 1).strides(1).useBias(false).name(name + "_1_conv").apply(preact);
    x = bn(name + "_1_bn").apply(x);
    x = relu(name + "_1_relu").apply(x);
    x = ZeroPadding2D.of(Margins.of(1)).name(name + "_2_pad").apply(x);
    x = Conv2D.of(filters, 3).strides(stride).useBias(false).name(name + "_2_conv").apply(x);
    x = bn(name + "_2_bn").apply(x);
    x = relu(name + "_2_relu").apply(x);
    x = Conv2D.of(4 * filters, 1).name(name + "_3_conv").apply(x);
    return Add.of().name(name + "_out").apply(shortcut, x);
  }

  /** Keras' {@code stack_residual_blocks_v2}. */
  private static KerasTensor stackV2(KerasNames names, KerasTensor x, int filters, int blocks,
      int stride1, String name) {
    x = blockV2(names, x, filters, 1, true, name + "_block1");
    for (int i = 2; i < blocks; i++) {
      x = blockV2(names, x, filters, 1, false, name + "_block" + i);
    }
    return blockV2(names, x, filters, stride1, false, name + "_block" + blocks);
  }
}
