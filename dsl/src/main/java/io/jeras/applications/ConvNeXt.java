package io.jeras.applications;

import io.jeras.activations.Activations;
import io.jeras.applications.convnext.LayerScale;
import io.jeras.applications.convnext.StochasticDepth;
import io.jeras.layers.KerasTensor;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.core.Activation;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Input;
import io.jeras.layers.merging.Add;
import io.jeras.layers.normalization.LayerNormalization;
import io.jeras.layers.pooling.GlobalAveragePooling2D;
import io.jeras.layers.preprocessing.Normalization;
import io.jeras.models.Functional;
import io.jeras.models.Sequential;
import io.jeras.utils.Shapes;
import lombok.AccessLevel;
import lombok.Builder;

/**
 * Keras' {@code ConvNeXtTiny}, {@code Small}, {@code Base}, {@code Large} and {@code XLarge}
 * ({@code keras.applications.convnext}): a patchify stem and three downsampling blocks, each a
 * nested {@link Sequential} ({@code convnext_tiny_stem}, {@code
 * convnext_tiny_downsampling_block_0}, ...), and ConvNeXt blocks (7x7 depthwise convolution,
 * layer normalization, an MLP with GELU, {@link LayerScale}) added to their input. Keras adds
 * with {@code inputs + x}; Jeras with an {@link Add} layer named as Keras names that operation
 * ({@code add}, {@code add_1}, ...). The ImageNet normalization is inside the model unless
 * {@link #includePreprocessing(boolean) includePreprocessing(false)}, so {@link
 * #preprocessInput} is the identity. Without the top the features end with a layer
 * normalization (after the pooling, if any). At least 32x32.
 *
 * <pre>{@code
 * Model model = Applications.convNeXtTiny().includeTop(false).pooling("avg").build();
 * }</pre>
 */
public final class ConvNeXt extends ApplicationBuilder<ConvNeXt> {
  private static final String BASE = "https://storage.googleapis.com/tensorflow/"
      + "keras-applications/convnext/";
  private static final double LAYER_SCALE_INIT_VALUE = 1e-6;
  private static final double EPSILON = 1e-6;

  /** The five variants: Keras' name, blocks per stage and channels per stage. */
  enum Variant {
    TINY("convnext_tiny", new int[] {3, 3, 9, 3}, new int[] {96, 192, 384, 768}),
    SMALL("convnext_small", new int[] {3, 3, 27, 3}, new int[] {96, 192, 384, 768}),
    BASE("convnext_base", new int[] {3, 3, 27, 3}, new int[] {128, 256, 512, 1024}),
    LARGE("convnext_large", new int[] {3, 3, 27, 3}, new int[] {192, 384, 768, 1536}),
    XLARGE("convnext_xlarge", new int[] {3, 3, 27, 3}, new int[] {256, 512, 1024, 2048});

    final String kerasName;
    final int[] depths;
    final int[] projectionDims;

    Variant(String kerasName, int[] depths, int[] projectionDims) {
      this.kerasName = kerasName;
      this.depths = depths;
      this.projectionDims = projectionDims;
    }
  }

  private final Variant variant;
  private final boolean includePreprocessing;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private ConvNeXt(Arguments arguments, Variant variant, boolean includePreprocessing) {
    super(arguments);
    this.variant = variant;
    this.includePreprocessing = includePreprocessing;
  }

  static ConvNeXt of(Variant variant) {
    return new ConvNeXt(Arguments.DEFAULTS, variant, true);
  }

  @Override
  ConvNeXt with(Arguments arguments) {
    return toBuilder().arguments(arguments).build();
  }

  /**
   * Keras' {@code include_preprocessing}: whether the model starts by normalizing pixels 0..255
   * with ImageNet's mean and variance (default true; only with 3 channels).
   */
  public ConvNeXt includePreprocessing(boolean includePreprocessing) {
    return toBuilder().includePreprocessing(includePreprocessing).build();
  }

