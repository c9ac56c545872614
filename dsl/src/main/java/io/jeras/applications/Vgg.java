package io.jeras.applications;

import io.jeras.activations.Activations;
import io.jeras.layers.KerasTensor;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.core.Dense;
import io.jeras.layers.pooling.MaxPooling2D;
import io.jeras.layers.reshaping.Flatten;
import io.jeras.models.Functional;
import lombok.AccessLevel;
import lombok.Builder;

/**
 * Keras' {@code VGG16} and {@code VGG19} ({@code keras.applications.vgg16/vgg19}): five blocks
 * of 3x3 ReLU convolutions ({@code block1_conv1}, ...) each ending in a 2x2 max pooling, and
 * with the top {@code flatten}, {@code fc1}, {@code fc2} (4096 units each) and
 * {@code predictions}. Default input 224x224x3, at least 32x32; with the top the input size is
 * fixed (the Flatten). Preprocessing: {@code caffe} (BGR, ImageNet means subtracted).
 *
 * <pre>{@code
 * Model model = Applications.vgg16().includeTop(false).inputShape(150, 150, 3).build();
 * }</pre>
 */
public final class Vgg extends ApplicationBuilder<Vgg> {
  private static final String BASE = "https://storage.googleapis.com/tensorflow/"
      + "keras-applications/";
  private final int depth;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Vgg(Arguments arguments, int depth) {
    super(arguments);
    this.depth = depth;
  }

  /** VGG16 (depth 16) or VGG19 (depth 19) with Keras' defaults. */
  static Vgg of(int depth) {
    return new Vgg(Arguments.DEFAULTS, depth);
  }

  /** 16 or 19. */
  public int depth() {
    return depth;
  }

  @Override
  Vgg with(Arguments arguments) {
    return toBuilder().arguments(arguments).build();
  }

  @Override
  Preprocessing preprocessing() {
    return Preprocessing.CAFFE;
  }

  @Override
  public String imagenetWeightsFile() {
    return "vgg" + depth + "_weights_tf_dim_ordering_tf_kernels"
        + (arguments.includeTop() ? "" : "_notop") + ".h5";
  }

  @Override
  public String imagenetWeightsUrl() {
    return BASE + "vgg" + depth + "/" + imagenetWeightsFile();
  }

  @Override
  Functional architecture() {
    long[] shape = obtainInputShape(224, 32);
    KerasNames names = new KerasNames();
    KerasTensor input = input(shape);
    int[] filters = {64, 128, 256, 512, 512};
    int[] convs = depth == 16 ? new int[] {2, 2, 3, 3, 3} : new int[] {2, 2, 4, 4, 4};
    KerasTensor x = input;
    for (int block = 1; block <= 5; block++) {
      for (int conv = 1; conv <= convs[block - 1]; conv++) {
        x = Conv2D.of(filters[block - 1], 3).activation(Activations.RELU).padding("same")
            .name("block" + block + "_conv" + conv).apply(x);
      }
      x = MaxPooling2D.of(2).strides(2).name("block" + block + "_pool").apply(x);
    }
    if (arguments.includeTop()) {
      x = Flatten.of().name("flatten").apply(x);
      x = Dense.of(4096).activation(Activations.RELU).name("fc1").apply(x);
      x = Dense.of(4096).activation(Activations.RELU).name("fc2").apply(x);
      x = classifier("predictions").apply(x);
    } else {
      x = poolFeatures(names, x, null, null);
    }
    return model(input, x, "vgg" + depth);
  }
}
