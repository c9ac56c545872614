package io.jeras.applications;

import io.jeras.activations.Activations;
import io.jeras.initializers.Initializer;
import io.jeras.initializers.VarianceScaling;
import io.jeras.initializers.VarianceScaling.Distribution;
import io.jeras.initializers.VarianceScaling.Mode;
import io.jeras.layers.KerasTensor;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.convolutional.DepthwiseConv2D;
import io.jeras.layers.core.Activation;
import io.jeras.layers.core.Dense;
import io.jeras.layers.merging.Add;
import io.jeras.layers.merging.Multiply;
import io.jeras.layers.normalization.BatchNormalization;
import io.jeras.layers.pooling.GlobalAveragePooling2D;
import io.jeras.layers.preprocessing.Normalization;
import io.jeras.layers.preprocessing.Rescaling;
import io.jeras.layers.regularization.Dropout;
import io.jeras.layers.reshaping.Reshape;
import io.jeras.layers.reshaping.ZeroPadding2D;
import io.jeras.models.Functional;
import lombok.AccessLevel;
import lombok.Builder;

/**
 * Keras' {@code EfficientNetB0} ... {@code EfficientNetB7} ({@code
 * keras.applications.efficientnet}): mobile inverted bottleneck blocks with
 * squeeze-and-excitation and swish ({@code block1a_} ... {@code block7?_}), scaled in width,
 * depth and input size per variant, and the preprocessing inside the model ({@code
 * Rescaling(1/255)} then a {@code Normalization} layer whose mean and variance are weights, so
 * {@link #preprocessInput} is the identity). With {@link #imagenetWeights()} Keras adds a
 * {@code Rescaling} by {@code 1/sqrt(std)} after the normalization (the ImageNet weights were
 * made with a variance where the standard deviation belonged), and so does Jeras; with {@link
 * #weights(java.nio.file.Path)} neither does, even for the ImageNet file, so load that one with
 * {@code imagenetWeights()}. At least 32x32.
 *
 * <pre>{@code
 * Model model = Applications.efficientNetB0().imagenetWeights().build();
 * }</pre>
 */
public final class EfficientNet extends ApplicationBuilder<EfficientNet> {
  private static final String BASE = "https://storage.googleapis.com/keras-applications/";
  /** Keras' {@code IMAGENET_STDDEV_RGB}. */
  private static final double[] IMAGENET_STDDEV_RGB = {0.229, 0.224, 0.225};
  /**
   * Keras' {@code DEFAULT_BLOCKS_ARGS}: kernel size, repeats, filters in, filters out, expand
   * ratio, strides (every block has id_skip and se_ratio 0.25).
   */
  private static final int[][] BLOCKS = {{3, 1, 32, 16, 1, 1}, {3, 2, 16, 24, 6, 2},
      {5, 2, 24, 40, 6, 2}, {3, 3, 40, 80, 6, 2}, {5, 3, 80, 112, 6, 1}, {5, 4, 112, 192, 6, 2},
      {3, 1, 192, 320, 6, 1}};
  private static final double SE_RATIO = 0.25;
  private static final double DROP_CONNECT_RATE = 0.2;

  /** Width and depth coefficients, default size and dropout of B0 ... B7. */
  private static final double[][] VARIANTS = {{1.0, 1.0, 224, 0.2}, {1.0, 1.1, 240, 0.2},
      {1.1, 1.2, 260, 0.3}, {1.2, 1.4, 300, 0.3}, {1.4, 1.8, 380, 0.4}, {1.6, 2.2, 456, 0.4},
      {1.8, 2.6, 528, 0.5}, {2.0, 3.1, 600, 0.5}};

  private final int variant;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private EfficientNet(Arguments arguments, int variant) {
    super(arguments);
    this.variant = variant;
  }

  /** EfficientNetB{@code variant}, 0 to 7. */
  static EfficientNet of(int variant) {
    return new EfficientNet(Arguments.DEFAULTS, variant);
  }

  /** The variant's number: 0 for B0 ... 7 for B7. */
  public int variant() {
    return variant;
  }

  @Override
  EfficientNet with(Arguments arguments) {
    return toBuilder().arguments(arguments).build();
  }

  @Override
  Preprocessing preprocessing() {
    return Preprocessing.NONE;
  }

  private String kerasName() {
    return "efficientnetb" + variant;
  }

  @Override
  public String imagenetWeightsFile() {
    return kerasName() + (arguments.includeTop() ? ".h5" : "_notop.h5");
  }

  @Override
  public String imagenetWeightsUrl() {
    return BASE + imagenetWeightsFile();
  }

  /** Keras' {@code CONV_KERNEL_INITIALIZER}. */
  static Initializer convInitializer() {
    return VarianceScaling.of(2.0, Mode.FAN_OUT, Distribution.TRUNCATED_NORMAL, null);
  }

  /** Keras' {@code DENSE_KERNEL_INITIALIZER}. */
  static Initializer denseInitializer() {
    return VarianceScaling.of(1.0 / 3.0, Mode.FAN_OUT, Distribution.UNIFORM, null);
  }

