package io.jeras.examples;

import static io.jeras.activations.Activations.RELU;
import static io.jeras.activations.Activations.SOFTMAX;
import static io.jeras.activations.Activations.TANH;

import io.jeras.layers.KerasTensor;
import io.jeras.layers.activations.ReLU;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.convolutional.DepthwiseConv2D;
import io.jeras.layers.core.Activation;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Input;
import io.jeras.layers.merging.Add;
import io.jeras.layers.merging.Concatenate;
import io.jeras.layers.normalization.BatchNormalization;
import io.jeras.layers.pooling.AveragePooling2D;
import io.jeras.layers.pooling.GlobalAveragePooling2D;
import io.jeras.layers.pooling.MaxPooling2D;
import io.jeras.layers.preprocessing.RandomErasing;
import io.jeras.layers.preprocessing.RandomFlip;
import io.jeras.layers.preprocessing.RandomTranslation;
import io.jeras.layers.regularization.Dropout;
import io.jeras.layers.reshaping.Flatten;
import io.jeras.layers.reshaping.ZeroPadding2D;
import io.jeras.models.Model;
import io.jeras.models.Sequential;
import io.jeras.regularizers.Regularizer;
import io.jeras.regularizers.Regularizers;
import java.util.List;
import java.util.Locale;

/**
 * Classic CNN architectures (LeNet-5, a VGG-style net, a small ResNet, Inception and MobileNet
 * blocks), written in Jeras as one would write them in Keras, sized for 28x28 grey images and 10
 * classes.
 */
public final class Architectures {
  private Architectures() {}

  /** The names {@link #build} takes. */
  public static final List<String> NAMES =
      List.of("lenet5", "two-conv-bn", "vgg", "resnet", "inception", "mobilenet");

