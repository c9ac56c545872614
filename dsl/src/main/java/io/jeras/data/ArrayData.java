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
import org.tensorflow.ndarray.impl.dense.FloatDenseNdArray;
import org.tensorflow.types.TFloat32;

/**
 * Samples held in memory as float32, first dimension = sample: what {@code fit},
 * {@code evaluate} and {@code predict} consume, and how batches are cut from it.
 *
 * <p>A dense float {@link NdArray} is used in place, without a copy (do not change it while a
 * model trains on it); any other numeric array is converted to floats once (int labels stay
 * exact up to 2^24).
 */
public final class ArrayData {
  private final FloatDataBuffer values;
  private final Shape shape;
  private final int sampleSize;

  private ArrayData(FloatDataBuffer values, Shape shape) {
    checkArgument(shape.numDimensions() >= 1, "data needs a sample dimension, got a scalar");
    checkArgument(!shape.hasUnknownDimension(), "data shape must be known, got %s", shape);
    checkArgument(shape.size() == values.size(), "shape %s holds %s values, got %s", shape,
        shape.size(), values.size());
    this.values = values;
    this.shape = shape;
    this.sampleSize = Math.toIntExact(Shapes.sampleSize(shape));
  }

  /** Wraps {@code values} (not copied) as samples of shape {@code shape[1:]}. */
  public static ArrayData wrap(float[] values, Shape shape) {
    return new ArrayData(DataBuffers.of(values, true, false), shape);
  }

  /** A view of a dense float NdArray, or a float copy of any other numeric NdArray. */
  public static ArrayData of(NdArray<?> array) {
    if (array instanceof FloatDenseNdArray dense && dense.buffer().size() == array.size()) {
      return new ArrayData(dense.buffer(), array.shape());   // the whole buffer, in order
    }
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
    return wrap(values, array.shape());
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

  /** Samples {@code [from, to)}, sharing these values. */
  public ArrayData slice(int from, int to) {
    checkArgument(0 <= from && from <= to && to <= size(), "slice [%s, %s) of %s samples", from,
        to, size());
    return new ArrayData(values.slice((long) from * sampleSize, (long) (to - from) * sampleSize),
        Shape.of(to - from).append(sampleShape()));
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
        long size = (long) (to - from) * sampleSize;
        values.slice((long) from * sampleSize, size).copyTo(buffer, size);
      } else {
        for (int i = from; i < to; i++) {
          values.slice((long) order[i] * sampleSize, sampleSize)
              .copyTo(buffer.offset((long) (i - from) * sampleSize), sampleSize);
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
    return NdArrays.wrap(shape, values);
  }

  /** Copies sample {@code sample} into {@code target} from {@code offset} on. */
  void copySample(int sample, float[] target, int offset) {
    values.slice((long) sample * sampleSize, sampleSize).read(target, offset, sampleSize);
  }

  /** The number of values in one sample. */
  int sampleSize() {
    return sampleSize;
  }

  /** The value at flat index {@code i}. */
  public float get(long i) {
    return values.getFloat(i);
  }
}
