package io.jeras.applications;

import io.jeras.activations.Activations;
import io.jeras.layers.KerasTensor;
import io.jeras.layers.activations.ReLU;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.convolutional.DepthwiseConv2D;
import io.jeras.layers.core.Activation;
import io.jeras.layers.merging.Add;
import io.jeras.layers.merging.Multiply;
import io.jeras.layers.normalization.BatchNormalization;
import io.jeras.layers.pooling.GlobalAveragePooling2D;
import io.jeras.layers.preprocessing.Rescaling;
import io.jeras.layers.regularization.Dropout;
import io.jeras.layers.reshaping.Flatten;
import io.jeras.layers.reshaping.ZeroPadding2D;
import io.jeras.models.Functional;
import java.util.Arrays;
import lombok.AccessLevel;

/**
 * Keras' {@code MobileNetV3Small} and {@code MobileNetV3Large} ({@code
 * keras.applications.mobilenet_v3}): inverted residual blocks ({@code expanded_conv_},
 * {@code expanded_conv_1_}, ...) with squeeze-and-excitation and hard-swish activations, and
 * the preprocessing inside the model ({@code Rescaling(1/127.5, -1)}, so {@link
 * #preprocessInput} is the identity). Keras computes the hard sigmoid of the squeeze-and-excite
 * gates as tensor arithmetic, {@code ReLU(6)(x + 3) * (1/6)}; Jeras puts {@link Rescaling}
 * layers there ({@code Rescaling(1, 3)} and {@code Rescaling(1/6)}, no weights), named as Keras
 * names those operations ({@code add}, {@code multiply}, ...). Any input size of at least 32x32
 * (default unknown, with the top too).
 *
 * <pre>{@code
 * Model model = Applications.mobileNetV3Small().minimalistic(true).classes(10).build();
 * }</pre>
 */
public final class MobileNetV3 extends ApplicationBuilder<MobileNetV3> {
  private static final String BASE = "https://storage.googleapis.com/tensorflow/"
      + "keras-applications/mobilenet_v3/";

  private final boolean large;
  private final double alpha;
  private final boolean minimalistic;
  private final double dropoutRate;
  private final boolean includePreprocessing;

  @lombok.Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private MobileNetV3(Arguments arguments, boolean large, double alpha, boolean minimalistic,
      double dropoutRate, boolean includePreprocessing) {
    super(arguments);
    this.large = large;
    this.alpha = alpha;
    this.minimalistic = minimalistic;
    this.dropoutRate = dropoutRate;
    this.includePreprocessing = includePreprocessing;
  }

  /** MobileNetV3Large ({@code large}) or MobileNetV3Small with Keras' defaults. */
  static MobileNetV3 of(boolean large) {
    return new MobileNetV3(Arguments.DEFAULTS, large, 1.0, false, 0.2, true);
  }

  @Override
  MobileNetV3 with(Arguments arguments) {
    return toBuilder().arguments(arguments).build();
  }

  /**
   * Keras' {@code alpha}, the width multiplier (default 1.0). ImageNet weights exist for 0.75
   * and 1.0 (1.0 only when minimalistic).
   */
  public MobileNetV3 alpha(double alpha) {
    return toBuilder().alpha(alpha).build();
  }

  /**
   * Keras' {@code minimalistic}: without squeeze-and-excitation, hard-swish and 5x5 kernels
   * (default false).
   */
  public MobileNetV3 minimalistic(boolean minimalistic) {
    return toBuilder().minimalistic(minimalistic).build();
  }

  /** Keras' {@code dropout_rate} before the last layer of the top (default 0.2). */
  public MobileNetV3 dropoutRate(double dropoutRate) {
    return toBuilder().dropoutRate(dropoutRate).build();
  }

  /**
   * Keras' {@code include_preprocessing}: whether the model starts by scaling pixels 0..255 to
   * [-1, 1] (default true).
   */
  public MobileNetV3 includePreprocessing(boolean includePreprocessing) {
    return toBuilder().includePreprocessing(includePreprocessing).build();
  }

  /** Whether this is MobileNetV3Large. */
  public boolean large() {
    return large;
  }

  /** The width multiplier. */
  public double alpha() {
    return alpha;
  }

  /** Whether this is the minimalistic variant. */
  public boolean minimalistic() {
    return minimalistic;
  }

  /** The dropout rate before the last layer of the top. */
  public double dropoutRate() {
    return dropoutRate;
  }

  /** Whether the model starts by scaling pixels to [-1, 1]. */
  public boolean includePreprocessing() {
    return includePreprocessing;
  }

  @Override
  Preprocessing preprocessing() {
    return Preprocessing.NONE;
  }

