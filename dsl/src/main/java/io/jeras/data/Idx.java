package io.jeras.data;

import io.jeras.input.InputLimits;
import io.jeras.input.InvalidInputException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST, plain or gzipped (detected from the
 * content, not the name).
 *
 * <p>Layout: two zero bytes, a type byte ({@code 0x08} unsigned byte, {@code 0x09} byte,
 * {@code 0x0B} short, {@code 0x0C} int, {@code 0x0D} float, {@code 0x0E} double), the number of
 * dimensions, each dimension as a big-endian int, then the values, big-endian. A file that is
 * truncated, has trailing bytes or another header fails with the file's name and what was wrong.
 *
 * <pre>{@code
 * NdArray<?> images = Idx.read(Path.of("train-images-idx3-ubyte.gz"));  // (60000, 28, 28) bytes
 * }</pre>
 */
public final class Idx {
  private Idx() {}

  /**
   * Reads an IDX file. Unsigned bytes come back as a {@code ByteNdArray} (read them
   * {@code & 0xff}).
   *
   * @throws InvalidInputException naming the file if it is not a valid IDX file, or declares
   *     more data than it holds or than {@link InputLimits#maxBytes()}
   */
  public static NdArray<?> read(Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      return read(in, path.toString(), Files.size(path));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("IDX file " + path + " does not exist", e);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read IDX file " + path + ": " + e.getMessage(), e);
    }
  }

  /** Reads IDX content from a stream; {@code source} names it in error messages. */
  public static NdArray<?> read(InputStream raw, String source) throws IOException {
    return read(raw, source, -1);
  }

  private static NdArray<?> read(InputStream raw, String source, long fileSize)
      throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
    buffered.mark(2);
    int b0 = buffered.read();
    int b1 = buffered.read();
    buffered.reset();
    boolean gzipped = b0 == 0x1f && b1 == 0x8b;
    try {
      InputStream content = gzipped
          ? new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16) : buffered;
      DataInputStream in = new DataInputStream(content);
      int zero1 = in.readUnsignedByte();
      int zero2 = in.readUnsignedByte();
      int type = in.readUnsignedByte();
      int rank = in.readUnsignedByte();
      if (zero1 != 0 || zero2 != 0 || typeSize(type) == 0) {
        throw new InvalidInputException(source, String.format("not an IDX file: expected the"
            + " magic bytes 00 00 <type 08-0E> <rank>, got %02X %02X %02X %02X", zero1, zero2,
            type, rank));
      }
      if (rank == 0) {
        throw new InvalidInputException(source, "declares rank 0; an IDX array needs at least"
            + " one dimension");
      }
      long[] dims = new long[rank];
      long count = 1;
      for (int i = 0; i < rank; i++) {
        dims[i] = in.readInt() & 0xffffffffL;
        count = count == 0 || dims[i] <= Long.MAX_VALUE / count ? count * dims[i] : -1;
      }
      Shape shape = Shape.of(dims);
      if (count < 0) {
        throw new InvalidInputException(source, "declares shape " + shape + ", more elements"
            + " than any file can hold");
      }
      // a plain file's size bounds the data before anything is allocated; a gzipped one is
      // bounded by the limit and then by the bytes that actually follow
      long present = fileSize < 0 || gzipped ? -1 : fileSize - 4 - 4L * rank;
      byte[] bytes = new byte[InputLimits.checkBytes(source, "the header (shape " + shape + ")",
          count, typeSize(type), present)];
      int read = in.readNBytes(bytes, 0, bytes.length);
      if (read < bytes.length) {
        throw new InvalidInputException(source, String.format("truncated: its header declares"
            + " shape %s (%d bytes of data) but only %d bytes follow", shape, bytes.length,
            read));
      }
      if (in.read() != -1) {
        throw new InvalidInputException(source, String.format("has data beyond the %d bytes its"
            + " header declares for shape %s", bytes.length, shape));
      }
      return toNdArray(type, shape, bytes);
    } catch (EOFException e) {
      throw new InvalidInputException(source, "truncated: it ends inside the header", e);
    } catch (ZipException e) {
      throw new InvalidInputException(source, "corrupt gzip data (" + e.getMessage() + ")", e);
    }
  }

  private static int typeSize(int type) {
    return switch (type) {
      case 0x08, 0x09 -> 1;
      case 0x0B -> 2;
      case 0x0C, 0x0D -> 4;
      case 0x0E -> 8;
      default -> 0;
    };
  }

  private static NdArray<?> toNdArray(int type, Shape shape, byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    return switch (type) {
      case 0x08, 0x09 -> NdArrays.wrap(shape, DataBuffers.of(bytes, true, false));
      case 0x0B -> {
        short[] v = new short[bytes.length / 2];
        buffer.asShortBuffer().get(v);
        yield NdArrays.wrap(shape, DataBuffers.of(v, true, false));
      }
      case 0x0C -> {
        int[] v = new int[bytes.length / 4];
        buffer.asIntBuffer().get(v);
        yield NdArrays.wrap(shape, DataBuffers.of(v, true, false));
      }
      case 0x0D -> {
        float[] v = new float[bytes.length / 4];
        buffer.asFloatBuffer().get(v);
        yield NdArrays.wrap(shape, DataBuffers.of(v, true, false));
      }
      default -> {
        double[] v = new double[bytes.length / 8];
        buffer.asDoubleBuffer().get(v);
        yield NdArrays.wrap(shape, DataBuffers.of(v, true, false));
      }
    };
  }
}
