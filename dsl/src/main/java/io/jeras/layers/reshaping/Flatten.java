package io.jeras.layers.reshaping;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import io.jeras.utils.Shapes;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Flatten}: each sample becomes a vector (row-major, channels last); the batch
 * dimension stays. No weights.
 *
 * <pre>{@code
 * Flatten.of()
 * }</pre>
 */
public final class Flatten extends Layer<Flatten> {

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Flatten(LayerOptions options) {
    super(options);
  }

  public static Flatten of() {
    return new Flatten(null);
  }

  @Override
  protected Flatten withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() >= 2, "Flatten expects input of rank >= 2, got rank %s",
        input.numDimensions());
    for (int i = 1; i < input.numDimensions(); i++) {
      checkArgument(input.get(i) > 0, "Flatten needs every non-batch dimension known");
    }
    return Shape.of(input.get(0), Shapes.sampleSize(input));
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    var tf = context.tf();
    long features = Shapes.sampleSize(input.shape());
    return tf.reshape(input, tf.constant(new long[] {-1, features}));
  }
}
