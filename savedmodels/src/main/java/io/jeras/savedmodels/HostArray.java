package io.jeras.savedmodels;

import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint16;
import org.tensorflow.types.TUint8;

/**
 * A signature's input or output on the Java side: a shape and its values in row-major order, in
 * the Java type that holds the dtype without loss: {@code float[]} for float32, float16 and
 * bfloat16, {@code double[]} for float64, {@code long[]} for every integer type (unsigned 64-bit
 * values keep their bits), {@code boolean[]} for bool, {@code byte[][]} for string. Converts
 * from what a caller hands over (NdArrays, Java arrays of any rank, scalars) and to and from
 * TensorFlow's tensors, slicing along the first axis for batching.
 */
record HostArray(DataType dtype, Shape shape, Object values) {

  /** {@code value} as the dtype {@code spec} wants, or an exception naming {@code where}. */
  static HostArray of(Object value, TensorSpec spec, String where) {
    DataType dtype = spec.dtype();
    Kind kind = Kind.of(dtype);
    if (kind == null) {
      throw new IllegalArgumentException(where + " is " + TensorSpec.dtypeName(dtype)
          + ", which Jeras cannot feed (complex, quantized and resource inputs are not"
          + " supported)");
    }
    if (value == null) {
      throw new IllegalArgumentException(where + " is null");
    }
    Collected collected = new Collected(kind, dtype, where);
    Shape shape = collect(value, collected, spec);
    return new HostArray(dtype, shape, collected.toValues());
  }

  /** The first-axis rows {@code [from, to)}; a rank-0 value is itself. */
  HostArray rows(int from, int to) {
    if (shape.numDimensions() == 0) {
      return this;
    }
    int row = Math.toIntExact(shape.size() / Math.max(1, shape.get(0)));
    Shape part = Shape.of(to - from).append(shape.subShape(1, shape.numDimensions()));
    int a = from * row;
    int b = to * row;
    Object slice = Array.newInstance(values.getClass().getComponentType(), b - a);
    System.arraycopy(values, a, slice, 0, b - a);
    return new HostArray(dtype, part, slice);
  }

