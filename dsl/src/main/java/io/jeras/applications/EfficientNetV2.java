package io.jeras.applications;

import io.jeras.activations.Activations;
import io.jeras.layers.KerasTensor;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.convolutional.DepthwiseConv2D;
import io.jeras.layers.core.Activation;
import io.jeras.layers.merging.Add;
import io.jeras.layers.merging.Multiply;
import io.jeras.layers.normalization.BatchNormalization;
import io.jeras.layers.pooling.GlobalAveragePooling2D;
import io.jeras.layers.preprocessing.Normalization;
import io.jeras.layers.preprocessing.Rescaling;
import io.jeras.layers.regularization.Dropout;
import io.jeras.layers.reshaping.Reshape;
import io.jeras.models.Functional;
import lombok.AccessLevel;
import lombok.Builder;

/**
 * Keras' {@code EfficientNetV2B0} ... {@code B3}, {@code EfficientNetV2S}, {@code M} and
 * {@code L} ({@code keras.applications.efficientnet_v2}): fused and plain mobile inverted
 * bottleneck blocks ({@code block1a_} ...), and the preprocessing inside the model unless
 * {@link #includePreprocessing(boolean) includePreprocessing(false)}: for B0-B3 with 3 channels
 * {@code Rescaling(1/255)} and a {@code Normalization} with ImageNet's mean and variance, for
 * S, M and L {@code Rescaling(1/128, -1)}; {@link #preprocessInput} is the identity. At least
 * 32x32.
 *
 * <pre>{@code
 * Model model = Applications.efficientNetV2B0().includeTop(false).pooling("avg").build();
 * }</pre>
 */
public final class EfficientNetV2 extends ApplicationBuilder<EfficientNetV2> {
  private static final String BASE = "https://storage.googleapis.com/tensorflow/"
      + "keras-applications/efficientnet_v2/";
  private static final double DROP_CONNECT_RATE = 0.2;
  private static final double BN_MOMENTUM = 0.9;
  private static final int DEPTH_DIVISOR = 8;
  private static final int MIN_DEPTH = 8;

  /**
   * Keras' {@code DEFAULT_BLOCKS_ARGS} rows: kernel size, repeats, input filters, output
   * filters, expand ratio, se ratio, strides, conv type (0 MBConv, 1 FusedMBConv).
   */
  private static final double[][] B_BLOCKS = {{3, 1, 32, 16, 1, 0, 1, 1},
      {3, 2, 16, 32, 4, 0, 2, 1}, {3, 2, 32, 48, 4, 0, 2, 1}, {3, 3, 48, 96, 4, 0.25, 2, 0},
      {3, 5, 96, 112, 6, 0.25, 1, 0}, {3, 8, 112, 192, 6, 0.25, 2, 0}};
  private static final double[][] S_BLOCKS = {{3, 2, 24, 24, 1, 0, 1, 1},
      {3, 4, 24, 48, 4, 0, 2, 1}, {3, 4, 48, 64, 4, 0, 2, 1}, {3, 6, 64, 128, 4, 0.25, 2, 0},
      {3, 9, 128, 160, 6, 0.25, 1, 0}, {3, 15, 160, 256, 6, 0.25, 2, 0}};
  private static final double[][] M_BLOCKS = {{3, 3, 24, 24, 1, 0, 1, 1},
      {3, 5, 24, 48, 4, 0, 2, 1}, {3, 5, 48, 80, 4, 0, 2, 1}, {3, 7, 80, 160, 4, 0.25, 2, 0},
      {3, 14, 160, 176, 6, 0.25, 1, 0}, {3, 18, 176, 304, 6, 0.25, 2, 0},
      {3, 5, 304, 512, 6, 0.25, 1, 0}};
  private static final double[][] L_BLOCKS = {{3, 4, 32, 32, 1, 0, 1, 1},
      {3, 7, 32, 64, 4, 0, 2, 1}, {3, 7, 64, 96, 4, 0, 2, 1}, {3, 10, 96, 192, 4, 0.25, 2, 0},
      {3, 19, 192, 224, 6, 0.25, 1, 0}, {3, 25, 224, 384, 6, 0.25, 2, 0},
      {3, 7, 384, 640, 6, 0.25, 1, 0}};

  /** The seven variants: Keras' name, width and depth coefficients, default size, blocks. */
  enum Variant {
    B0("efficientnetv2-b0", 1.0, 1.0, 224, B_BLOCKS),
    B1("efficientnetv2-b1", 1.0, 1.1, 240, B_BLOCKS),
    B2("efficientnetv2-b2", 1.1, 1.2, 260, B_BLOCKS),
    B3("efficientnetv2-b3", 1.2, 1.4, 300, B_BLOCKS),
    S("efficientnetv2-s", 1.0, 1.0, 384, S_BLOCKS),
    M("efficientnetv2-m", 1.0, 1.0, 480, M_BLOCKS),
    L("efficientnetv2-l", 1.0, 1.0, 480, L_BLOCKS);

