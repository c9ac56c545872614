package io.jeras.layers.merging;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import io.jeras.utils.Shapes;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' elementwise merge layers ({@link Add}, {@link Multiply}, {@link Average},
 * {@link Maximum}, ...): several inputs of the same rank combined element by element. As in
 * Keras, a dimension of 1 broadcasts against any other; other sizes must be equal. No weights.
 */
public abstract class Merge<L extends Merge<L>> extends Layer<L> {

  protected Merge(LayerOptions options) {
    super(options);
  }

  /** Combines two tensors (applied left to right over the inputs). */
  protected abstract Operand<TFloat32> combine(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b);

  /**
   * Keras' {@code supports_masking}: the inputs' masks pass on, combined by a logical or (none
   * when an input has none), as Keras' {@code Merge.compute_mask}.
   */
  @Override
  public boolean propagatesMask() {
    return true;
  }

  /** The minimum number of inputs (2 for most merges). */
  protected int minInputs() {
    return 2;
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    throw new IllegalArgumentException(className()
        + " merges a list of at least " + minInputs() + " inputs; it got a single input "
        + Shapes.format(input));
  }

  @Override
  protected Shape computeOutputShape(List<Shape> inputs) {
    checkArgument(inputs.size() >= minInputs(),
        "A %s layer should be called on a list of at least %s inputs. Received %s input(s)",
        className(), minInputs(), inputs.size());
    Shape result = inputs.get(0);
    for (Shape next : inputs.subList(1, inputs.size())) {
      checkArgument(next.numDimensions() == result.numDimensions(),
          "Inputs must have the same rank; received shapes %s", formatAll(inputs));
      long[] dims = new long[result.numDimensions()];
      dims[0] = result.get(0);
      for (int i = 1; i < dims.length; i++) {
        long a = result.get(i);
        long b = next.get(i);
        if (a < 0 || b < 0) {
          dims[i] = -1;
        } else if (a == 1 || b == 1 || a == b) {
          dims[i] = Math.max(a, b);
        } else {
          throw new IllegalArgumentException("Inputs have incompatible shapes. Received shapes "
              + formatAll(inputs));
        }
      }
      result = Shape.of(dims);
    }
    return result;
  }

  static String formatAll(List<Shape> shapes) {
    return shapes.stream().map(Shapes::format).toList().toString();
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    throw new IllegalArgumentException(className() + " needs a list of inputs");
  }

  @Override
  public Operand<TFloat32> call(CallContext context, List<Operand<TFloat32>> inputs) {
    Ops tf = context.tf();
    Operand<TFloat32> result = inputs.get(0);
    for (Operand<TFloat32> next : inputs.subList(1, inputs.size())) {
      result = combine(tf, result, next);
    }
    return result;
  }
}
