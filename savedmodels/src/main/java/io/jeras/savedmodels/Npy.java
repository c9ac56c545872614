package io.jeras.savedmodels;

import io.jeras.bridge.HostValue;
import io.jeras.input.InputLimits;
import io.jeras.input.InvalidInputException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.ndarray.Shape;

/**
 * NumPy's {@code .npy} format (version 1.0) for float32 and int64 arrays, little-endian, C
 * order: what {@code numpy.load} reads, so checkpoints open in Python without Jeras.
 */
final class Npy {
  /** NumPy writes headers of a few hundred bytes; version 2 allows 4 GB. */
  private static final int MAX_HEADER = 1 << 16;
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern HEADER = Pattern.compile(
      "\\{'descr': '([<>|][a-z]\\d)', 'fortran_order': (True|False), 'shape': \\(([0-9, ]*)\\), *\\}");

  private Npy() {}

  static void write(HostValue value, OutputStream out) throws IOException {
    String descr = value.floats() != null ? "<f4" : "<i8";
    StringBuilder shape = new StringBuilder();
    for (long d : value.shape().asArray()) {
      shape.append(d).append(", ");
    }
    if (value.shape().numDimensions() > 1) {
      shape.setLength(shape.length() - 2);
    } else if (value.shape().numDimensions() == 1) {
      shape.setLength(shape.length() - 1);
    }
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shape + "), }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    out.write(MAGIC);
    out.write(new byte[] {1, 0});
    out.write(header.length() & 0xff);
    out.write(header.length() >>> 8);
    out.write(header.getBytes(StandardCharsets.US_ASCII));
    int size = Math.toIntExact(value.shape().size());
    ByteBuffer data = ByteBuffer.allocate(size * (value.floats() != null ? 4 : 8))
        .order(ByteOrder.LITTLE_ENDIAN);
    if (value.floats() != null) {
      data.asFloatBuffer().put(value.floats());
    } else {
      data.asLongBuffer().put(value.longs());
    }
    out.write(data.array());
  }

  /**
   * Reads one array; {@code source} names it in errors.
   *
   * @throws InvalidInputException naming {@code source} if the bytes are not a float32 or int64
   *     .npy array, or declare more data than {@link InputLimits#maxBytes()}
   */
  static HostValue read(InputStream raw, String source) throws IOException {
    DataInputStream in = new DataInputStream(raw);
    byte[] magic = in.readNBytes(MAGIC.length);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw new InvalidInputException(source, "not a .npy array (bad magic)");
    }
    String header;
    try {
      int major = in.readUnsignedByte();
      in.readUnsignedByte();
      long headerLength = major == 1
          ? in.readUnsignedByte() | in.readUnsignedByte() << 8
          : Integer.reverseBytes(in.readInt()) & 0xffffffffL;
      if (headerLength > MAX_HEADER) {
        throw new InvalidInputException(source, "declares a .npy header of " + headerLength
            + " bytes (at most " + MAX_HEADER + " expected)");
      }
      header = new String(in.readNBytes((int) headerLength), StandardCharsets.US_ASCII).trim();
    } catch (EOFException e) {
      throw new InvalidInputException(source, "truncated inside the .npy header", e);
    }
    Matcher m = HEADER.matcher(header);
    if (!m.matches() || m.group(2).equals("True")) {
      throw new InvalidInputException(source, "unsupported .npy header: " + header);
    }
    String[] dims = m.group(3).replace(" ", "").split(",");
    long[] shape = new long[dims.length];
    int rank = 0;
    long count = 1;
    for (String dim : dims) {
      if (dim.isEmpty()) {
        continue;
      }
      long d = dim.length() > 18 ? Long.MAX_VALUE : Long.parseLong(dim);
      count = count == 0 || d <= Long.MAX_VALUE / Math.max(1, count) ? count * d : Long.MAX_VALUE;
      shape[rank++] = d;
    }
    Shape s = Shape.of(java.util.Arrays.copyOf(shape, rank));
    String descr = m.group(1);
    int width = switch (descr) {
      case "<f4" -> 4;
      case "<i8" -> 8;
      default -> throw new InvalidInputException(source, "holds dtype " + descr
          + "; expected float32 (<f4) or int64 (<i8)");
    };
    int size = InputLimits.checkBytes(source, "shape " + s, count, width, -1) / width;
    byte[] bytes = in.readNBytes(size * width);
    if (bytes.length < size * width) {
      throw new InvalidInputException(source, "truncated: shape " + s + " needs "
          + size * width + " bytes, found " + bytes.length);
    }
    ByteBuffer data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (width == 4) {
      float[] values = new float[size];
      data.asFloatBuffer().get(values);
      return HostValue.of(s, values);
    }
    long[] values = new long[size];
    data.asLongBuffer().get(values);
    return HostValue.ofLongs(s, values);
  }
}