  @Override
  Functional architecture() {
    double width = VARIANTS[variant][0];
    double depth = VARIANTS[variant][1];
    int defaultSize = (int) VARIANTS[variant][2];
    double dropoutRate = VARIANTS[variant][3];
    Activations activation = Activations.SILU;
    long[] shape = obtainInputShape(defaultSize, 32);
    KerasNames names = new KerasNames();
    KerasTensor input = input(shape);
    KerasTensor x = names.auto(Rescaling.of(1.0 / 255.0)).apply(input);
    x = names.auto(Normalization.of().axis(3)).apply(x);
    if (arguments.imagenet()) {
      double[] scale = new double[IMAGENET_STDDEV_RGB.length];
      for (int i = 0; i < scale.length; i++) {
        scale[i] = 1.0 / Math.sqrt(IMAGENET_STDDEV_RGB[i]);
      }
      x = names.auto(Rescaling.of(scale)).apply(x);
    }
    x = ZeroPadding2D.of(Divisible.correctPad(x.shape(), 3, 3)).name("stem_conv_pad").apply(x);
    x = Conv2D.of(Divisible.make(32 * width, 8), 3).strides(2).padding("valid").useBias(false)
        .kernelInitializer(convInitializer()).name("stem_conv").apply(x);
    x = BatchNormalization.of().axis(3).name("stem_bn").apply(x);
    x = Activation.of(activation).name("stem_activation").apply(x);
    int b = 0;
    double blocks = 0;
    for (int[] args : BLOCKS) {
      blocks += roundRepeats(depth, args[1]);
    }
    for (int i = 0; i < BLOCKS.length; i++) {
      int[] args = BLOCKS[i];
      int filtersIn = Divisible.make(args[2] * width, 8);
      int filtersOut = Divisible.make(args[3] * width, 8);
      int strides = args[5];
      int repeats = roundRepeats(depth, args[1]);
      for (int j = 0; j < repeats; j++) {
        if (j > 0) {
          strides = 1;
          filtersIn = filtersOut;
        }
        x = block(x, activation, DROP_CONNECT_RATE * b / blocks,
            "block" + (i + 1) + (char) ('a' + j) + "_", filtersIn, filtersOut, args[0],
            strides, args[4]);
        b++;
      }
    }
    x = Conv2D.of(Divisible.make(1280 * width, 8), 1).padding("same").useBias(false)
        .kernelInitializer(convInitializer()).name("top_conv").apply(x);
    x = BatchNormalization.of().axis(3).name("top_bn").apply(x);
    x = Activation.of(activation).name("top_activation").apply(x);
    if (arguments.includeTop()) {
      x = GlobalAveragePooling2D.of().name("avg_pool").apply(x);
      if (dropoutRate > 0) {
        x = Dropout.of(dropoutRate).name("top_dropout").apply(x);
      }
      Dense classifier = classifier("predictions");
      x = classifier.kernelInitializer(denseInitializer()).apply(x);
    } else {
      x = poolFeatures(names, x, "avg_pool", "max_pool");
    }
    return model(input, x, kerasName());
  }

  private static int roundRepeats(double depthCoefficient, int repeats) {
    return (int) Math.ceil(depthCoefficient * repeats);
  }

  /** Keras' {@code efficientnet.block}. */
  private static KerasTensor block(KerasTensor inputs, Activations activation, double dropRate,
      String name, int filtersIn, int filtersOut, int kernelSize, int strides, int expandRatio) {
    int filters = filtersIn * expandRatio;
    KerasTensor x = inputs;
    if (expandRatio != 1) {
      x = Conv2D.of(filters, 1).padding("same").useBias(false)
          .kernelInitializer(convInitializer()).name(name + "expand_conv").apply(x);
      x = BatchNormalization.of().axis(3).name(name + "expand_bn").apply(x);
      x = Activation.of(activation).name(name + "expand_activation").apply(x);
    }
    String padding = "same";
    if (strides == 2) {
      x = ZeroPadding2D.of(Divisible.correctPad(x.shape(), kernelSize, kernelSize))
          .name(name + "dwconv_pad").apply(x);
      padding = "valid";
    }
    x = DepthwiseConv2D.of(kernelSize).strides(strides).padding(padding).useBias(false)
        .depthwiseInitializer(convInitializer()).name(name + "dwconv").apply(x);
    x = BatchNormalization.of().axis(3).name(name + "bn").apply(x);
    x = Activation.of(activation).name(name + "activation").apply(x);
    int filtersSe = Math.max(1, (int) (filtersIn * SE_RATIO));
    KerasTensor se = GlobalAveragePooling2D.of().name(name + "se_squeeze").apply(x);
    se = Reshape.of(1, 1, filters).name(name + "se_reshape").apply(se);
    se = Conv2D.of(filtersSe, 1).padding("same").activation(activation)
        .kernelInitializer(convInitializer()).name(name + "se_reduce").apply(se);
    se = Conv2D.of(filters, 1).padding("same").activation(Activations.SIGMOID)
        .kernelInitializer(convInitializer()).name(name + "se_expand").apply(se);
    x = Multiply.of().name(name + "se_excite").apply(x, se);
    x = Conv2D.of(filtersOut, 1).padding("same").useBias(false)
        .kernelInitializer(convInitializer()).name(name + "project_conv").apply(x);
    x = BatchNormalization.of().axis(3).name(name + "project_bn").apply(x);
    if (strides == 1 && filtersIn == filtersOut) {
      if (dropRate > 0) {
        x = Dropout.of(dropRate).noiseShape(null, 1, 1, 1).name(name + "drop").apply(x);
      }
      x = Add.of().name(name + "add").apply(x, inputs);
    }
    return x;
  }
}