    final String kerasName;
    final double width;
    final double depth;
    final int defaultSize;
    final double[][] blocks;

    Variant(String kerasName, double width, double depth, int defaultSize, double[][] blocks) {
      this.kerasName = kerasName;
      this.width = width;
      this.depth = depth;
      this.defaultSize = defaultSize;
      this.blocks = blocks;
    }
  }

  private final Variant variant;
  private final boolean includePreprocessing;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private EfficientNetV2(Arguments arguments, Variant variant, boolean includePreprocessing) {
    super(arguments);
    this.variant = variant;
    this.includePreprocessing = includePreprocessing;
  }

  static EfficientNetV2 of(Variant variant) {
    return new EfficientNetV2(Arguments.DEFAULTS, variant, true);
  }

  @Override
  EfficientNetV2 with(Arguments arguments) {
    return toBuilder().arguments(arguments).build();
  }

  /**
   * Keras' {@code include_preprocessing}: whether the model starts by scaling pixels 0..255 as
   * its ImageNet weights expect (default true).
   */
  public EfficientNetV2 includePreprocessing(boolean includePreprocessing) {
    return toBuilder().includePreprocessing(includePreprocessing).build();
  }

  /** Whether the model starts by scaling pixels. */
  public boolean includePreprocessing() {
    return includePreprocessing;
  }

  /** Keras' name of the variant ({@code efficientnetv2-b0}, ..., {@code efficientnetv2-l}). */
  public String variant() {
    return variant.kerasName;
  }

  @Override
  Preprocessing preprocessing() {
    return Preprocessing.NONE;
  }

  @Override
  public String imagenetWeightsFile() {
    return variant.kerasName + (arguments.includeTop() ? ".h5" : "_notop.h5");
  }

  @Override
  public String imagenetWeightsUrl() {
    return BASE + imagenetWeightsFile();
  }

  /** Keras' {@code efficientnet_v2.round_filters} (no 10% correction, unlike V1). */
  private int roundFilters(double filters) {
    filters *= variant.width;
    return Math.max(MIN_DEPTH, (int) (filters + DEPTH_DIVISOR / 2.0) / DEPTH_DIVISOR
        * DEPTH_DIVISOR);
  }

  private static BatchNormalization bn(String name) {
    return BatchNormalization.of().axis(3).momentum(BN_MOMENTUM).name(name);
  }

  @Override
  Functional architecture() {
    long[] shape = obtainInputShape(variant.defaultSize, 32);
    Activations activation = Activations.SILU;
    KerasNames names = new KerasNames();
    KerasTensor input = input(shape);
    KerasTensor x = input;
    if (includePreprocessing) {
      if (variant.kerasName.startsWith("efficientnetv2-b") && shape[2] == 3) {
        x = names.auto(Rescaling.of(1.0 / 255)).apply(x);
        x = names.auto(Normalization.of(new double[] {0.485, 0.456, 0.406},
            new double[] {0.229 * 0.229, 0.224 * 0.224, 0.225 * 0.225}).axis(3)).apply(x);
      } else {
        x = names.auto(Rescaling.of(1.0 / 128.0, -1)).apply(x);
      }
    }
    double[][] blocks = variant.blocks;
    x = Conv2D.of(roundFilters(blocks[0][2]), 3).strides(2)
        .kernelInitializer(EfficientNet.convInitializer()).padding("same").useBias(false)
        .name("stem_conv").apply(x);
    x = bn("stem_bn").apply(x);
    x = Activation.of(activation).name("stem_activation").apply(x);
    int b = 0;
    double total = 0;
    for (double[] args : blocks) {
      total += args[1];
    }
    for (int i = 0; i < blocks.length; i++) {
      double[] args = blocks[i];
      int inputFilters = roundFilters(args[2]);
      int outputFilters = roundFilters(args[3]);
      int strides = (int) args[6];
      int repeats = (int) Math.ceil(variant.depth * args[1]);
      for (int j = 0; j < repeats; j++) {
        if (j > 0) {
          strides = 1;
          inputFilters = outputFilters;
        }
        String name = "block" + (i + 1) + (char) ('a' + j) + "_";
        double survival = DROP_CONNECT_RATE * b / total;
        x = args[7] == 0
            ? mbConv(x, inputFilters, outputFilters, (int) args[4], (int) args[0], strides,
                args[5], activation, survival, name)
            : fusedMbConv(x, inputFilters, outputFilters, (int) args[4], (int) args[0],
                strides, args[5], activation, survival, name);
        b++;
      }
    }
    x = Conv2D.of(roundFilters(1280), 1).strides(1)
        .kernelInitializer(EfficientNet.convInitializer()).padding("same").useBias(false)
        .name("top_conv").apply(x);
    x = bn("top_bn").apply(x);
    x = Activation.of(activation).name("top_activation").apply(x);
    if (arguments.includeTop()) {
      x = GlobalAveragePooling2D.of().name("avg_pool").apply(x);
      x = Dropout.of(0.2).name("top_dropout").apply(x);
      x = classifier("predictions").kernelInitializer(EfficientNet.denseInitializer()).apply(x);
    } else {
      x = poolFeatures(names, x, "avg_pool", "max_pool");
    }
    return model(input, x, variant.kerasName);
  }

