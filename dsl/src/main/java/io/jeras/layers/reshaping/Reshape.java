package io.jeras.layers.reshaping;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import io.jeras.utils.Shapes;
import java.util.Arrays;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Keras' {@code Reshape}: each sample rearranged to {@code targetShape} (without the batch);
 * one dimension may be -1 and is inferred. The number of values must stay the same. No
 * weights.
 *
 * <pre>{@code
 * Reshape.of(7, 7, 64)
 * }</pre>
 */
public final class Reshape extends Layer<Reshape> {
  private final long[] targetShape;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Reshape(LayerOptions options, long[] targetShape) {
    super(options);
    this.targetShape = targetShape;
  }

  /** Samples reshaped to {@code targetShape}; at most one dimension may be -1. */
  public static Reshape of(long... targetShape) {
    checkArgument(targetShape.length > 0, "Reshape needs a target shape");
    long unknown = Arrays.stream(targetShape).filter(d -> d == -1).count();
    checkArgument(unknown <= 1 && Arrays.stream(targetShape).allMatch(d -> d == -1 || d > 0),
        "Invalid target_shape %s: dimensions must be positive, with at most one -1",
        Arrays.toString(targetShape));
    return new Reshape(null, targetShape.clone());
  }

  public long[] targetShape() {
    return targetShape.clone();
  }

  @Override
  protected Reshape withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    boolean known = Arrays.stream(Shapes.sampleShape(input).asArray()).allMatch(d -> d > 0);
    long inputSize = known ? Shapes.sampleSize(input) : -1;
    long fixed = Arrays.stream(targetShape).filter(d -> d > 0).reduce(1, (a, b) -> a * b);
    long[] dims = new long[targetShape.length + 1];
    dims[0] = input.get(0);
    for (int i = 0; i < targetShape.length; i++) {
      dims[i + 1] = targetShape[i];
      if (targetShape[i] == -1) {
        checkArgument(inputSize < 0 || inputSize % fixed == 0, "The total size of the input"
            + " (%s) is not divisible by the known dimensions of target_shape %s", inputSize,
            Arrays.toString(targetShape));
        dims[i + 1] = inputSize < 0 ? -1 : inputSize / fixed;
      }
    }
    checkArgument(inputSize < 0 || Shapes.sampleSize(Shape.of(dims)) == inputSize, "total size"
        + " of new array must be unchanged: input %s has %s values per sample, target_shape %s"
        + " has %s", Shapes.format(input), inputSize, Arrays.toString(targetShape),
        Shapes.sampleSize(Shape.of(dims)));
    return Shape.of(dims);
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    var tf = context.tf();
    long[] dims = outputShape(input.shape()).asArray();
    if (Arrays.stream(dims).skip(1).allMatch(d -> d > 0)) {
      dims[0] = -1;
      return tf.reshape(input, tf.constant(dims));
    }
    // An inferred dimension of unknown size: the batch size comes from the input at run time.
    Operand<TInt64> batch = tf.slice(tf.shape(input, TInt64.class), tf.constant(new long[] {0}),
        tf.constant(new long[] {1}));
    return tf.reshape(input, tf.concat(java.util.List.of(batch, tf.constant(targetShape)),
        tf.constant(0)));
  }
}
