package io.jeras.applications;

import io.jeras.activations.Activations;
import io.jeras.layers.KerasTensor;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.convolutional.SeparableConv2D;
import io.jeras.layers.core.Activation;
import io.jeras.layers.merging.Add;
import io.jeras.layers.normalization.BatchNormalization;
import io.jeras.layers.pooling.GlobalAveragePooling2D;
import io.jeras.layers.pooling.MaxPooling2D;
import io.jeras.models.Functional;
import lombok.AccessLevel;
import lombok.Builder;

/**
 * Keras' {@code Xception} ({@code keras.applications.xception}): separable convolutions in
 * 14 blocks ({@code block1_conv1} ... {@code block14_sepconv2_act}) with strided 1x1 residual
 * convolutions, which Keras leaves unnamed ({@code conv2d}, {@code batch_normalization},
 * {@code add}, ...). Default input 299x299x3, at least 71x71. Preprocessing: {@code tf}
 * ([-1, 1]).
 *
 * <pre>{@code
 * Model model = Applications.xception().includeTop(false).pooling("avg").build();
 * }</pre>
 */
public final class Xception extends ApplicationBuilder<Xception> {
  private static final String BASE = "https://storage.googleapis.com/tensorflow/"
      + "keras-applications/xception/";

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Xception(Arguments arguments) {
    super(arguments);
  }

  static Xception of() {
    return new Xception(Arguments.DEFAULTS);
  }

  @Override
  Xception with(Arguments arguments) {
    return toBuilder().arguments(arguments).build();
  }

  @Override
  Preprocessing preprocessing() {
    return Preprocessing.TF;
  }

  @Override
  public String imagenetWeightsFile() {
    return "xception_weights_tf_dim_ordering_tf_kernels"
        + (arguments.includeTop() ? "" : "_notop") + ".h5";
  }

  @Override
  public String imagenetWeightsUrl() {
    return BASE + imagenetWeightsFile();
  }

  private static BatchNormalization bn(KerasNames names, String name) {
    return names.name(BatchNormalization.of().axis(-1), name);
  }

  private static Activation relu(String name) {
    return Activation.of(Activations.RELU).name(name);
  }

  private static SeparableConv2D sepConv(int filters, String name) {
    return SeparableConv2D.of(filters, 3).padding("same").useBias(false).name(name);
  }

  /** The unnamed 1x1 stride-2 residual convolution and its normalization. */
  private static KerasTensor residual(KerasNames names, KerasTensor x, int filters) {
    KerasTensor r = names.auto(Conv2D.of(filters, 1).strides(2).padding("same").useBias(false))
        .apply(x);
    return bn(names, null).apply(r);
  }

  private static KerasTensor pool(KerasTensor x, String name) {
    return MaxPooling2D.of(3).strides(2).padding("same").name(name).apply(x);
  }

  @Override
  Functional architecture() {
    long[] shape = obtainInputShape(299, 71);
    KerasNames names = new KerasNames();
    KerasTensor input = input(shape);
    KerasTensor x = Conv2D.of(32, 3).strides(2).useBias(false).name("block1_conv1")
        .apply(input);
    x = bn(names, "block1_conv1_bn").apply(x);
    x = relu("block1_conv1_act").apply(x);
    x = Conv2D.of(64, 3).useBias(false).name("block1_conv2").apply(x);
    x = bn(names, "block1_conv2_bn").apply(x);
    x = relu("block1_conv2_act").apply(x);

    KerasTensor residual = residual(names, x, 128);
    x = sepConv(128, "block2_sepconv1").apply(x);
    x = bn(names, "block2_sepconv1_bn").apply(x);
    x = relu("block2_sepconv2_act").apply(x);
    x = sepConv(128, "block2_sepconv2").apply(x);
    x = bn(names, "block2_sepconv2_bn").apply(x);
    x = pool(x, "block2_pool");
    x = names.auto(Add.of()).apply(x, residual);

    int[] filters = {256, 728};
    for (int i = 0; i < 2; i++) {
      String prefix = "block" + (i + 3);
      residual = residual(names, x, filters[i]);
      x = relu(prefix + "_sepconv1_act").apply(x);
      x = sepConv(filters[i], prefix + "_sepconv1").apply(x);
      x = bn(names, prefix + "_sepconv1_bn").apply(x);
      x = relu(prefix + "_sepconv2_act").apply(x);
      x = sepConv(filters[i], prefix + "_sepconv2").apply(x);
      x = bn(names, prefix + "_sepconv2_bn").apply(x);
      x = pool(x, prefix + "_pool");
      x = names.auto(Add.of()).apply(x, residual);
    }

    for (int i = 0; i < 8; i++) {
      residual = x;
      String prefix = "block" + (i + 5);
      for (int j = 1; j <= 3; j++) {
        x = relu(prefix + "_sepconv" + j + "_act").apply(x);
        x = sepConv(728, prefix + "_sepconv" + j).apply(x);
        x = bn(names, prefix + "_sepconv" + j + "_bn").apply(x);
      }
      x = names.auto(Add.of()).apply(x, residual);
    }

    residual = residual(names, x, 1024);
    x = relu("block13_sepconv1_act").apply(x);
    x = sepConv(728, "block13_sepconv1").apply(x);
    x = bn(names, "block13_sepconv1_bn").apply(x);
    x = relu("block13_sepconv2_act").apply(x);
    x = sepConv(1024, "block13_sepconv2").apply(x);
    x = bn(names, "block13_sepconv2_bn").apply(x);
    x = pool(x, "block13_pool");
    x = names.auto(Add.of()).apply(x, residual);

    x = sepConv(1536, "block14_sepconv1").apply(x);
    x = bn(names, "block14_sepconv1_bn").apply(x);
    x = relu("block14_sepconv1_act").apply(x);
    x = sepConv(2048, "block14_sepconv2").apply(x);
    x = bn(names, "block14_sepconv2_bn").apply(x);
    x = relu("block14_sepconv2_act").apply(x);
    if (arguments.includeTop()) {
      x = GlobalAveragePooling2D.of().name("avg_pool").apply(x);
      x = classifier("predictions").apply(x);
    } else {
      x = poolFeatures(names, x, null, null);
    }
    return model(input, x, "xception");
  }
}
