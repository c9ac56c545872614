package io.jeras.data;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.utils.Shapes;
import org.tensorflow.ndarray.ByteNdArray;
import org.tensorflow.ndarray.DoubleNdArray;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.LongNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;

/**
 * Samples held in memory as float32, first dimension = sample: what {@code fit},
 * {@code evaluate} and {@code predict} consume, and how batches are cut from it.
 *
 * <p>Any numeric {@link NdArray} converts (int labels become floats: exact up to 2^24); the
 * values are copied once, so later changes to the source do not affect training.
 */
public final class ArrayData {
  private final float[] values;
  private final Shape shape;
  private final int sampleSize;

  private ArrayData(float[] values, Shape shape) {
    checkArgument(shape.numDimensions() >= 1, "data needs a sample dimension, got a scalar");
    checkArgument(!shape.hasUnknownDimension(), "data shape must be known, got %s", shape);
    checkArgument(shape.size() == values.length, "shape %s holds %s values, got %s", shape,
        shape.size(), values.length);
    this.values = values;
    this.shape = shape;
    this.sampleSize = Math.toIntExact(Shapes.sampleSize(shape));
  }

  /** Wraps {@code values} (not copied) as samples of shape {@code shape[1:]}. */
  public static ArrayData wrap(float[] values, Shape shape) {
    return new ArrayData(values, shape);
  }

  /** A float copy of any numeric NdArray. */
  public static ArrayData copyOf(NdArray<?> array) {
    float[] values = new float[Math.toIntExact(array.shape().size())];
    if (array instanceof FloatNdArray floats) {
      floats.copyTo(DataBuffers.of(values, false, false));
    } else if (array instanceof IntNdArray ints) {
      int[] raw = new int[values.length];
      ints.copyTo(DataBuffers.of(raw, false, false));
      for (int i = 0; i < raw.length; i++) {
        values[i] = raw[i];
      }
    } else if (array instanceof LongNdArray longs) {
      long[] raw = new long[values.length];
      longs.copyTo(DataBuffers.of(raw, false, false));
      for (int i = 0; i < raw.length; i++) {
        values[i] = raw[i];
      }
    } else if (array instanceof DoubleNdArray doubles) {
      double[] raw = new double[values.length];
      doubles.copyTo(DataBuffers.of(raw, false, false));
      for (int i = 0; i < raw.length; i++) {
        values[i] = (float) raw[i];
      }
    } else if (array instanceof ByteNdArray bytes) {
      byte[] raw = new byte[values.length];
      bytes.copyTo(DataBuffers.of(raw, false, false));
      for (int i = 0; i < raw.length; i++) {
        values[i] = raw[i] & 0xff;
      }
    } else {
      throw new IllegalArgumentException("expected a numeric NdArray (float, double, int, long or"
          + " uint8), got " + array.getClass().getSimpleName());
    }
    return new ArrayData(values, array.shape());
  }

  /** Number of samples. */
  public int size() {
    return Math.toIntExact(shape.get(0));
  }

  /** The full shape, samples first. */
  public Shape shape() {
    return shape;
  }

  /** The shape of one sample. */
  public Shape sampleShape() {
    return Shapes.sampleShape(shape);
  }

  /** Samples {@code [from, to)} as new data (copied). */
  public ArrayData slice(int from, int to) {
    checkArgument(0 <= from && from <= to && to <= size(), "slice [%s, %s) of %s samples", from,
        to, size());
    float[] part = java.util.Arrays.copyOfRange(values, from * sampleSize, to * sampleSize);
    return new ArrayData(part, Shape.of(to - from).append(sampleShape()));
  }

  /** The same values viewed with another sample shape of the same size. */
  public ArrayData reshapeSamples(Shape sampleShape) {
    checkArgument(sampleShape.size() == sampleSize, "cannot view samples of %s as %s",
        sampleShape(), sampleShape);
    return new ArrayData(values, Shape.of(size()).append(sampleShape));
  }

  /**
   * A tensor of the samples {@code order[from .. to)}, shaped {@code (to - from, ...sample)}
   * ({@code order} null: samples {@code from .. to} in place). The caller closes it.
   */
  public TFloat32 batch(int[] order, int from, int to) {
    TFloat32 tensor = TFloat32.tensorOf(Shape.of(to - from).append(sampleShape()));
    try {
      FloatDataBuffer buffer = tensor.asRawTensor().data().asFloats();
      if (order == null) {
        buffer.write(values, from * sampleSize, (to - from) * sampleSize);
      } else {
        for (int i = from; i < to; i++) {
          buffer.offset((long) (i - from) * sampleSize).write(values, order[i] * sampleSize,
              sampleSize);
        }
      }
      return tensor;
    } catch (RuntimeException e) {
      tensor.close();
      throw e;
    }
  }

  /** The values as a float NdArray (sharing this data's memory). */
  public FloatNdArray toNdArray() {
    return NdArrays.wrap(shape, DataBuffers.of(values, true, false));
  }

  /** The value at flat index {@code i}. */
  public float get(int i) {
    return values[i];
  }
}
