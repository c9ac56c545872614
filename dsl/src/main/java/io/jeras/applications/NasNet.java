package io.jeras.applications;

import io.jeras.activations.Activations;
import io.jeras.initializers.Initializers;
import io.jeras.layers.KerasTensor;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.convolutional.SeparableConv2D;
import io.jeras.layers.core.Activation;
import io.jeras.layers.merging.Add;
import io.jeras.layers.merging.Concatenate;
import io.jeras.layers.normalization.BatchNormalization;
import io.jeras.layers.pooling.AveragePooling2D;
import io.jeras.layers.pooling.GlobalAveragePooling2D;
import io.jeras.layers.pooling.MaxPooling2D;
import io.jeras.layers.reshaping.Cropping2D;
import io.jeras.layers.reshaping.Margins;
import io.jeras.layers.reshaping.ZeroPadding2D;
import io.jeras.models.Functional;
import java.util.Arrays;
import lombok.AccessLevel;

/**
 * Keras' {@code NASNetMobile} and {@code NASNetLarge} ({@code keras.applications.nasnet}):
 * NASNet-A normal and reduction cells found by architecture search ({@code normal_concat_0},
 * {@code reduction_concat_reduce_4}, ...), each cell also taking the previous cell's input,
 * adjusted to its size. Default input 224x224x3 (Mobile) or 331x331x3 (Large), at least 32x32;
 * NASNetMobile without the top defaults to 224x224 too. Preprocessing: {@code tf} ([-1, 1]).
 *
 * <p>As in Keras, the adjustment between cells compares the widths of the feature maps: with
 * unknown sizes they compare equal and the reducing adjustment is never made, so give
 * NASNetLarge a static input shape to get the ImageNet architecture.
 *
 * <pre>{@code
 * Model model = Applications.nasNetMobile().includeTop(false).pooling("avg").build();
 * }</pre>
 */
public final class NasNet extends ApplicationBuilder<NasNet> {
  private static final String BASE = "https://storage.googleapis.com/tensorflow/"
      + "keras-applications/nasnet/";
  private final boolean large;

  @lombok.Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private NasNet(Arguments arguments, boolean large) {
    super(arguments);
    this.large = large;
  }

  /** NASNetLarge ({@code large}) or NASNetMobile with Keras' defaults. */
  static NasNet of(boolean large) {
    return new NasNet(Arguments.DEFAULTS, large);
  }

  /** Whether this is NASNetLarge. */
  public boolean large() {
    return large;
  }

  @Override
  NasNet with(Arguments arguments) {
    return toBuilder().arguments(arguments).build();
  }

  @Override
  Preprocessing preprocessing() {
    return Preprocessing.TF;
  }

  @Override
  public String imagenetWeightsFile() {
    return "nasnet_" + (large ? "large" : "mobile")
        + (arguments.includeTop() ? "" : "_no_top") + ".h5";
  }

  @Override
  public String imagenetWeightsUrl() {
    return BASE + "NASNet-" + (large ? "large" : "mobile")
        + (arguments.includeTop() ? "" : "-no-top") + ".h5";
  }

  /** Builds with one name counter, as one Python call of {@code NASNetMobile} does. */
  private static final class Builder {
    private final KerasNames names = new KerasNames();

    KerasTensor relu(KerasTensor x, String name) {
      return names.name(Activation.of(Activations.RELU), name).apply(x);
    }

    static BatchNormalization bn(String name) {
      return BatchNormalization.of().axis(-1).momentum(0.9997).epsilon(1e-3).name(name);
    }

    static Conv2D conv1x1(int filters, String name) {
      return Conv2D.of(filters, 1).strides(1).padding("same").useBias(false)
          .kernelInitializer(Initializers.heNormal()).name(name);
    }

    KerasTensor add(KerasTensor a, KerasTensor b, String name) {
      return names.name(Add.of(), name).apply(a, b);
    }

    static KerasTensor avgPool(KerasTensor x, int stride, String padding, String name) {
      return AveragePooling2D.of(3).strides(stride).padding(padding).name(name).apply(x);
    }

    /** Keras' {@code _separable_conv_block}. */
    KerasTensor separable(KerasTensor ip, int filters, int kernel, int strides, String id) {
      KerasTensor x = relu(ip, null);
      String padding = "same";
      if (strides == 2) {
        x = ZeroPadding2D.of(Divisible.correctPad(x.shape(), kernel, kernel))
            .name("separable_conv_1_pad_" + id).apply(x);
        padding = "valid";
      }
      x = SeparableConv2D.of(filters, kernel).strides(strides).padding(padding).useBias(false)
          .name("separable_conv_1_" + id).apply(x);
      x = bn("separable_conv_1_bn_" + id).apply(x);
      x = relu(x, null);
      x = SeparableConv2D.of(filters, kernel).padding("same").useBias(false)
          .name("separable_conv_2_" + id).apply(x);
      return bn("separable_conv_2_bn_" + id).apply(x);
    }

