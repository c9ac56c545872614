package io.jeras.applications;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.KerasTensor;
import io.jeras.layers.activations.ReLU;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.convolutional.DepthwiseConv2D;
import io.jeras.layers.merging.Add;
import io.jeras.layers.normalization.BatchNormalization;
import io.jeras.layers.pooling.GlobalAveragePooling2D;
import io.jeras.layers.reshaping.ZeroPadding2D;
import io.jeras.models.Functional;
import java.util.List;
import java.util.Locale;
import lombok.AccessLevel;
import lombok.Builder;

/**
 * Keras' {@code MobileNetV2} ({@code keras.applications.mobilenet_v2}): inverted residual
 * blocks ({@code expanded_conv_}, {@code block_1_} ... {@code block_16_}: 1x1 expansion, 3x3
 * depthwise convolution, 1x1 projection, ReLU6, residual when the shape allows). The width
 * multiplier {@link #alpha(double)} scales the filters (rounded to multiples of 8). Default input
 * 224x224x3 (or 96, 128, 160, 192 when square), at least 32x32. Preprocessing: {@code tf}
 * ([-1, 1]).
 *
 * <pre>{@code
 * Model model = Applications.mobileNetV2().alpha(0.35).classes(5).build();
 * }</pre>
 */
public final class MobileNetV2 extends ApplicationBuilder<MobileNetV2> {
  private static final String BASE = "https://storage.googleapis.com/tensorflow/"
      + "keras-applications/mobilenet_v2/";
  private static final List<Integer> SIZES = List.of(96, 128, 160, 192, 224);
  private static final List<Double> ALPHAS = List.of(0.35, 0.5, 0.75, 1.0, 1.3, 1.4);

  private final double alpha;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private MobileNetV2(Arguments arguments, double alpha) {
    super(arguments);
    this.alpha = alpha;
  }

  static MobileNetV2 of() {
    return new MobileNetV2(Arguments.DEFAULTS, 1.0);
  }

  @Override
  MobileNetV2 with(Arguments arguments) {
    return toBuilder().arguments(arguments).build();
  }

  /**
   * Keras' {@code alpha}, the width multiplier (default 1.0). ImageNet weights exist for 0.35,
   * 0.5, 0.75, 1.0, 1.3 and 1.4.
   */
  public MobileNetV2 alpha(double alpha) {
    return toBuilder().alpha(alpha).build();
  }

  /** The width multiplier. */
  public double alpha() {
    return alpha;
  }

  @Override
  Preprocessing preprocessing() {
    return Preprocessing.TF;
  }

  private record Resolved(long[] shape, long rows) {}

  /**
   * The rows of the ImageNet weights Keras loads: the input's when square and one of Keras'
   * sizes, else 224.
   */
  private long weightsRows() {
    long[] requested = arguments.inputShape();
    return requested != null && requested.length == 3 && requested[0] == requested[1]
        && SIZES.contains((int) requested[0]) ? requested[0] : 224;
  }

  private Resolved resolve() {
    long[] requested = arguments.inputShape();
    int defaultSize = 224;
    if (requested != null && requested.length == 3 && requested[0] == requested[1]
        && SIZES.contains((int) requested[0])) {
      defaultSize = (int) requested[0];
    }
    long[] shape = obtainInputShape(defaultSize, 32);
    long rows = shape[0];
    if (arguments.imagenet()) {
      checkArgument(ALPHAS.contains(alpha), "If imagenet weights are being loaded, alpha must"
          + " be one of `0.35`, `0.50`, `0.75`, `1.0`, `1.3` or `1.4` only; Received"
          + " `alpha=%s`", alpha);
      if (rows != shape[1] || !SIZES.contains((int) rows)) {
        rows = 224;
        LOG.log(System.Logger.Level.WARNING, "`input_shape` is undefined or non-square, or `rows`"
            + " is not in [96, 128, 160, 192, 224]. Weights for input shape (224, 224) will"
            + " be loaded as the default.");
      }
    }
    return new Resolved(shape, rows);
  }

