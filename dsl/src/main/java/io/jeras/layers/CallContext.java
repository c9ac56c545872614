package io.jeras.layers;

import io.jeras.activations.Activations;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/** What a layer sees while it emits its ops into a model's graph. */
public interface CallContext {

  /** The op builder, scoped at the layer's name. */
  Ops tf();

  /** Whether these ops are the training forward pass (Dropout active) or inference. */
  boolean training();

  /**
   * The value of the layer's weight named {@code name} in its {@link Layer#weights} list, in the
   * type the layer computes in (cast from the float32 variable under a mixed policy).
   */
  Operand<TFloat32> weight(String name);

  /** The variable behind weight {@code name}, for layers that update state (BatchNorm). */
  Variable<TFloat32> variable(String name);

  /** Runs {@code update} with every training step (training pass only; BatchNorm statistics). */
  void addUpdate(Op update);

  /**
   * The context of a layer nested in this one (a model used as a layer): ops scoped under
   * {@code name}, weights looked up under {@code name/} and read in {@code computeType} (null:
   * as stored). With {@code training} false the layer runs in inference mode even while the
   * outer model trains: Keras' {@code base(x, training=False)} (no Dropout, BatchNormalization
   * on its moving statistics, no updates).
   */
  CallContext child(String name, long seed, boolean training,
      Class<? extends TFloating> computeType);

  /** A seed for this layer's random ops, fixed for the model's graph. */
  long seed();

  /**
   * Applies an activation. Softmax and sigmoid outputs remember their logits, so a
   * cross-entropy loss on them is computed from the logits, as Keras does.
   */
  Operand<TFloat32> activate(Activations activation, Operand<TFloat32> x);

  /**
   * Adds {@code bias} to a product the layer just computed and nothing else reads (its
   * convolution or matrix product), then applies the activation. In the training pass a ReLU
   * comes fused with the product and the bias ({@code io.jeras.bridge.FusedOps}), the kernel
   * TensorFlow's optimizer would choose if the gradients did not prevent it.
   */
  Operand<TFloat32> biasAndActivate(Activations activation, Operand<TFloat32> product,
      Operand<TFloat32> bias);

  /**
   * A value built once per model graph under {@code key} and shared by the inference and
   * training passes (for example a frozen subgraph both passes read).
   */
  <T> T shared(String key, Supplier<T> builder);

  /** Runs {@code action} once the model's session exists and its weights are written. */
  void onSessionStart(Consumer<Session> action);

  /**
   * Keras' mask of this call's (first) input: {@code (batch, steps)} booleans, true where a
   * step is real (Embedding with {@code mask_zero}, Masking); null when it has none. Layers
   * that use masks (recurrent layers, GlobalAveragePooling1D) read it.
   */
  default Operand<TBool> inputMask() {
    return null;
  }

  /** This context with {@code mask} as its input's mask. */
  default CallContext withInputMask(Operand<TBool> mask) {
    return this;
  }

  /**
   * Gives this call's output a mask (a layer that makes or changes one); otherwise a layer that
   * {@link Layer#propagatesMask propagates} masks passes its input's on.
   */
  default void setOutputMask(Operand<TBool> mask) {
    throw new UnsupportedOperationException("this context carries no masks");
  }

  /** The mask set by {@link #setOutputMask}, or null. */
  default Operand<TBool> outputMask() {
    return null;
  }
}
