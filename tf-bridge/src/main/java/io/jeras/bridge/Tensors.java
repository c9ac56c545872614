package io.jeras.bridge;

import static com.google.common.base.Preconditions.checkArgument;

import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Fast copies between Java arrays and TensorFlow tensors (one bulk native copy each way).
 *
 * <p>The caller owns every tensor returned here and must close it.
 */
public final class Tensors {
  private Tensors() {}

  /** A float tensor of {@code shape} holding {@code values[offset .. offset + shape.size())}. */
  public static TFloat32 floats(float[] values, int offset, Shape shape) {
    long size = shape.size();
    checkArgument(
        offset >= 0 && offset + size <= values.length,
        "shape %s needs %s values from offset %s, but the array holds %s",
        shape, size, offset, values.length);
    TFloat32 tensor = TFloat32.tensorOf(shape);
    try {
      tensor.asRawTensor().data().asFloats().write(values, offset, (int) size);
      return tensor;
    } catch (RuntimeException e) {
      tensor.close();
      throw e;
    }
  }

  /** A float tensor of {@code shape} holding all of {@code values}. */
  public static TFloat32 floats(float[] values, Shape shape) {
    checkArgument(
        shape.size() == values.length,
        "shape %s holds %s values, got %s", shape, shape.size(), values.length);
    return floats(values, 0, shape);
  }

  /** A long tensor of {@code shape} holding all of {@code values}. */
  public static TInt64 longs(long[] values, Shape shape) {
    checkArgument(
        shape.size() == values.length,
        "shape %s holds %s values, got %s", shape, shape.size(), values.length);
    TInt64 tensor = TInt64.tensorOf(shape);
    try {
      tensor.asRawTensor().data().asLongs().write(values, 0, values.length);
      return tensor;
    } catch (RuntimeException e) {
      tensor.close();
      throw e;
    }
  }

  /** All values of a float tensor, in row-major order. */
  public static float[] toFloats(Tensor tensor) {
    checkArgument(tensor instanceof TFloat32, "expected a float32 tensor, got %s", tensor.dataType());
    float[] values = new float[Math.toIntExact(tensor.shape().size())];
    tensor.asRawTensor().data().asFloats().read(values, 0, values.length);
    return values;
  }

  /** All values of an int64 tensor, in row-major order. */
  public static long[] toLongs(Tensor tensor) {
    checkArgument(tensor instanceof TInt64, "expected an int64 tensor, got %s", tensor.dataType());
    long[] values = new long[Math.toIntExact(tensor.shape().size())];
    tensor.asRawTensor().data().asLongs().read(values, 0, values.length);
    return values;
  }

  /** The single value of a float scalar (or one-element) tensor. */
  public static float toFloat(Tensor tensor) {
    checkArgument(tensor instanceof TFloat32, "expected a float32 tensor, got %s", tensor.dataType());
    checkArgument(tensor.shape().size() == 1, "expected one value, got shape %s", tensor.shape());
    return ((TFloat32) tensor).getFloat(new long[tensor.shape().numDimensions()]);
  }
}
