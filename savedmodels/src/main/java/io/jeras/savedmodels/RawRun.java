package io.jeras.savedmodels;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_AllocateTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Dim;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GraphOperationByName;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Message;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NumDims;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionRun;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TString_GetDataPointer;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TString_GetSize;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorByteSize;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorData;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorType;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Output;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.TF_TString;
import org.tensorflow.internal.c_api.TF_Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

/**
 * One session run through TensorFlow's C API (bound in TensorFlow Java's jar under {@code
 * org.tensorflow.internal.c_api}), for signatures with an input TensorFlow Java has no tensor
 * type for (int8, int16, uint32, uint64): the tensors are allocated and read here, byte by byte,
 * in TensorFlow's own layout. The session and graph handles are TensorFlow Java's (private
 * fields, read once by reflection; the version is pinned and {@code ServingSignaturesTest} calls
 * this path). String inputs are not written here; every output type is read.
 */
final class RawRun {
  private RawRun() {}

  private static final Field SESSION = handle(Session.class);
  private static final Field GRAPH = handle(Graph.class);

  private static Field handle(Class<?> type) {
    try {
      Field field = type.getDeclaredField("nativeHandle");
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("TensorFlow Java's " + type.getSimpleName()
          + " has no native handle field; this TensorFlow Java version is not supported", e);
    }
  }

  /** Whether a dtype must be fed through this path. */
  static boolean needed(DataType dtype) {
    return dtype == DataType.DT_INT8 || dtype == DataType.DT_INT16
        || dtype == DataType.DT_UINT32 || dtype == DataType.DT_UINT64;
  }