  /** Whether the model starts with the ImageNet normalization. */
  public boolean includePreprocessing() {
    return includePreprocessing;
  }

  /** Keras' name of the variant ({@code convnext_tiny}, ..., {@code convnext_xlarge}). */
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

  private static LayerNormalization layerNorm() {
    return LayerNormalization.of().epsilon(EPSILON);
  }

  /** A nested Sequential of {@code layers} taking {@code x}, applied to it. */
  private static KerasTensor sequential(String name, KerasTensor x,
      io.jeras.layers.Layer<?>... layers) {
    Sequential model = Sequential.named(name)
        .add(Input.of(Shapes.sampleShape(x.shape()).asArray()));
    for (io.jeras.layers.Layer<?> layer : layers) {
      model.add(layer);
    }
    return model.apply(x);
  }

  @Override
  Functional architecture() {
    long[] shape = obtainInputShape(224, 32);
    String name = modelName(variant.kerasName);
    int[] dims = variant.projectionDims;
    KerasNames names = new KerasNames();
    KerasTensor input = input(shape);
    KerasTensor x = input;
    if (includePreprocessing && shape[2] == 3) {
      x = Normalization.of(new double[] {0.485 * 255, 0.456 * 255, 0.406 * 255},
          new double[] {(0.229 * 255) * (0.229 * 255), (0.224 * 255) * (0.224 * 255),
              (0.225 * 255) * (0.225 * 255)}).name(name + "_prestem_normalization").apply(x);
    }
    for (int i = 0; i < 4; i++) {
      if (i == 0) {
        x = sequential(name + "_stem", x,
            Conv2D.of(dims[0], 4).strides(4).name(name + "_stem_conv"),
            layerNorm().name(name + "_stem_layernorm"));
      } else {
        x = sequential(name + "_downsampling_block_" + (i - 1), x,
            layerNorm().name(name + "_downsampling_layernorm_" + (i - 1)),
            Conv2D.of(dims[i], 2).strides(2).name(name + "_downsampling_conv_" + (i - 1)));
      }
      for (int j = 0; j < variant.depths[i]; j++) {
        x = block(names, x, dims[i], 0.0, name + "_stage_" + i + "_block_" + j);
      }
    }
    if (arguments.includeTop()) {
      validateActivation();
      x = GlobalAveragePooling2D.of().name(name + "_head_gap").apply(x);
      x = layerNorm().name(name + "_head_layernorm").apply(x);
      x = Dense.of(arguments.classes()).activation(arguments.classifierActivation())
          .name(name + "_head_dense").apply(x);
    } else {
      x = poolFeatures(names, x, null, null);
      x = names.auto(layerNorm()).apply(x);
    }
    return model(input, x, name);
  }

  /** Keras' {@code ConvNeXtBlock}: the block added to its input. */
  private static KerasTensor block(KerasNames names, KerasTensor inputs, int projectionDim,
      double dropPathRate, String name) {
    KerasTensor x = Conv2D.of(projectionDim, 7).padding("same").groups(projectionDim)
        .name(name + "_depthwise_conv").apply(inputs);
    x = layerNorm().name(name + "_layernorm").apply(x);
    x = Dense.of(4 * projectionDim).name(name + "_pointwise_conv_1").apply(x);
    x = Activation.of(Activations.GELU).name(name + "_gelu").apply(x);
    x = Dense.of(projectionDim).name(name + "_pointwise_conv_2").apply(x);
    x = LayerScale.of(LAYER_SCALE_INIT_VALUE, projectionDim).name(name + "_layer_scale")
        .apply(x);
    x = dropPathRate != 0
        ? StochasticDepth.of(dropPathRate).name(name + "_stochastic_depth").apply(x)
        : Activation.of(Activations.LINEAR).name(name + "_identity").apply(x);
    return Add.of().name(names.auto("add")).apply(inputs, x);
  }
}