  @Override
  public String imagenetWeightsFile() {
    return "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_" + alpha + "_"
        + weightsRows() + (arguments.includeTop() ? "" : "_no_top") + ".h5";
  }

  @Override
  public String imagenetWeightsUrl() {
    return BASE + imagenetWeightsFile();
  }

  private static BatchNormalization bn(String name) {
    return BatchNormalization.of().axis(-1).epsilon(1e-3).momentum(0.999).name(name);
  }

  @Override
  Functional architecture() {
    Resolved resolved = resolve();
    KerasNames names = new KerasNames();
    KerasTensor input = input(resolved.shape());
    int firstBlockFilters = Divisible.make(32 * alpha, 8);
    KerasTensor x = Conv2D.of(firstBlockFilters, 3).strides(2).padding("same").useBias(false)
        .name("Conv1").apply(input);
    x = bn("bn_Conv1").apply(x);
    x = ReLU.of().maxValue(6.0).name("Conv1_relu").apply(x);
    int[][] blocks = {{16, 1, 1}, {24, 2, 6}, {24, 1, 6}, {32, 2, 6}, {32, 1, 6}, {32, 1, 6},
        {64, 2, 6}, {64, 1, 6}, {64, 1, 6}, {64, 1, 6}, {96, 1, 6}, {96, 1, 6}, {96, 1, 6},
        {160, 2, 6}, {160, 1, 6}, {160, 1, 6}, {320, 1, 6}};
    for (int id = 0; id < blocks.length; id++) {
      x = invertedResBlock(x, blocks[id][2], blocks[id][1], blocks[id][0], id);
    }
    int lastBlockFilters = alpha > 1.0 ? Divisible.make(1280 * alpha, 8) : 1280;
    x = Conv2D.of(lastBlockFilters, 1).useBias(false).name("Conv_1").apply(x);
    x = bn("Conv_1_bn").apply(x);
    x = ReLU.of().maxValue(6.0).name("out_relu").apply(x);
    if (arguments.includeTop()) {
      x = names.auto(GlobalAveragePooling2D.of()).apply(x);
      x = classifier("predictions").apply(x);
    } else {
      x = poolFeatures(names, x, null, null);
    }
    String rows = resolved.rows() < 0 ? "None" : Long.toString(resolved.rows());
    return model(input, x, String.format(Locale.ROOT, "mobilenetv2_%.2f_%s", alpha, rows));
  }

  /** Keras' {@code _inverted_res_block}. */
  private KerasTensor invertedResBlock(KerasTensor inputs, int expansion, int stride,
      int filters, int blockId) {
    long inChannels = inputs.shape().get(3);
    int pointwiseFilters = Divisible.make((int) (filters * alpha), 8);
    KerasTensor x = inputs;
    String prefix = "block_" + blockId + "_";
    if (blockId != 0) {
      x = Conv2D.of((int) (expansion * inChannels), 1).padding("same").useBias(false)
          .name(prefix + "expand").apply(x);
      x = bn(prefix + "expand_BN").apply(x);
      x = ReLU.of().maxValue(6.0).name(prefix + "expand_relu").apply(x);
    } else {
      prefix = "expanded_conv_";
    }
    if (stride == 2) {
      x = ZeroPadding2D.of(Divisible.correctPad(x.shape(), 3, 3)).name(prefix + "pad").apply(x);
    }
    x = DepthwiseConv2D.of(3).strides(stride).useBias(false)
        .padding(stride == 1 ? "same" : "valid").name(prefix + "depthwise").apply(x);
    x = bn(prefix + "depthwise_BN").apply(x);
    x = ReLU.of().maxValue(6.0).name(prefix + "depthwise_relu").apply(x);
    x = Conv2D.of(pointwiseFilters, 1).padding("same").useBias(false).name(prefix + "project")
        .apply(x);
    x = bn(prefix + "project_BN").apply(x);
    if (inChannels == pointwiseFilters && stride == 1) {
      return Add.of().name(prefix + "add").apply(inputs, x);
    }
    return x;
  }
}