  static Map<String, HostArray> run(Session session, Graph graph, SignatureInfo signature,
      Map<String, HostArray> feeds) {
    TF_Session sessionHandle;
    TF_Graph graphHandle;
    try {
      sessionHandle = (TF_Session) SESSION.get(session);
      graphHandle = (TF_Graph) GRAPH.get(graph);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
    List<TensorSpec> outputs = new ArrayList<>(signature.outputs().values());
    int n = feeds.size();
    int m = outputs.size();
    List<TF_Tensor> inputTensors = new ArrayList<>();
    TF_Output inputs = new TF_Output(Math.max(1, n));
    PointerPointer<TF_Tensor> inputValues = new PointerPointer<>(Math.max(1, n));
    TF_Output fetches = new TF_Output(Math.max(1, m));
    PointerPointer<TF_Tensor> outputValues = new PointerPointer<>(Math.max(1, m));
    TF_Status status = TF_NewStatus();
    try {
      int i = 0;
      for (Map.Entry<String, HostArray> feed : feeds.entrySet()) {
        String name = signature.inputs().get(feed.getKey()).tensorName();
        point(inputs.position(i), graphHandle, name);
        TF_Tensor tensor = allocate(feed.getValue(), feed.getKey());
        inputTensors.add(tensor);
        inputValues.put(i, tensor);
        i++;
      }
      for (int j = 0; j < m; j++) {
        point(fetches.position(j), graphHandle, outputs.get(j).tensorName());
      }
      TF_SessionRun(sessionHandle, null, inputs.position(0), inputValues, n, fetches.position(0),
          outputValues, m, null, 0, null, status);
      if (TF_GetCode(status) != 0) {
        throw new IllegalArgumentException("Signature " + signature.key() + " failed: "
            + TF_Message(status).getString());
      }
      Map<String, HostArray> result = new LinkedHashMap<>();
      for (int j = 0; j < m; j++) {
        TF_Tensor out = outputValues.get(TF_Tensor.class, j);
        try {
          result.put(outputs.get(j).key(), read(out, outputs.get(j).dtype()));
        } finally {
          TF_DeleteTensor(out);
        }
      }
      return result;
    } finally {
      inputTensors.forEach(t -> TF_DeleteTensor(t));
      TF_DeleteStatus(status);
      inputs.close();
      fetches.close();
      inputValues.close();
      outputValues.close();
    }
  }

  private static void point(TF_Output output, TF_Graph graph, String tensorName) {
    int colon = tensorName.lastIndexOf(':');
    String op = colon < 0 ? tensorName : tensorName.substring(0, colon);
    int index = colon < 0 ? 0 : Integer.parseInt(tensorName.substring(colon + 1));
    var operation = TF_GraphOperationByName(graph, op);
    if (operation == null || operation.isNull()) {
      throw new IllegalStateException("the graph has no operation " + op);
    }
    output.oper(operation).index(index);
  }

  private static int size(DataType dtype) {
    return switch (dtype) {
      case DT_INT8, DT_UINT8, DT_BOOL -> 1;
      case DT_INT16, DT_UINT16, DT_HALF, DT_BFLOAT16 -> 2;
      case DT_INT32, DT_UINT32, DT_FLOAT -> 4;
      case DT_INT64, DT_UINT64, DT_DOUBLE -> 8;
      default -> -1;
    };
  }

  private static TF_Tensor allocate(HostArray value, String key) {
    int size = size(value.dtype());
    if (size < 0) {
      throw new IllegalArgumentException("Input \"" + key + "\" is "
          + TensorSpec.dtypeName(value.dtype()) + ", which Jeras cannot feed beside int8,"
          + " int16, uint32 or uint64 inputs");
    }
    long[] dims = value.shape().asArray();
    long count = value.shape().size();
    TF_Tensor tensor = TF_AllocateTensor(value.dtype().getNumber(), dims, dims.length,
        count * size);
    ByteBuffer data = TF_TensorData(tensor).capacity(count * size).asByteBuffer()
        .order(ByteOrder.nativeOrder());
    Object values = value.values();
    DataType dtype = value.dtype();
    for (int i = 0; i < count; i++) {
      if (values instanceof float[] v) {
        if (dtype == DataType.DT_FLOAT) {
          data.putFloat(v[i]);
        } else {
          data.putShort(dtype == DataType.DT_HALF ? toHalf(v[i]) : toBfloat16(v[i]));
        }
      } else if (values instanceof double[] v) {
        data.putDouble(v[i]);
      } else if (values instanceof boolean[] v) {
        data.put((byte) (v[i] ? 1 : 0));
      } else if (values instanceof long[] v) {
        switch (size) {
          case 1 -> data.put((byte) v[i]);
          case 2 -> data.putShort((short) v[i]);
          case 4 -> data.putInt((int) v[i]);
          default -> data.putLong(v[i]);
        }
      } else {
        throw new IllegalStateException();
      }
    }
    return tensor;
  }

  private static HostArray read(TF_Tensor tensor, DataType declared) {
    int rank = TF_NumDims(tensor);
    long[] dims = new long[rank];
    for (int d = 0; d < rank; d++) {
      dims[d] = TF_Dim(tensor, d);
    }
    Shape shape = Shape.of(dims);
    int count = Math.toIntExact(shape.size());
    DataType dtype = DataType.forNumber(TF_TensorType(tensor));
    long bytes = TF_TensorByteSize(tensor);
    if (dtype == DataType.DT_STRING) {
      byte[][] v = new byte[count][];
      TF_TString strings = new TF_TString(TF_TensorData(tensor));
      for (int i = 0; i < count; i++) {
        TF_TString s = strings.getPointer(i);
        BytePointer p = TF_TString_GetDataPointer(s);
        v[i] = new byte[(int) TF_TString_GetSize(s)];
        p.get(v[i]);
      }
      return new HostArray(declared, shape, v);
    }
    ByteBuffer data = TF_TensorData(tensor).capacity(bytes).asByteBuffer()
        .order(ByteOrder.nativeOrder());
    Object values = switch (dtype) {
      case DT_FLOAT, DT_HALF, DT_BFLOAT16 -> {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
          v[i] = dtype == DataType.DT_FLOAT ? data.getFloat()
              : dtype == DataType.DT_HALF ? fromHalf(data.getShort())
              : Float.intBitsToFloat((data.getShort() & 0xFFFF) << 16);
        }
        yield v;
      }
      case DT_DOUBLE -> {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
          v[i] = data.getDouble();
        }
        yield v;
      }
      case DT_BOOL -> {
        boolean[] v = new boolean[count];
        for (int i = 0; i < count; i++) {
          v[i] = data.get() != 0;
        }
        yield v;
      }
      default -> {
        long[] v = new long[count];
        for (int i = 0; i < count; i++) {
          v[i] = switch (dtype) {
            case DT_INT8 -> data.get();
            case DT_UINT8 -> data.get() & 0xFF;
            case DT_INT16 -> data.getShort();
            case DT_UINT16 -> data.getShort() & 0xFFFF;
            case DT_INT32 -> data.getInt();
            case DT_UINT32 -> data.getInt() & 0xFFFFFFFFL;
            case DT_INT64, DT_UINT64 -> data.getLong();
            default -> throw new IllegalStateException("cannot read a " + dtype + " output");
          };
        }
        yield v;
      }
    };
    return new HostArray(declared, shape, values);
  }

  /** IEEE half precision, rounded to nearest even. */
  static short toHalf(float value) {
    int bits = Float.floatToIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = ((bits >>> 23) & 0xFF) - 127 + 15;
    int mantissa = bits & 0x7FFFFF;
    if (((bits >>> 23) & 0xFF) == 0xFF) {
      return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0));
    }
    if (exponent >= 0x1F) {
      return (short) (sign | 0x7C00);
    }
    if (exponent <= 0) {
      if (exponent < -10) {
        return (short) sign;
      }
      mantissa |= 0x800000;
      int shift = 14 - exponent;
      int half = mantissa >> shift;
      int rest = mantissa & ((1 << shift) - 1);
      int midpoint = 1 << (shift - 1);
      if (rest > midpoint || rest == midpoint && (half & 1) == 1) {
        half++;
      }
      return (short) (sign | half);
    }
    int half = sign | exponent << 10 | mantissa >> 13;
    int rest = mantissa & 0x1FFF;
    if (rest > 0x1000 || rest == 0x1000 && (half & 1) == 1) {
      half++;
    }
    return (short) half;
  }

  static float fromHalf(short value) {
    int bits = value & 0xFFFF;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1F;
    int mantissa = bits & 0x3FF;
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | mantissa << 13);
    }
    if (exponent == 0) {
      float magnitude = mantissa / 1024f / 16384f;
      return sign != 0 ? -magnitude : magnitude;
    }
    return Float.intBitsToFloat(sign | (exponent - 15 + 127) << 23 | mantissa << 13);
  }

  /** bfloat16, rounded to nearest even. */
  static short toBfloat16(float value) {
    int bits = Float.floatToIntBits(value);
    if (Float.isNaN(value)) {
      return (short) ((bits >>> 16) | 0x40);
    }
    int rounding = 0x7FFF + ((bits >>> 16) & 1);
    return (short) ((bits + rounding) >>> 16);
  }
}
