package io.jeras.bridge;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * The value of a float32 or int64 variable held on the Java heap: its shape and its values in
 * row-major order. Exactly one of {@link #floats()} and {@link #longs()} is non-null.
 */
public record HostValue(Shape shape, float[] floats, long[] longs) {

  public HostValue {
    checkArgument((floats == null) != (longs == null), "exactly one of floats and longs is set");
    long size = floats != null ? floats.length : longs.length;
    checkArgument(shape.size() == size, "shape %s holds %s values, got %s", shape, shape.size(), size);
  }

  public static HostValue of(Shape shape, float[] values) {
    return new HostValue(shape, values, null);
  }

  public static HostValue ofLongs(Shape shape, long[] values) {
    return new HostValue(shape, null, values);
  }

  /** A copy of a tensor's contents. */
  public static HostValue copyOf(Tensor tensor) {
    if (tensor instanceof TFloat32) {
      return of(tensor.shape(), Tensors.toFloats(tensor));
    }
    if (tensor instanceof TInt64) {
      return ofLongs(tensor.shape(), Tensors.toLongs(tensor));
    }
    throw new IllegalArgumentException("unsupported variable type " + tensor.dataType());
  }

  /** A new tensor holding these values; the caller closes it. */
  public Tensor toTensor() {
    return floats != null ? Tensors.floats(floats, shape) : Tensors.longs(longs, shape);
  }

  /** The TensorFlow type of these values. */
  public Class<? extends TType> type() {
    return floats != null ? TFloat32.class : TInt64.class;
  }

  /** Whether both hold the same type, shape and values. */
  public boolean sameAs(HostValue other) {
    return shape.equals(other.shape)
        && Arrays.equals(floats, other.floats)
        && Arrays.equals(longs, other.longs);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostValue other && sameAs(other);
  }

  @Override
  public int hashCode() {
    return 31 * shape.hashCode() + (floats != null ? Arrays.hashCode(floats) : Arrays.hashCode(longs));
  }

  @Override
  public String toString() {
    return (floats != null ? "float32" : "int64") + shape;
  }
}
