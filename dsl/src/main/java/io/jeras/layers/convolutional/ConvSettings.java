package io.jeras.layers.convolutional;

import io.jeras.activations.Activations;
import io.jeras.initializers.Initializers;
import io.jeras.layers.Padding;
import io.jeras.layers.Size2D;
import io.jeras.layers.WeightConfig;
import lombok.With;

/**
 * What the 2-D convolutions share: window, strides, padding, dilation, activation and bias.
 * Keras' defaults: strides 1, {@code valid}, dilation 1, linear, bias of zeros.
 */
@With
public record ConvSettings(Size2D kernelSize, Size2D strides, Padding padding,
    Size2D dilationRate, Activations activation, boolean useBias, WeightConfig bias) {

  /** Keras' defaults for a {@code kernelHeight x kernelWidth} window. */
  public static ConvSettings defaults(int kernelHeight, int kernelWidth) {
    return new ConvSettings(Size2D.of(kernelHeight, kernelWidth), Size2D.of(1), Padding.VALID,
        Size2D.of(1), Activations.LINEAR, true, WeightConfig.of(Initializers.zeros()));
  }
}