  /** The architecture called {@code name}, for 28x28x1 inputs. */
  public static Model build(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "lenet5" -> leNet5ForFashionMnist();
      case "two-conv-bn" -> twoConvBn();
      case "vgg" -> vgg();
      case "resnet" -> smallResNet();
      case "inception" -> inception();
      case "mobilenet" -> mobileNet();
      default -> throw new IllegalArgumentException("unknown architecture \"" + name
          + "\"; expected one of " + NAMES);
    };
  }

  /**
   * {@code network} behind random horizontal flips and shifts of up to 10% (active in training
   * only), the augmentation of the Fashion-MNIST table's ResNet18 entry without rotations.
   */
  public static Sequential augmented(Model network) {
    return augmented(network, false);
  }

  /**
   * {@link #augmented(Model)}, and with {@code erasing} also Keras' {@code RandomErasing} at its
   * defaults (a rectangle of random values in about half of the images; the images are in [0,
   * 1]).
   */
  public static Sequential augmented(Model network, boolean erasing) {
    Sequential model = Sequential.named(network.name() + "_augmented").add(Input.of(28, 28, 1))
        .add(RandomFlip.of("horizontal")).add(RandomTranslation.of(0.1, 0.1));
    if (erasing) {
      model.add(RandomErasing.of().valueRange(0, 1));
    }
    return model.add(network);
  }

  /** LeNet-5 as it is usually written in Keras: 32x32x1 in, 61,706 parameters. */
  public static Sequential leNet5() {
    return Sequential.named("lenet5")
        .add(Conv2D.of(6, 5, 5).activation(TANH).inputShape(32, 32, 1).padding("valid"))
        .add(AveragePooling2D.of(2, 2))
        .add(Conv2D.of(16, 5, 5).activation(TANH).padding("valid"))
        .add(AveragePooling2D.of(2, 2))
        .add(Flatten.of())
        .add(Dense.of(120).activation(RELU))
        .add(Dense.of(84).activation(RELU))
        .add(Dense.of(10).activation(SOFTMAX));
  }

  /** LeNet-5 on 28x28 images: padded to 32x32 first, LeNet-5 nested as a layer. */
  public static Sequential leNet5ForFashionMnist() {
    return Sequential.named("lenet5_28x28").add(Input.of(28, 28, 1)).add(ZeroPadding2D.of(2))
        .add(leNet5());
  }

  /** Convolution without bias, BatchNormalization, ReLU: the modern convolution block. */
  private static KerasTensor convBnRelu(KerasTensor x, int filters, int kernel, int strides) {
    return convBnRelu(x, filters, kernel, strides, null);
  }

  /** {@link #convBnRelu} with a regularizer on the kernel ({@code null} for none). */
  private static KerasTensor convBnRelu(KerasTensor x, int filters, int kernel, int strides,
      Regularizer kernelRegularizer) {
    x = Conv2D.of(filters, kernel).strides(strides).padding("same").useBias(false)
        .kernelRegularizer(kernelRegularizer).apply(x);
    x = BatchNormalization.of().apply(x);
    return Activation.of(RELU).apply(x);
  }

  /**
   * "2 Conv+pooling+BN" of the Fashion-MNIST benchmark table: two convolution blocks with
   * BatchNormalization and max pooling, then a dense layer with Dropout.
   */
  public static Model twoConvBn() {
    KerasTensor image = Input.of(28, 28, 1).name("image").tensor();
    KerasTensor x = MaxPooling2D.of(2).apply(convBnRelu(image, 32, 3, 1));
    x = MaxPooling2D.of(2).apply(convBnRelu(x, 64, 3, 1));
    x = Flatten.of().apply(x);
    x = Dropout.of(0.3).apply(x);
    x = Dense.of(128).useBias(false).apply(x);
    x = Activation.of(RELU).apply(BatchNormalization.of().apply(x));
    x = Dropout.of(0.5).apply(x);
    return Model.of("two_conv_bn", List.of(image),
        List.of(Dense.of(10).activation(SOFTMAX).apply(x)));
  }

  /** VGG's pattern: stacks of 3x3 convolutions, max pooling, channels doubled after each. */
  public static Sequential vgg() {
    Sequential model = Sequential.named("vgg").add(Input.of(28, 28, 1));
    for (int filters : new int[] {32, 64}) {
      model.add(Conv2D.of(filters, 3).padding("same").activation(RELU))
          .add(Conv2D.of(filters, 3).padding("same").activation(RELU))
          .add(MaxPooling2D.of(2));
    }
    return model.add(Flatten.of()).add(Dense.of(256).activation(RELU)).add(Dropout.of(0.5))
        .add(Dense.of(10).activation(SOFTMAX));
  }

  /**
   * ResNet's residual block: two 3x3 convolutions with BatchNormalization added to the
   * shortcut, then ReLU. When the shape changes (strides or channels) the shortcut is a 1x1
   * projection with BatchNormalization.
   */
  public static KerasTensor residualBlock(KerasTensor x, int filters, int strides) {
    return residualBlock(x, filters, strides, null);
  }

  /** {@link #residualBlock} with a regularizer on every kernel ({@code null} for none). */
  public static KerasTensor residualBlock(KerasTensor x, int filters, int strides,
      Regularizer kernelRegularizer) {
    KerasTensor shortcut = x;
    if (strides != 1 || x.shape().get(3) != filters) {
      shortcut = Conv2D.of(filters, 1).strides(strides).useBias(false)
          .kernelRegularizer(kernelRegularizer).apply(x);
      shortcut = BatchNormalization.of().apply(shortcut);
    }
    KerasTensor y = convBnRelu(x, filters, 3, strides, kernelRegularizer);
    y = Conv2D.of(filters, 3).padding("same").useBias(false)
        .kernelRegularizer(kernelRegularizer).apply(y);
    y = BatchNormalization.of().apply(y);
    return Activation.of(RELU).apply(Add.of().apply(y, shortcut));
  }

  /** A small ResNet: a stem, three stages of two residual blocks, global pooling. */
  public static Model smallResNet() {
    return smallResNet(0);
  }

  /**
   * {@link #smallResNet()} with L2 regularization of factor {@code l2} on every kernel (weight
   * decay as Keras writes it: {@code l2 * sum(w^2)} added to the loss); 0 for none.
   */
  public static Model smallResNet(double l2) {
    Regularizer decay = l2 > 0 ? Regularizers.l2(l2) : null;
    KerasTensor image = Input.of(28, 28, 1).name("image").tensor();
    KerasTensor x = convBnRelu(image, 32, 3, 1, decay);
    int[][] stages = {{32, 1}, {64, 2}, {128, 2}};
    for (int[] stage : stages) {
      x = residualBlock(x, stage[0], stage[1], decay);
      x = residualBlock(x, stage[0], 1, decay);
    }
    x = GlobalAveragePooling2D.of().apply(x);
    Dense classifier = Dense.of(10).activation(SOFTMAX).kernelRegularizer(decay);
    return Model.of("resnet", List.of(image), List.of(classifier.apply(x)));
  }

  /**
   * The Inception module: parallel 1x1, 3x3 and 5x5 convolutions (the larger ones after a 1x1
   * reduction) and a pooled branch, joined along the channels.
   */
  public static KerasTensor inceptionModule(KerasTensor x, int f1, int f3Reduce, int f3,
      int f5Reduce, int f5, int poolProjection) {
    KerasTensor branch1 = Conv2D.of(f1, 1).activation(RELU).apply(x);
    KerasTensor branch3 = Conv2D.of(f3Reduce, 1).activation(RELU).apply(x);
    branch3 = Conv2D.of(f3, 3).padding("same").activation(RELU).apply(branch3);
    KerasTensor branch5 = Conv2D.of(f5Reduce, 1).activation(RELU).apply(x);
    branch5 = Conv2D.of(f5, 5).padding("same").activation(RELU).apply(branch5);
    KerasTensor pool = MaxPooling2D.of(3).strides(1).padding("same").apply(x);
    pool = Conv2D.of(poolProjection, 1).activation(RELU).apply(pool);
    return Concatenate.of().apply(branch1, branch3, branch5, pool);
  }

  /** A stem, two Inception modules with pooling between, global pooling. */
  public static Model inception() {
    KerasTensor image = Input.of(28, 28, 1).name("image").tensor();
    KerasTensor x = convBnRelu(image, 32, 3, 1);
    x = inceptionModule(x, 16, 24, 32, 4, 8, 8);
    x = MaxPooling2D.of(2).apply(x);
    x = inceptionModule(x, 32, 32, 48, 8, 16, 16);
    x = GlobalAveragePooling2D.of().apply(x);
    return Model.of("inception", List.of(image),
        List.of(Dense.of(10).activation(SOFTMAX).apply(x)));
  }

  /**
   * MobileNet's depthwise separable block: a 3x3 depthwise convolution and a 1x1 pointwise
   * one, each followed by BatchNormalization and ReLU6.
   */
  public static KerasTensor mobileNetBlock(KerasTensor x, int filters, int strides) {
    x = DepthwiseConv2D.of(3).strides(strides).padding("same").useBias(false).apply(x);
    x = ReLU.of().maxValue(6).apply(BatchNormalization.of().apply(x));
    x = Conv2D.of(filters, 1).useBias(false).apply(x);
    return ReLU.of().maxValue(6).apply(BatchNormalization.of().apply(x));
  }

  /** A small MobileNet: a stem and four depthwise separable blocks. */
  public static Model mobileNet() {
    KerasTensor image = Input.of(28, 28, 1).name("image").tensor();
    KerasTensor x = convBnRelu(image, 32, 3, 1);
    x = mobileNetBlock(x, 64, 1);
    x = mobileNetBlock(x, 128, 2);
    x = mobileNetBlock(x, 128, 1);
    x = mobileNetBlock(x, 256, 2);
    x = GlobalAveragePooling2D.of().apply(x);
    x = Dropout.of(0.2).apply(x);
    return Model.of("mobilenet", List.of(image),
        List.of(Dense.of(10).activation(SOFTMAX).apply(x)));
  }
}