  @Override
  public String imagenetWeightsFile() {
    String modelName = (large ? "large" : "small") + (minimalistic ? "_minimalistic" : "")
        + "_224_" + alpha + "_float";
    return "weights_mobilenet_v3_" + modelName
        + (arguments.includeTop() ? ".h5" : "_no_top_v2.h5");
  }

  @Override
  public String imagenetWeightsUrl() {
    return BASE + imagenetWeightsFile();
  }

  /** Builds with one name counter, as one Python call of {@code MobileNetV3Small} does. */
  private final class Builder {
    private final KerasNames names = new KerasNames();
    private final Activations activation = minimalistic ? Activations.RELU
        : Activations.HARD_SILU;

    /** Keras' {@code relu}: an unnamed {@code ReLU()}. */
    KerasTensor relu(KerasTensor x) {
      return names.auto(ReLU.of()).apply(x);
    }

    /** The block's activation: {@code relu}, or an unnamed {@code Activation("hard_swish")}. */
    KerasTensor activate(KerasTensor x, Activations kind) {
      return kind == Activations.RELU ? relu(x)
          : names.auto(Activation.of(Activations.HARD_SILU)).apply(x);
    }

    /** Keras' {@code hard_sigmoid}: {@code ReLU(6.0)(x + 3.0) * (1.0 / 6.0)}. */
    KerasTensor hardSigmoid(KerasTensor x) {
      x = Rescaling.of(1, 3.0).name(names.auto("add")).apply(x);
      x = names.auto(ReLU.of().maxValue(6.0)).apply(x);
      return Rescaling.of(1.0 / 6.0).name(names.auto("multiply")).apply(x);
    }

    BatchNormalization bn(String name) {
      return BatchNormalization.of().axis(-1).epsilon(1e-3).momentum(0.999).name(name);
    }

    /** Keras' {@code _se_block}. */
    KerasTensor squeezeExcite(KerasTensor inputs, int filters, double seRatio, String prefix) {
      KerasTensor x = GlobalAveragePooling2D.of().keepdims(true)
          .name(prefix + "squeeze_excite_avg_pool").apply(inputs);
      x = Conv2D.of(Divisible.make(filters * seRatio, 8), 1).padding("same")
          .name(prefix + "squeeze_excite_conv").apply(x);
      x = ReLU.of().name(prefix + "squeeze_excite_relu").apply(x);
      x = Conv2D.of(filters, 1).padding("same").name(prefix + "squeeze_excite_conv_1").apply(x);
      x = hardSigmoid(x);
      return Multiply.of().name(prefix + "squeeze_excite_mul").apply(inputs, x);
    }

    /** Keras' {@code _inverted_res_block}. */
    KerasTensor block(KerasTensor x, double expansion, int filters, int kernelSize, int stride,
        Double seRatio, Activations kind, int blockId) {
      KerasTensor shortcut = x;
      String prefix = "expanded_conv_";
      long infilters = x.shape().get(3);
      if (blockId != 0) {
        prefix = "expanded_conv_" + blockId + "_";
        x = Conv2D.of(Divisible.make(infilters * expansion, 8), 1).padding("same")
            .useBias(false).name(prefix + "expand").apply(x);
        x = bn(prefix + "expand_bn").apply(x);
        x = activate(x, kind);
      }
      if (stride == 2) {
        x = ZeroPadding2D.of(Divisible.correctPad(x.shape(), kernelSize, kernelSize))
            .name(prefix + "depthwise_pad").apply(x);
      }
      x = DepthwiseConv2D.of(kernelSize).strides(stride).padding(stride == 1 ? "same" : "valid")
          .useBias(false).name(prefix + "depthwise").apply(x);
      x = bn(prefix + "depthwise_bn").apply(x);
      x = activate(x, kind);
      if (seRatio != null && seRatio != 0) {
        x = squeezeExcite(x, Divisible.make(infilters * expansion, 8), seRatio, prefix);
      }
      x = Conv2D.of(filters, 1).padding("same").useBias(false).name(prefix + "project").apply(x);
      x = bn(prefix + "project_bn").apply(x);
      if (stride == 1 && infilters == filters) {
        x = Add.of().name(prefix + "add").apply(shortcut, x);
      }
      return x;
    }

    int depth(double d) {
      return Divisible.make(d * alpha, 8);
    }

