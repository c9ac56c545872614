package io.jeras.applications.inceptionresnetv2;

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
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * InceptionResNetV2's {@code CustomScaleLayer}
 * ({@code keras.src.applications.inception_resnet_v2.CustomScaleLayer}): two inputs, the
 * shortcut {@code x} and the residual {@code r}, combined as {@code x + r * scale}. The shapes
 * broadcast as NumPy's do (equal in InceptionResNetV2). No weights.
 *
 * <pre>{@code
 * CustomScaleLayer.of(0.17).apply(shortcut, residual)
 * }</pre>
 */
public final class CustomScaleLayer extends Layer<CustomScaleLayer> {
  private final double scale;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private CustomScaleLayer(LayerOptions options, double scale) {
    super(options);
    this.scale = scale;
  }

  /** {@code inputs[0] + inputs[1] * scale}. */
  public static CustomScaleLayer of(double scale) {
    return new CustomScaleLayer(null, scale);
  }

  /** The factor of the second input. */
  public double scale() {
    return scale;
  }

  @Override
  protected CustomScaleLayer withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    throw new IllegalArgumentException("CustomScaleLayer takes two inputs [x, residual], got 1");
  }

  @Override
  protected Shape computeOutputShape(List<Shape> inputs) {
    checkArgument(inputs.size() == 2, "CustomScaleLayer takes two inputs [x, residual], got %s",
        inputs.size());
    Shape a = inputs.get(0);
    Shape b = inputs.get(1);
    int rank = Math.max(a.numDimensions(), b.numDimensions());
    long[] dims = new long[rank];
    for (int i = 1; i <= rank; i++) {
      long x = i <= a.numDimensions() ? a.get(a.numDimensions() - i) : 1;
      long y = i <= b.numDimensions() ? b.get(b.numDimensions() - i) : 1;
      long d;
      if (x == 1) {
        d = y;
      } else if (y == 1 || x == y) {
        d = x;
      } else if (x < 0 || y < 0) {
        d = Math.max(x, y);
      } else {
        throw new IllegalArgumentException("Inputs have incompatible shapes. Received shapes "
            + Shapes.format(a) + " and " + Shapes.format(b));
      }
      dims[rank - i] = d;
    }
    return Shape.of(dims);
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    throw new IllegalArgumentException("CustomScaleLayer takes two inputs [x, residual], got 1");
  }

  @Override
  public Operand<TFloat32> call(CallContext context, List<Operand<TFloat32>> inputs) {
    checkArgument(inputs.size() == 2, "CustomScaleLayer takes two inputs [x, residual], got %s",
        inputs.size());
    Ops tf = context.tf();
    return tf.math.add(inputs.get(0), tf.math.mul(inputs.get(1), tf.constant((float) scale)));
  }
}
