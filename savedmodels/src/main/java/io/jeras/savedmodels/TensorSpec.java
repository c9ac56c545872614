package io.jeras.savedmodels;

import io.jeras.utils.Shapes;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * One input or output of a SavedModel signature: its key in the signature, the graph tensor it
 * stands for, its dtype and its static shape (-1 for unknown dimensions, e.g. the batch).
 */
public record TensorSpec(String key, String tensorName, DataType dtype, Shape shape) {

  static TensorSpec of(String key, TensorInfo info) {
    TensorShapeProto proto = info.getTensorShape();
    Shape shape;
    if (proto.getUnknownRank()) {
      shape = Shape.unknown();
    } else {
      long[] dims = new long[proto.getDimCount()];
      for (int i = 0; i < dims.length; i++) {
        dims[i] = proto.getDim(i).getSize();
      }
      shape = Shape.of(dims);
    }
    return new TensorSpec(key, info.getName(), info.getDtype(), shape);
  }

  /** Keras-style description: {@code keras_tensor: float32 (None, 28, 28, 1)}. */
  @Override
  public String toString() {
    return key + ": " + dtypeName(dtype) + " " + (shape.isUnknown() ? "<unknown shape>"
        : Shapes.format(shape));
  }

  /** Python's dtype name ({@code float32}, {@code int64}). */
  static String dtypeName(DataType dtype) {
    return switch (dtype) {
      case DT_FLOAT -> "float32";
      case DT_DOUBLE -> "float64";
      case DT_INT32 -> "int32";
      case DT_INT64 -> "int64";
      case DT_UINT8 -> "uint8";
      case DT_BOOL -> "bool";
      case DT_STRING -> "string";
      case DT_HALF -> "float16";
      default -> dtype.name().toLowerCase(java.util.Locale.ROOT).replace("dt_", "");
    };
  }
}