    /** Keras' {@code _adjust_block}: the previous cell's input fitted to this cell's. */
    KerasTensor adjust(KerasTensor p, KerasTensor ip, int filters, String id) {
      if (p == null) {
        return ip;
      }
      if (p.shape().get(2) != ip.shape().get(2)) {
        p = relu(p, "adjust_relu_1_" + id);
        KerasTensor p1 = AveragePooling2D.of(1).strides(2).padding("valid")
            .name("adjust_avg_pool_1_" + id).apply(p);
        p1 = conv1x1(filters / 2, "adjust_conv_1_" + id).apply(p1);
        KerasTensor p2 = names.auto(ZeroPadding2D.of(Margins.of(0, 1, 0, 1))).apply(p);
        p2 = names.auto(Cropping2D.of(Margins.of(1, 0, 1, 0))).apply(p2);
        p2 = AveragePooling2D.of(1).strides(2).padding("valid")
            .name("adjust_avg_pool_2_" + id).apply(p2);
        p2 = conv1x1(filters / 2, "adjust_conv_2_" + id).apply(p2);
        p = names.auto(Concatenate.of(-1)).apply(p1, p2);
        return bn("adjust_bn_" + id).apply(p);
      }
      if (p.shape().get(3) != filters) {
        p = relu(p, null);
        p = conv1x1(filters, "adjust_conv_projection_" + id).apply(p);
        return bn("adjust_bn_" + id).apply(p);
      }
      return p;
    }

    /** Keras' {@code _normal_a_cell}: the new output, then this cell's input. */
    KerasTensor[] normal(KerasTensor ip, KerasTensor p, int filters, String id) {
      p = adjust(p, ip, filters, id);
      KerasTensor h = relu(ip, null);
      h = conv1x1(filters, "normal_conv_1_" + id).apply(h);
      h = bn("normal_bn_1_" + id).apply(h);
      KerasTensor x11 = separable(h, filters, 5, 1, "normal_left1_" + id);
      KerasTensor x12 = separable(p, filters, 3, 1, "normal_right1_" + id);
      KerasTensor x1 = add(x11, x12, "normal_add_1_" + id);
      KerasTensor x21 = separable(p, filters, 5, 1, "normal_left2_" + id);
      KerasTensor x22 = separable(p, filters, 3, 1, "normal_right2_" + id);
      KerasTensor x2 = add(x21, x22, "normal_add_2_" + id);
      KerasTensor x3 = avgPool(h, 1, "same", "normal_left3_" + id);
      x3 = add(x3, p, "normal_add_3_" + id);
      KerasTensor x41 = avgPool(p, 1, "same", "normal_left4_" + id);
      KerasTensor x42 = avgPool(p, 1, "same", "normal_right4_" + id);
      KerasTensor x4 = add(x41, x42, "normal_add_4_" + id);
      KerasTensor x5 = separable(h, filters, 3, 1, "normal_left5_" + id);
      x5 = add(x5, h, "normal_add_5_" + id);
      KerasTensor x = Concatenate.of(-1).name("normal_concat_" + id)
          .apply(p, x1, x2, x3, x4, x5);
      return new KerasTensor[] {x, ip};
    }

