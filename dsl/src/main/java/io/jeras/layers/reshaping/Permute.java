package io.jeras.layers.reshaping;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import io.jeras.utils.Shapes;
import java.util.Arrays;
import java.util.stream.IntStream;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code Permute}: the axes of each sample reordered by {@code dims}, a permutation of
 * {@code 1 .. rank - 1} (the batch axis stays first). {@code Permute.of(2, 1)} swaps the two
 * axes of a sequence: {@code (batch, 10, 64) -> (batch, 64, 10)}. No weights.
 *
 * <pre>{@code
 * Permute.of(2, 1)
 * }</pre>
 */
public final class Permute extends Layer<Permute> {
  private final int[] dims;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private Permute(LayerOptions options, int[] dims) {
    super(options);
    this.dims = dims;
  }

  /**
   * Output axis {@code i + 1} is input axis {@code dims[i]}; {@code dims} holds each of {@code
   * 1 .. dims.length} once.
   */
  public static Permute of(int... dims) {
    int[] sorted = dims.clone();
    Arrays.sort(sorted);
    checkArgument(dims.length > 0 && Arrays.equals(sorted,
        IntStream.rangeClosed(1, dims.length).toArray()), "Invalid permutation argument `dims` for"
        + " Permute Layer. The set of indices in `dims` must be consecutive and start from 1."
        + " Received dims=%s", tuple(dims));
    return new Permute(null, dims.clone());
  }

  private static String tuple(int[] dims) {
    return dims.length == 1 ? "(" + dims[0] + ",)"
        : Arrays.toString(dims).replace('[', '(').replace(']', ')');
  }

  /** The permutation of the sample axes (1-based). */
  public int[] dims() {
    return dims.clone();
  }

  @Override
  protected Permute withOptions(LayerOptions options) {
    return toBuilder().options(options).build();
  }

  @Override
  protected Shape computeOutputShape(Shape input) {
    checkArgument(input.numDimensions() == dims.length + 1, "expected ndim=%s, found ndim=%s."
        + " Full shape received: %s", dims.length + 1, input.numDimensions(),
        Shapes.format(input));
    long[] out = new long[dims.length + 1];
    out[0] = input.get(0);
    for (int i = 0; i < dims.length; i++) {
      out[i + 1] = input.get(dims[i]);
    }
    return Shape.of(out);
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> input) {
    var tf = context.tf();
    int[] perm = new int[dims.length + 1];
    System.arraycopy(dims, 0, perm, 1, dims.length);
    return tf.linalg.transpose(input, tf.constant(perm));
  }
}
