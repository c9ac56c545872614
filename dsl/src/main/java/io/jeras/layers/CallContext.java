package io.jeras.layers;

import io.jeras.activations.Activations;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** What a layer sees while it emits its ops into a model's graph. */
public interface CallContext {

  /** The op builder, scoped at the layer's name. */
  Ops tf();

  /** Whether these ops are the training forward pass (Dropout active) or inference. */
  boolean training();

  /** The value of the layer's weight named {@code name} in its {@link Layer#weights} list. */
  Operand<TFloat32> weight(String name);

  /** A seed for this layer's random ops, fixed for the model's graph. */
  long seed();

  /**
   * Applies an activation. Softmax and sigmoid outputs remember their logits, so a
   * cross-entropy loss on them is computed from the logits, as Keras does.
   */
  Operand<TFloat32> activate(Activations activation, Operand<TFloat32> x);
}