  /** The squeeze-and-excitation both block kinds share. */
  private static KerasTensor squeezeExcite(KerasTensor x, int inputFilters, int filters,
      double seRatio, Activations activation, String name) {
    int filtersSe = Math.max(1, (int) (inputFilters * seRatio));
    KerasTensor se = GlobalAveragePooling2D.of().name(name + "se_squeeze").apply(x);
    se = Reshape.of(1, 1, filters).name(name + "se_reshape").apply(se);
    se = Conv2D.of(filtersSe, 1).padding("same").activation(activation)
        .kernelInitializer(EfficientNet.convInitializer()).name(name + "se_reduce").apply(se);
    se = Conv2D.of(filters, 1).padding("same").activation(Activations.SIGMOID)
        .kernelInitializer(EfficientNet.convInitializer()).name(name + "se_expand").apply(se);
    return Multiply.of().name(name + "se_excite").apply(x, se);
  }

  /** The residual both block kinds end with, after a Dropout of whole samples. */
  private static KerasTensor residual(KerasTensor x, KerasTensor inputs, int strides,
      int inputFilters, int outputFilters, double survival, String name) {
    if (strides == 1 && inputFilters == outputFilters) {
      if (survival != 0) {
        x = Dropout.of(survival).noiseShape(null, 1, 1, 1).name(name + "drop").apply(x);
      }
      x = Add.of().name(name + "add").apply(x, inputs);
    }
    return x;
  }

  /** Keras' {@code MBConvBlock}. */
  private static KerasTensor mbConv(KerasTensor inputs, int inputFilters, int outputFilters,
      int expandRatio, int kernelSize, int strides, double seRatio, Activations activation,
      double survival, String name) {
    int filters = inputFilters * expandRatio;
    KerasTensor x = inputs;
    if (expandRatio != 1) {
      x = Conv2D.of(filters, 1).strides(1).kernelInitializer(EfficientNet.convInitializer())
          .padding("same").useBias(false).name(name + "expand_conv").apply(x);
      x = bn(name + "expand_bn").apply(x);
      x = Activation.of(activation).name(name + "expand_activation").apply(x);
    }
    x = DepthwiseConv2D.of(kernelSize).strides(strides)
        .depthwiseInitializer(EfficientNet.convInitializer()).padding("same").useBias(false)
        .name(name + "dwconv2").apply(x);
    x = bn(name + "bn").apply(x);
    x = Activation.of(activation).name(name + "activation").apply(x);
    if (seRatio > 0 && seRatio <= 1) {
      x = squeezeExcite(x, inputFilters, filters, seRatio, activation, name);
    }
    x = Conv2D.of(outputFilters, 1).strides(1).kernelInitializer(EfficientNet.convInitializer())
        .padding("same").useBias(false).name(name + "project_conv").apply(x);
    x = bn(name + "project_bn").apply(x);
    return residual(x, inputs, strides, inputFilters, outputFilters, survival, name);
  }

  /** Keras' {@code FusedMBConvBlock}. */
  private static KerasTensor fusedMbConv(KerasTensor inputs, int inputFilters,
      int outputFilters, int expandRatio, int kernelSize, int strides, double seRatio,
      Activations activation, double survival, String name) {
    int filters = inputFilters * expandRatio;
    KerasTensor x = inputs;
    if (expandRatio != 1) {
      x = Conv2D.of(filters, kernelSize).strides(strides)
          .kernelInitializer(EfficientNet.convInitializer()).padding("same").useBias(false)
          .name(name + "expand_conv").apply(x);
      x = bn(name + "expand_bn").apply(x);
      x = Activation.of(activation).name(name + "expand_activation").apply(x);
    }
    if (seRatio > 0 && seRatio <= 1) {
      x = squeezeExcite(x, inputFilters, filters, seRatio, activation, name);
    }
    int projectKernel = expandRatio != 1 ? 1 : kernelSize;
    x = Conv2D.of(outputFilters, projectKernel).strides(expandRatio != 1 ? 1 : strides)
        .kernelInitializer(EfficientNet.convInitializer()).padding("same").useBias(false)
        .name(name + "project_conv").apply(x);
    x = bn(name + "project_bn").apply(x);
    if (expandRatio == 1) {
      x = Activation.of(activation).name(name + "project_activation").apply(x);
    }
    return residual(x, inputs, strides, inputFilters, outputFilters, survival, name);
  }
}
