package io.jeras.layers.activations;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.activations.Activations;
import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.core.Sum;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Softmax} layer: {@code exp(x) / sum(exp(x))} along {@code axis} (default -1).
 * Over the last axis a cross-entropy loss after it is computed from its logits, as after a
 * {@code softmax} activation. No weights.
 *
 * <pre>{@code
 * Softmax.of()
 * }</pre>
 */
public final class Softmax extends Layer<Softmax> {
  private final int axis;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Softmax(LayerOptions options, int axis) {
    super(options);
    this.axis = axis;
  }

  public static Softmax of() {
    return of(-1);
  }

  public static Softmax of(int axis) {
    return new Softmax(null, axis);
  }

  public int axis() {
    return axis;
  }

  /** Keras' {@code supports_masking}: the input's mask passes on. */
  @Override
  public boolean propagatesMask() {
    return true;
  }

  @Override
  protected Softmax withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    int rank = input.numDimensions();
    checkArgument(axis >= -rank && axis < rank && (axis + rank) % rank != 0,
        "axis %s is out of range for input of rank %s (the batch axis is not allowed)", axis,
        rank);
    return input;
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    int rank = input.shape().numDimensions();
    if (axis == -1 || axis == rank - 1) {
      return context.activate(Activations.SOFTMAX, input);
    }
    Ops tf = context.tf();
    var along = tf.constant(new int[] {axis});
    Operand<TFloat32> shifted = tf.math.sub(input, tf.max(input, along, Max.keepDims(true)));
    Operand<TFloat32> exp = tf.math.exp(shifted);
    return tf.math.div(exp, tf.sum(exp, along, Sum.keepDims(true)));
  }
}