    KerasTensor stack(KerasTensor x) {
      int kernel = minimalistic ? 3 : 5;
      Double se = minimalistic ? null : 0.25;
      Activations act = activation;
      Activations relu = Activations.RELU;
      if (!large) {
        x = block(x, 1, depth(16), 3, 2, se, relu, 0);
        x = block(x, 72.0 / 16, depth(24), 3, 2, null, relu, 1);
        x = block(x, 88.0 / 24, depth(24), 3, 1, null, relu, 2);
        x = block(x, 4, depth(40), kernel, 2, se, act, 3);
        x = block(x, 6, depth(40), kernel, 1, se, act, 4);
        x = block(x, 6, depth(40), kernel, 1, se, act, 5);
        x = block(x, 3, depth(48), kernel, 1, se, act, 6);
        x = block(x, 3, depth(48), kernel, 1, se, act, 7);
        x = block(x, 6, depth(96), kernel, 2, se, act, 8);
        x = block(x, 6, depth(96), kernel, 1, se, act, 9);
        return block(x, 6, depth(96), kernel, 1, se, act, 10);
      }
      x = block(x, 1, depth(16), 3, 1, null, relu, 0);
      x = block(x, 4, depth(24), 3, 2, null, relu, 1);
      x = block(x, 3, depth(24), 3, 1, null, relu, 2);
      x = block(x, 3, depth(40), kernel, 2, se, relu, 3);
      x = block(x, 3, depth(40), kernel, 1, se, relu, 4);
      x = block(x, 3, depth(40), kernel, 1, se, relu, 5);
      x = block(x, 6, depth(80), 3, 2, null, act, 6);
      x = block(x, 2.5, depth(80), 3, 1, null, act, 7);
      x = block(x, 2.3, depth(80), 3, 1, null, act, 8);
      x = block(x, 2.3, depth(80), 3, 1, null, act, 9);
      x = block(x, 6, depth(112), 3, 1, se, act, 10);
      x = block(x, 6, depth(112), 3, 1, se, act, 11);
      x = block(x, 6, depth(160), kernel, 2, se, act, 12);
      x = block(x, 6, depth(160), kernel, 1, se, act, 13);
      return block(x, 6, depth(160), kernel, 1, se, act, 14);
    }
  }

  @Override
  Functional architecture() {
    long[] shape = arguments.inputShape() == null ? new long[] {-1, -1, 3}
        : arguments.inputShape().clone();
    if (shape.length != 3) {
      throw new IllegalArgumentException("`input_shape` must be a tuple of three integers.");
    }
    long rows = shape[0];
    long cols = shape[1];
    if (rows > 0 && cols > 0 && (rows < 32 || cols < 32)) {
      throw new IllegalArgumentException("Input size must be at least 32x32; Received"
          + " `input_shape=" + tuple(shape) + "`");
    }
    if (arguments.imagenet()) {
      if (!minimalistic && alpha != 0.75 && alpha != 1.0 || minimalistic && alpha != 1.0) {
        throw new IllegalArgumentException("If imagenet weights are being loaded, alpha can be"
            + " one of `0.75`, `1.0` for non minimalistic or `1.0` for minimalistic only.");
      }
      if (rows != cols || rows != 224) {
        LOG.log(System.Logger.Level.WARNING, "`input_shape` is undefined or non-square, or `rows` is"
            + " not 224. Weights for input shape (224, 224) will be loaded as the default.");
      }
    }
    if (Arrays.stream(shape).anyMatch(d -> d <= 0 && d != -1)) {
      throw new IllegalArgumentException("input_shape dimensions must be positive or -1"
          + " (unknown), got " + tuple(shape));
    }
    Builder b = new Builder();
    KerasTensor input = input(shape);
    KerasTensor x = input;
    if (includePreprocessing) {
      x = b.names.auto(Rescaling.of(1.0 / 127.5, -1.0)).apply(x);
    }
    x = Conv2D.of(16, 3).strides(2).padding("same").useBias(false).name("conv").apply(x);
    x = b.bn("conv_bn").apply(x);
    x = b.activate(x, b.activation);
    x = b.stack(x);
    int lastConvChannels = Divisible.make(x.shape().get(3) * 6, 8);
    int lastPointChannels = large ? 1280 : 1024;
    if (alpha > 1.0) {
      lastPointChannels = Divisible.make(lastPointChannels * alpha, 8);
    }
    x = Conv2D.of(lastConvChannels, 1).padding("same").useBias(false).name("conv_1").apply(x);
    x = b.bn("conv_1_bn").apply(x);
    x = b.activate(x, b.activation);
    if (arguments.includeTop()) {
      x = b.names.auto(GlobalAveragePooling2D.of().keepdims(true)).apply(x);
      x = Conv2D.of(lastPointChannels, 1).padding("same").useBias(true).name("conv_2").apply(x);
      x = b.activate(x, b.activation);
      if (dropoutRate > 0) {
        x = b.names.auto(Dropout.of(dropoutRate)).apply(x);
      }
      x = Conv2D.of(arguments.classes(), 1).padding("same").name("logits").apply(x);
      x = b.names.auto(Flatten.of()).apply(x);
      x = classifierActivationLayer("predictions").apply(x);
    } else {
      x = poolFeatures(b.names, x, "avg_pool", "max_pool");
    }
    return model(input, x, large ? "MobileNetV3Large" : "MobileNetV3Small");
  }
}
