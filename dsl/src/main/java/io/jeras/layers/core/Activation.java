package io.jeras.layers.core;

import io.jeras.activations.Activations;
import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Activation} layer: applies an activation function, element-wise (softmax over
 * the last axis). No weights.
 *
 * <pre>{@code
 * Activation.of(RELU)      // or Activation.of("relu")
 * }</pre>
 */
public final class Activation extends Layer<Activation> {
  private final Activations activation;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Activation(LayerOptions options, Activations activation) {
    super(options);
    this.activation = activation;
  }

  public static Activation of(Activations activation) {
    return new Activation(null, activation);
  }

  public static Activation of(String activation) {
    return of(Activations.of(activation));
  }

  public Activations activation() {
    return activation;
  }

  /** Keras' {@code supports_masking}: the input's mask passes on. */
  @Override
  public boolean propagatesMask() {
    return true;
  }

  @Override
  protected Activation withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    return input;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    return context.activate(activation, input);
  }
}