  /** A new tensor of this dtype holding the values; the caller closes it. */
  Tensor toTensor() {
    return switch (dtype) {
      case DT_FLOAT -> TFloat32.tensorOf(shape, t -> t.copyFrom(DataBuffers.of((float[]) values,
          true, false)));
      case DT_HALF -> TFloat16.tensorOf(shape, t -> t.copyFrom(DataBuffers.of((float[]) values,
          true, false)));
      case DT_BFLOAT16 -> {
        // rounded to nearest as TensorFlow's own casts round (TBfloat16 would truncate)
        float[] v = (float[]) values;
        short[] bits = new short[v.length];
        for (int i = 0; i < v.length; i++) {
          bits[i] = RawRun.toBfloat16(v[i]);
        }
        yield TBfloat16.tensorOf(shape, t -> t.asRawTensor().data().asShorts()
            .write(bits, 0, bits.length));
      }
      case DT_DOUBLE -> TFloat64.tensorOf(shape, t -> t.copyFrom(DataBuffers.of(
          (double[]) values, true, false)));
      case DT_INT64 -> TInt64.tensorOf(shape, t -> t.copyFrom(DataBuffers.of((long[]) values,
          true, false)));
      case DT_INT32 -> TInt32.tensorOf(shape, t -> t.copyFrom(DataBuffers.of(
          ints((long[]) values), true, false)));
      case DT_UINT8 -> {
        long[] v = (long[]) values;
        byte[] bytes = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
          bytes[i] = (byte) v[i];
        }
        yield TUint8.tensorOf(shape, t -> t.copyFrom(DataBuffers.of(bytes, true, false)));
      }
      case DT_UINT16 -> {
        long[] v = (long[]) values;
        short[] shorts = new short[v.length];
        for (int i = 0; i < v.length; i++) {
          shorts[i] = (short) v[i];
        }
        yield TUint16.tensorOf(shape, t -> t.copyFrom(DataBuffers.of(shorts, true, false)));
      }
      case DT_BOOL -> TBool.tensorOf(shape, t -> t.copyFrom(DataBuffers.of((boolean[]) values,
          true, false)));
      case DT_STRING -> TString.tensorOfBytes(shape, DataBuffers.ofObjects((byte[][]) values));
      default -> throw new IllegalStateException("no tensor for " + dtype);
    };
  }

  /** The values of {@code tensor}, widened as the class comment says. */
  static HostArray of(Tensor tensor) {
    Shape shape = tensor.shape();
    int n = Math.toIntExact(shape.size());
    Object values;
    if (tensor instanceof TFloat32 || tensor instanceof TFloat16 || tensor instanceof TBfloat16) {
      float[] v = new float[n];
      ((FloatNdArray) tensor).copyTo(DataBuffers.of(v, false, false));
      values = v;
    } else if (tensor instanceof TFloat64 t) {
      double[] v = new double[n];
      t.copyTo(DataBuffers.of(v, false, false));
      values = v;
    } else if (tensor instanceof TInt64 t) {
      long[] v = new long[n];
      t.copyTo(DataBuffers.of(v, false, false));
      values = v;
    } else if (tensor instanceof TInt32 t) {
      int[] raw = new int[n];
      t.copyTo(DataBuffers.of(raw, false, false));
      values = Arrays.stream(raw).asLongStream().toArray();
    } else if (tensor instanceof TUint8 t) {
      byte[] raw = new byte[n];
      t.copyTo(DataBuffers.of(raw, false, false));
      long[] v = new long[n];
      for (int i = 0; i < n; i++) {
        v[i] = raw[i] & 0xFF;
      }
      values = v;
    } else if (tensor instanceof TUint16 t) {
      short[] raw = new short[n];
      t.copyTo(DataBuffers.of(raw, false, false));
      long[] v = new long[n];
      for (int i = 0; i < n; i++) {
        v[i] = raw[i] & 0xFFFF;
      }
      values = v;
    } else if (tensor instanceof TBool t) {
      boolean[] v = new boolean[n];
      t.copyTo(DataBuffers.of(v, false, false));
      values = v;
    } else if (tensor instanceof TString t) {
      byte[][] v = new byte[n][];
      t.asBytes().copyTo(DataBuffers.ofObjects(v));
      values = v;
    } else {
      throw new IllegalStateException("cannot read a " + tensor.dataType() + " tensor");
    }
    return new HostArray(tensor.dataType(), shape, values);
  }

  /** Rows of several batches, in order, as one array. */
  static HostArray concat(List<HostArray> parts) {
    HostArray first = parts.get(0);
    if (parts.size() == 1) {
      return first;
    }
    long rows = parts.stream().mapToLong(p -> p.shape.get(0)).sum();
    Shape shape = Shape.of(rows).append(first.shape.subShape(1, first.shape.numDimensions()));
    int n = Math.toIntExact(shape.size());
    Object all = Array.newInstance(first.values.getClass().getComponentType(), n);
    int offset = 0;
    for (HostArray part : parts) {
      int length = Array.getLength(part.values);
      System.arraycopy(part.values, 0, all, offset, length);
      offset += length;
    }
    return new HostArray(first.dtype, shape, all);
  }

  /**
   * The values as the NdArray a Java caller reads: float32/float16/bfloat16 as {@code
   * FloatNdArray}, float64 as {@code DoubleNdArray}, int8/int16/int32/uint8/uint16 as {@code
   * IntNdArray}, int64/uint32/uint64 as {@code LongNdArray}, bool as {@code BooleanNdArray},
   * string as {@code NdArray<byte[]>}.
   */
  NdArray<?> toNdArray() {
    if (values instanceof float[] v) {
      return NdArrays.wrap(shape, DataBuffers.of(v, true, false));
    }
    if (values instanceof double[] v) {
      return NdArrays.wrap(shape, DataBuffers.of(v, true, false));
    }
    if (values instanceof boolean[] v) {
      return NdArrays.wrap(shape, DataBuffers.of(v, true, false));
    }
    if (values instanceof byte[][] v) {
      return NdArrays.wrap(shape, DataBuffers.ofObjects(v));
    }
    long[] v = (long[]) values;
    return switch (dtype) {
      case DT_INT8, DT_INT16, DT_INT32, DT_UINT8, DT_UINT16 ->
          NdArrays.wrap(shape, DataBuffers.of(ints(v), true, false));
      default -> NdArrays.wrap(shape, DataBuffers.of(v, true, false));
    };
  }

  /** Values that fit in 32 bits (checked where they were collected or read), narrowed. */
  private static int[] ints(long[] values) {
    int[] ints = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      ints[i] = (int) values[i];
    }
    return ints;
  }

  /** How a dtype is held on the Java side; null for dtypes TensorFlow Java cannot hold. */
  private enum Kind {
    FLOATS, DOUBLES, INTEGERS, BOOLEANS, STRINGS;

    static Kind of(DataType dtype) {
      return switch (dtype) {
        case DT_FLOAT, DT_HALF, DT_BFLOAT16 -> FLOATS;
        case DT_DOUBLE -> DOUBLES;
        case DT_INT8, DT_INT16, DT_INT32, DT_INT64, DT_UINT8, DT_UINT16, DT_UINT32, DT_UINT64 ->
            INTEGERS;
        case DT_BOOL -> BOOLEANS;
        case DT_STRING -> STRINGS;
        default -> null;
      };
    }
  }

  /** The leaves of a value in row-major order, in the Java type of its kind. */
  private static final class Collected {
    final Kind kind;
    final DataType dtype;
    final String where;
    float[] floats = new float[16];
    double[] doubles = new double[16];
    long[] longs = new long[16];
    boolean[] booleans = new boolean[16];
    final List<byte[]> strings = new ArrayList<>();
    int size;

    Collected(Kind kind, DataType dtype, String where) {
      this.kind = kind;
      this.dtype = dtype;
      this.where = where;
    }

    private void room(int more) {
      int need = size + more;
      int capacity = switch (kind) {
        case FLOATS -> floats.length;
        case DOUBLES -> doubles.length;
        case INTEGERS -> longs.length;
        case BOOLEANS -> booleans.length;
        case STRINGS -> Integer.MAX_VALUE;
      };
      if (need > capacity) {
        int grown = Math.max(need, capacity * 2);
        switch (kind) {
          case FLOATS -> floats = Arrays.copyOf(floats, grown);
          case DOUBLES -> doubles = Arrays.copyOf(doubles, grown);
          case INTEGERS -> longs = Arrays.copyOf(longs, grown);
          case BOOLEANS -> booleans = Arrays.copyOf(booleans, grown);
          default -> { }
        }
      }
    }

    void addNumber(double value) {
      if (kind == Kind.INTEGERS) {
        throw new IllegalArgumentException(where + " expects " + TensorSpec.dtypeName(dtype)
            + " values, got floating-point numbers");
      }
      room(1);
      if (kind == Kind.FLOATS) {
        floats[size++] = (float) value;
      } else {
        doubles[size++] = value;
      }
    }

    void addInteger(long value) {
      room(1);
      switch (kind) {
        case FLOATS -> floats[size++] = value;
        case DOUBLES -> doubles[size++] = value;
        default -> {
          long min = switch (dtype) {
            case DT_INT8 -> Byte.MIN_VALUE;
            case DT_INT16 -> Short.MIN_VALUE;
            case DT_INT32 -> Integer.MIN_VALUE;
            case DT_UINT8, DT_UINT16, DT_UINT32, DT_UINT64 -> 0;
            default -> Long.MIN_VALUE;
          };
          long max = switch (dtype) {
            case DT_INT8 -> Byte.MAX_VALUE;
            case DT_INT16 -> Short.MAX_VALUE;
            case DT_INT32 -> Integer.MAX_VALUE;
            case DT_UINT8 -> 255;
            case DT_UINT16 -> 65535;
            case DT_UINT32 -> 0xFFFFFFFFL;
            default -> Long.MAX_VALUE;
          };
          if (value < min || value > max) {
            throw new IllegalArgumentException(where + " expects " + TensorSpec.dtypeName(dtype)
                + " values (" + min + " to " + max + "), got " + value + " at index " + size);
          }
          longs[size++] = value;
        }
      }
    }

    void addBoolean(boolean value) {
      room(1);
      booleans[size++] = value;
    }

    void addString(byte[] value) {
      strings.add(value);
      size++;
    }

    Object toValues() {
      return switch (kind) {
        case FLOATS -> Arrays.copyOf(floats, size);
        case DOUBLES -> Arrays.copyOf(doubles, size);
        case INTEGERS -> Arrays.copyOf(longs, size);
        case BOOLEANS -> Arrays.copyOf(booleans, size);
        case STRINGS -> strings.toArray(new byte[0][]);
      };
    }
  }

  /** Walks {@code value}, adding its leaves; returns its shape. */
  private static Shape collect(Object value, Collected out, TensorSpec spec) {
    String where = out.where;
    if (value == null) {
      addLeaf(null, out, spec);
    }
    if (value instanceof NdArray<?> array) {
      if (array instanceof FloatNdArray floats && out.kind == Kind.FLOATS) {
        int n = Math.toIntExact(array.shape().size());
        out.room(n);
        floats.copyTo(DataBuffers.of(out.floats, false, false).offset(out.size).narrow(n));
        out.size += n;
      } else {
        array.scalars().forEach(s -> addLeaf(s.getObject(), out, spec));
      }
      return array.shape();
    }
    if (value instanceof byte[] bytes && out.kind == Kind.STRINGS) {
      out.addString(bytes);
      return Shape.scalar();
    }
    if (value instanceof float[] floats && out.kind == Kind.FLOATS) {
      out.room(floats.length);
      System.arraycopy(floats, 0, out.floats, out.size, floats.length);
      out.size += floats.length;
      return Shape.of(floats.length);
    }
    if (value.getClass().isArray()) {
      int length = Array.getLength(value);
      Shape inner = null;
      for (int i = 0; i < length; i++) {
        Shape shape = collect(Array.get(value, i), out, spec);
        if (inner != null && !inner.equals(shape)) {
          throw new IllegalArgumentException(where + " is a ragged array: element " + i
              + " has shape " + shape + ", element 0 " + inner);
        }
        inner = shape;
      }
      if (inner == null) {
        // an empty array: the rest of the shape from the signature, where it is known
        long[] dims = spec.shape().isUnknown() ? new long[0] : spec.shape().asArray();
        long[] rest = dims.length > 1 ? Arrays.copyOfRange(dims, 1, dims.length) : new long[0];
        return Shape.of(0).append(Shape.of(Arrays.stream(rest).map(d -> Math.max(d, 0))
            .toArray()));
      }
      return Shape.of(length).append(inner);
    }
    addLeaf(value, out, spec);
    return Shape.scalar();
  }

  private static void addLeaf(Object leaf, Collected out, TensorSpec spec) {
    switch (out.kind) {
      case FLOATS, DOUBLES, INTEGERS -> {
        if (leaf instanceof Float || leaf instanceof Double) {
          out.addNumber(((Number) leaf).doubleValue());
          return;
        }
        if (leaf instanceof Byte b && out.dtype == DataType.DT_UINT8) {
          out.addInteger(b & 0xFF);   // Java's bytes hold uint8 data (pixels) as -128..127
          return;
        }
        if (leaf instanceof Long || leaf instanceof Integer || leaf instanceof Short
            || leaf instanceof Byte) {
          out.addInteger(((Number) leaf).longValue());
          return;
        }
      }
      case BOOLEANS -> {
        if (leaf instanceof Boolean b) {
          out.addBoolean(b);
          return;
        }
      }
      case STRINGS -> {
        if (leaf instanceof String text) {
          out.addString(text.getBytes(StandardCharsets.UTF_8));
          return;
        }
        if (leaf instanceof byte[] bytes) {
          out.addString(bytes);
          return;
        }
      }
      default -> { }
    }
    throw new IllegalArgumentException(out.where + " expects "
        + TensorSpec.dtypeName(spec.dtype()) + " values, got "
        + (leaf == null ? "null" : leaf.getClass().getSimpleName()));
  }
}
