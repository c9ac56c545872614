package io.jeras.layers.merging;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import io.jeras.utils.Shapes;
import java.util.List;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Concatenate}: its inputs joined along {@code axis} (default -1, the channels);
 * all other dimensions must match. The Inception module's join. No weights.
 *
 * <pre>{@code
 * KerasTensor joined = Concatenate.of().apply(branch1x1, branch3x3, branch5x5, branchPool);
 * }</pre>
 */
public final class Concatenate extends Layer<Concatenate> {
  private final int axis;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Concatenate(LayerOptions options, int axis) {
    super(options);
    this.axis = axis;
  }

  /** Joins along the last axis. */
  public static Concatenate of() {
    return new Concatenate(null, -1);
  }

  /** Joins along {@code axis} (negative counts from the end; 0, the batch, is not allowed). */
  public static Concatenate of(int axis) {
    return new Concatenate(null, axis);
  }

  public int axis() {
    return axis;
  }

  @Override
  protected Concatenate withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    throw new IllegalArgumentException("A `Concatenate` layer should be called on a list of"
        + " inputs; it got a single input " + Shapes.format(input));
  }

  @Override
  protected Shape computeOutputShape(List<Shape> inputs) {
    checkArgument(inputs.size() >= 2, "A `Concatenate` layer should be called on a list of at"
        + " least 2 inputs. Received %s input(s)", inputs.size());
    int rank = inputs.get(0).numDimensions();
    int at = axis < 0 ? rank + axis : axis;
    checkArgument(at >= 1 && at < rank, "axis %s is out of range for inputs of rank %s (the"
        + " batch axis cannot be concatenated)", axis, rank);
    long[] dims = inputs.get(0).asArray();
    for (Shape shape : inputs.subList(1, inputs.size())) {
      boolean matches = shape.numDimensions() == rank;
      for (int i = 1; matches && i < rank; i++) {
        long a = dims[i];
        long b = shape.get(i);
        if (i == at) {
          dims[i] = a < 0 || b < 0 ? -1 : a + b;
        } else if (a < 0 || b < 0) {
          dims[i] = Math.max(a, b);
        } else {
          matches = a == b;
        }
      }
      checkArgument(matches, "A `Concatenate` layer requires inputs with matching shapes except"
          + " for the concatenation axis. Received: input_shape=%s", Merge.formatAll(inputs));
    }
    return Shape.of(dims);
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    throw new IllegalArgumentException("Concatenate needs a list of inputs");
  }

  @Override
  public Operand<TFloat32> call(CallContext context, List<Operand<TFloat32>> inputs) {
    int rank = inputs.get(0).shape().numDimensions();
    return context.tf().concat(inputs, context.tf().constant(axis < 0 ? rank + axis : axis));
  }
}