    /** Keras' {@code _reduction_a_cell}: the new output, then this cell's input. */
    KerasTensor[] reduction(KerasTensor ip, KerasTensor p, int filters, String id) {
      p = adjust(p, ip, filters, id);
      KerasTensor h = relu(ip, null);
      h = conv1x1(filters, "reduction_conv_1_" + id).apply(h);
      h = bn("reduction_bn_1_" + id).apply(h);
      KerasTensor h3 = ZeroPadding2D.of(Divisible.correctPad(h.shape(), 3, 3))
          .name("reduction_pad_1_" + id).apply(h);
      KerasTensor x11 = separable(h, filters, 5, 2, "reduction_left1_" + id);
      KerasTensor x12 = separable(p, filters, 7, 2, "reduction_right1_" + id);
      KerasTensor x1 = add(x11, x12, "reduction_add_1_" + id);
      KerasTensor x21 = MaxPooling2D.of(3).strides(2).padding("valid")
          .name("reduction_left2_" + id).apply(h3);
      KerasTensor x22 = separable(p, filters, 7, 2, "reduction_right2_" + id);
      KerasTensor x2 = add(x21, x22, "reduction_add_2_" + id);
      KerasTensor x31 = avgPool(h3, 2, "valid", "reduction_left3_" + id);
      KerasTensor x32 = separable(p, filters, 5, 2, "reduction_right3_" + id);
      KerasTensor x3 = add(x31, x32, "reduction_add3_" + id);
      KerasTensor x4 = avgPool(x1, 1, "same", "reduction_left4_" + id);
      x4 = add(x2, x4, null);
      KerasTensor x51 = separable(x1, filters, 3, 1, "reduction_left4_" + id);
      KerasTensor x52 = MaxPooling2D.of(3).strides(2).padding("valid")
          .name("reduction_right5_" + id).apply(h3);
      KerasTensor x5 = add(x51, x52, "reduction_add4_" + id);
      KerasTensor x = Concatenate.of(-1).name("reduction_concat_" + id).apply(x2, x3, x4, x5);
      return new KerasTensor[] {x, ip};
    }
  }

  @Override
  Functional architecture() {
    int penultimateFilters = large ? 4032 : 1056;
    int numBlocks = large ? 6 : 4;
    int stemBlockFilters = large ? 96 : 32;
    boolean skipReduction = large;
    int filterMultiplier = 2;
    int defaultSize = large ? 331 : 224;
    long[] requested = arguments.inputShape();
    if (!large && !arguments.includeTop() && requested == null) {
      requested = new long[] {224, 224, 3};
    }
    if (requested != null && arguments.imagenet() && Arrays.stream(requested).anyMatch(
        d -> d < 0)) {
      throw new IllegalArgumentException("When specifying the input shape of a NASNet and"
          + " loading `ImageNet` weights, the input_shape argument must be static (no None"
          + " entries). Got: `input_shape=" + tuple(requested) + "`.");
    }
    long[] shape = obtainInputShape(requested, defaultSize, 32, arguments.includeTop(),
        arguments.imagenet());
    if (arguments.imagenet() && Arrays.stream(shape).anyMatch(d -> d < 0)) {
      // Keras lets NASNetLarge without the top default to (None, None, 3) and then fails to
      // load the weights (the adjusting layers between cells are missing): say why up front
      throw new IllegalArgumentException("When specifying the input shape of a NASNet and"
          + " loading `ImageNet` weights, the input_shape argument must be static (no None"
          + " entries). Got: `input_shape=" + tuple(shape) + "`.");
    }
    Builder b = new Builder();
    KerasTensor input = input(shape);
    int filters = penultimateFilters / 24;
    KerasTensor x = Conv2D.of(stemBlockFilters, 3).strides(2).padding("valid").useBias(false)
        .kernelInitializer(Initializers.heNormal()).name("stem_conv1").apply(input);
    x = Builder.bn("stem_bn1").apply(x);
    KerasTensor p = null;
    KerasTensor[] out = b.reduction(x, p, filters / (filterMultiplier * filterMultiplier),
        "stem_1");
    out = b.reduction(out[0], out[1], filters / filterMultiplier, "stem_2");
    x = out[0];
    p = out[1];
    for (int i = 0; i < numBlocks; i++) {
      out = b.normal(x, p, filters, Integer.toString(i));
      x = out[0];
      p = out[1];
    }
    out = b.reduction(x, p, filters * filterMultiplier, "reduce_" + numBlocks);
    x = out[0];
    p = skipReduction ? p : out[1];
    for (int i = 0; i < numBlocks; i++) {
      out = b.normal(x, p, filters * filterMultiplier, Integer.toString(numBlocks + i + 1));
      x = out[0];
      p = out[1];
    }
    out = b.reduction(x, p, filters * filterMultiplier * filterMultiplier,
        "reduce_" + 2 * numBlocks);
    x = out[0];
    p = skipReduction ? p : out[1];
    for (int i = 0; i < numBlocks; i++) {
      out = b.normal(x, p, filters * filterMultiplier * filterMultiplier,
          Integer.toString(2 * numBlocks + i + 1));
      x = out[0];
      p = out[1];
    }
    x = b.relu(x, null);
    if (arguments.includeTop()) {
      x = b.names.auto(GlobalAveragePooling2D.of()).apply(x);
      x = classifier("predictions").apply(x);
    } else {
      x = poolFeatures(b.names, x, null, null);
    }
    return model(input, x, large ? "nasnet_large" : "nasnet_mobile");
  }
}
