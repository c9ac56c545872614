package io.jeras.data;

import static com.google.common.base.Preconditions.checkArgument;

import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Java arrays as the TensorFlow Java {@code NdArray}s that {@code fit}, {@code evaluate} and
 * {@code predict} take (wrapped, not copied).
 *
 * <pre>{@code
 * FloatNdArray x = Data.floats(pixels, 60000, 28, 28, 1);
 * IntNdArray y = Data.ints(labels);
 * }</pre>
 */
public final class Data {
  private Data() {}

  /** {@code values} viewed as an array of {@code shape} (samples first). */
  public static FloatNdArray floats(float[] values, long... shape) {
    Shape s = Shape.of(shape);
    checkArgument(s.size() == values.length, "shape %s holds %s values, got %s",
        s, s.size(), values.length);
    return NdArrays.wrap(s, DataBuffers.of(values, true, false));
  }

  /** Class labels as a vector. */
  public static IntNdArray ints(int... values) {
    return NdArrays.wrap(Shape.of(values.length), DataBuffers.of(values, true, false));
  }

  /** {@code values} viewed as an int array of {@code shape}. */
  public static IntNdArray ints(int[] values, long... shape) {
    Shape s = Shape.of(shape);
    checkArgument(s.size() == values.length, "shape %s holds %s values, got %s",
        s, s.size(), values.length);
    return NdArrays.wrap(s, DataBuffers.of(values, true, false));
  }

  /** All values of a float array, row-major. */
  public static float[] toFloatArray(FloatNdArray array) {
    float[] values = new float[Math.toIntExact(array.shape().size())];
    array.copyTo(DataBuffers.of(values, false, false));
    return values;
  }
}
