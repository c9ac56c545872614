package io.jeras.applications;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.KerasTensor;
import io.jeras.layers.activations.ReLU;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.convolutional.DepthwiseConv2D;
import io.jeras.layers.normalization.BatchNormalization;
import io.jeras.layers.pooling.GlobalAveragePooling2D;
import io.jeras.layers.regularization.Dropout;
import io.jeras.layers.reshaping.Margins;
import io.jeras.layers.reshaping.Reshape;
import io.jeras.layers.reshaping.ZeroPadding2D;
import io.jeras.models.Functional;
import java.util.List;
import java.util.Locale;
import lombok.AccessLevel;
import lombok.Builder;

/**
 * Keras' {@code MobileNet} ({@code keras.applications.mobilenet}): a 3x3 convolution and 13
 * depthwise-separable blocks ({@code conv_dw_1} / {@code conv_pw_1} ... {@code conv_pw_13}), each
 * with batch normalization and ReLU6; the top is a 1x1 convolution ({@code conv_preds}). The
 * width multiplier {@link #alpha(double)} scales every layer's filters, {@link
 * #depthMultiplier(int)} the depthwise kernels. Default input 224x224x3 (or 128, 160, 192 when
 * square), at least 32x32. Preprocessing: {@code tf} ([-1, 1]).
 *
 * <pre>{@code
 * Model model = Applications.mobileNet().alpha(0.5).inputShape(160, 160, 3).build();
 * }</pre>
 */
public final class MobileNet extends ApplicationBuilder<MobileNet> {
  private static final String BASE = "https://storage.googleapis.com/tensorflow/"
      + "keras-applications/mobilenet/";
  private static final List<Integer> SIZES = List.of(128, 160, 192, 224);

  private final double alpha;
  private final int depthMultiplier;
  private final double dropout;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private MobileNet(Arguments arguments, double alpha, int depthMultiplier, double dropout) {
    super(arguments);
    this.alpha = alpha;
    this.depthMultiplier = depthMultiplier;
    this.dropout = dropout;
  }

  static MobileNet of() {
    return new MobileNet(Arguments.DEFAULTS, 1.0, 1, 1e-3);
  }

  @Override
  MobileNet with(Arguments arguments) {
    return toBuilder().arguments(arguments).build();
  }

  /**
   * Keras' {@code alpha}, the width multiplier (default 1.0): below 1 fewer filters in every
   * layer, above 1 more. ImageNet weights exist for 0.25, 0.5, 0.75 and 1.0.
   */
  public MobileNet alpha(double alpha) {
    return toBuilder().alpha(alpha).build();
  }

  /** Keras' {@code depth_multiplier} of the depthwise convolutions (default 1). */
  public MobileNet depthMultiplier(int depthMultiplier) {
    return toBuilder().depthMultiplier(depthMultiplier).build();
  }

  /** Keras' {@code dropout} rate before the classifier (default 0.001). */
  public MobileNet dropout(double dropout) {
    return toBuilder().dropout(dropout).build();
  }

  /** The width multiplier. */
  public double alpha() {
    return alpha;
  }

  /** The depth multiplier of the depthwise convolutions. */
  public int depthMultiplier() {
    return depthMultiplier;
  }

  /** The dropout rate before the classifier. */
  public double dropout() {
    return dropout;
  }

  @Override
  Preprocessing preprocessing() {
    return Preprocessing.TF;
  }

  /** The input shape and the rows of the weights (Keras' {@code rows}, -1 for None). */
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
      checkArgument(depthMultiplier == 1, "If imagenet weights are being loaded, depth"
          + " multiplier must be 1.  Received depth_multiplier=%s", depthMultiplier);
      checkArgument(alpha == 0.25 || alpha == 0.5 || alpha == 0.75 || alpha == 1.0, "If"
          + " imagenet weights are being loaded, alpha can be one of`0.25`, `0.50`, `0.75` or"
          + " `1.0` only.  Received alpha=%s", alpha);
      if (rows != shape[1] || !SIZES.contains((int) rows)) {
        rows = 224;
        LOG.log(System.Logger.Level.WARNING, "`input_shape` is undefined or non-square, or `rows`"
            + " is not in [128, 160, 192, 224]. Weights for input shape (224, 224) will be"
            + " loaded as the default.");
      }
    }
    return new Resolved(shape, rows);
  }

  @Override
  public String imagenetWeightsFile() {
    String alphaText = alpha == 1.0 ? "1_0" : alpha == 0.75 ? "7_5" : alpha == 0.5 ? "5_0"
        : "2_5";
    return "mobilenet_" + alphaText + "_" + weightsRows() + "_tf"
        + (arguments.includeTop() ? "" : "_no_top") + ".h5";
  }

  @Override
  public String imagenetWeightsUrl() {
    return BASE + imagenetWeightsFile();
  }

  @Override
  Functional architecture() {
    Resolved resolved = resolve();
    KerasNames names = new KerasNames();
    KerasTensor input = input(resolved.shape());
    KerasTensor x = Conv2D.of((int) (32 * alpha), 3).padding("same").useBias(false).strides(2)
        .name("conv1").apply(input);
    x = BatchNormalization.of().axis(-1).name("conv1_bn").apply(x);
    x = ReLU.of().maxValue(6.0).name("conv1_relu").apply(x);
    int[] filters = {64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024};
    for (int block = 1; block <= 13; block++) {
      boolean strided = block == 2 || block == 4 || block == 6 || block == 12;
      x = depthwiseBlock(x, filters[block - 1], strided ? 2 : 1, block);
    }
    if (arguments.includeTop()) {
      x = names.auto(GlobalAveragePooling2D.of().keepdims(true)).apply(x);
      x = Dropout.of(dropout).name("dropout").apply(x);
      x = Conv2D.of(arguments.classes(), 1).padding("same").name("conv_preds").apply(x);
      x = Reshape.of(arguments.classes()).name("reshape_2").apply(x);
      x = classifierActivationLayer("predictions").apply(x);
    } else {
      x = poolFeatures(names, x, null, null);
    }
    String rows = resolved.rows() < 0 ? "None" : Long.toString(resolved.rows());
    return model(input, x, String.format(Locale.ROOT, "mobilenet_%.2f_%s", alpha, rows));
  }

  /** Keras' {@code _depthwise_conv_block}. */
  private KerasTensor depthwiseBlock(KerasTensor x, int pointwiseFilters, int stride,
      int block) {
    if (stride != 1) {
      x = ZeroPadding2D.of(Margins.of(0, 1, 0, 1)).name("conv_pad_" + block).apply(x);
    }
    x = DepthwiseConv2D.of(3).padding(stride == 1 ? "same" : "valid")
        .depthMultiplier(depthMultiplier).strides(stride).useBias(false)
        .name("conv_dw_" + block).apply(x);
    x = BatchNormalization.of().axis(-1).name("conv_dw_" + block + "_bn").apply(x);
    x = ReLU.of().maxValue(6.0).name("conv_dw_" + block + "_relu").apply(x);
    x = Conv2D.of((int) (pointwiseFilters * alpha), 1).padding("same").useBias(false)
        .strides(1).name("conv_pw_" + block).apply(x);
    x = BatchNormalization.of().axis(-1).name("conv_pw_" + block + "_bn").apply(x);
    return ReLU.of().maxValue(6.0).name("conv_pw_" + block + "_relu").apply(x);
  }
}
