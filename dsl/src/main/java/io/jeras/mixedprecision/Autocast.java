package io.jeras.mixedprecision;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.family.TType;

/**
 * Keras' autocasting, in one place for every way a layer is called: a layer's floating inputs
 * are cast to the type it computes in ({@link Layer#computeType()}), and a layer that computes
 * in float32 under a 16-bit policy (the normalizations, as in Keras) hands its output back in
 * the policy's type. Weights are cast where the layer reads them ({@link CallContext#weight}).
 *
 * <p>Layers' operands are typed {@code Operand<TFloat32>} throughout Jeras; under a mixed
 * policy they hold the compute type (TensorFlow Java's type parameters are not checked at run
 * time, the graph's types are). {@link #constant} gives a layer its constants in its inputs'
 * type.
 */
public final class Autocast {
  private Autocast() {}

  /** Calls {@code layer} on {@code inputs} cast as Keras casts them. */
  public static Operand<TFloat32> call(Layer<?> layer, CallContext context,
      List<Operand<TFloat32>> inputs) {
    Class<? extends TFloating> type = layer.computeType();
    if (type == null) {
      return layer.call(context, inputs);
    }
    List<Operand<TFloat32>> cast = new ArrayList<>(inputs.size());
    for (Operand<TFloat32> input : inputs) {
      cast.add(to(context.tf(), input, type));
    }
    Operand<TFloat32> output = layer.call(context, cast);
    return to(context.tf(), output, layer.dtypePolicy().computeType());
  }

  /** {@code x} in {@code type} (a cast when it is a floating tensor of another type). */
  @SuppressWarnings("unchecked")
  public static Operand<TFloat32> to(Ops tf, Operand<TFloat32> x,
      Class<? extends TFloating> type) {
    Class<? extends TType> actual = x.type();
    if (actual == type || !TFloating.class.isAssignableFrom(actual)) {
      return x;
    }
    return (Operand<TFloat32>) (Operand<?>) tf.dtypes.cast(x, type);
  }

  /** A scalar constant in the type of {@code like} (float32, float16 or bfloat16). */
  @SuppressWarnings("unchecked")
  public static Operand<TFloat32> constant(Ops tf, double value, Operand<?> like) {
    Operand<TFloat32> constant = tf.constant((float) value);
    Class<? extends TType> type = like.type();
    if (type == TFloat32.class || !TFloating.class.isAssignableFrom(type)) {
      return constant;
    }
    return (Operand<TFloat32>) (Operand<?>) tf.dtypes.cast(constant,
        (Class<? extends TFloating>) type);
  }
}
