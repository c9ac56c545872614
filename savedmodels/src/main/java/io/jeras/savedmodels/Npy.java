package io.jeras.savedmodels;

import io.jeras.bridge.HostValue;
import java.io.DataInputStream;
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

  /** Reads one array; {@code source} names it in errors. */
  static HostValue read(InputStream raw, String source) throws IOException {
    DataInputStream in = new DataInputStream(raw);
    byte[] magic = in.readNBytes(MAGIC.length);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw new IllegalArgumentException(source + " is not a .npy array (bad magic)");
    }
    int major = in.readUnsignedByte();
    in.readUnsignedByte();
    int headerLength = major == 1
        ? in.readUnsignedByte() | in.readUnsignedByte() << 8
        : Integer.reverseBytes(in.readInt());
    String header = new String(in.readNBytes(headerLength), StandardCharsets.US_ASCII).trim();
    Matcher m = HEADER.matcher(header);
    if (!m.matches() || m.group(2).equals("True")) {
      throw new IllegalArgumentException(source + " has an unsupported .npy header: " + header);
    }
    String[] dims = m.group(3).replace(" ", "").split(",");
    long[] shape = java.util.Arrays.stream(dims).filter(d -> !d.isEmpty())
        .mapToLong(Long::parseLong).toArray();
    Shape s = Shape.of(shape);
    int size = Math.toIntExact(s.size());
    String descr = m.group(1);
    int width = switch (descr) {
      case "<f4" -> 4;
      case "<i8" -> 8;
      default -> throw new IllegalArgumentException(
          source + " holds dtype " + descr + "; expected float32 (<f4) or int64 (<i8)");
    };
    byte[] bytes = in.readNBytes(size * width);
    if (bytes.length < size * width) {
      throw new IllegalArgumentException(source + " is truncated: shape " + s + " needs "
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
