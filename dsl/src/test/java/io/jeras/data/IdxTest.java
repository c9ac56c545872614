package io.jeras.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jeras.input.InputLimits;
import io.jeras.input.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.ByteNdArray;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;

class IdxTest {
  @TempDir
  Path dir;

  /** Two 2x3 unsigned-byte images: the IDX3 layout of MNIST. */
  private static byte[] images() {
    ByteBuffer b = ByteBuffer.allocate(4 + 12 + 12);
    b.put(new byte[] {0, 0, 0x08, 3}).putInt(2).putInt(2).putInt(3);
    for (int i = 0; i < 12; i++) {
      b.put((byte) (i * 20));
    }
    return b.array();
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  @Test
  void readsPlainAndGzippedAlike() throws IOException {
    Path plain = Files.write(dir.resolve("images-idx3-ubyte"), images());
    Path gz = Files.write(dir.resolve("images-idx3-ubyte.gz"), gzip(images()));
    for (Path path : new Path[] {plain, gz}) {
      NdArray<?> array = Idx.read(path);
      assertThat(array).isInstanceOf(ByteNdArray.class);
      assertThat(array.shape()).isEqualTo(Shape.of(2, 2, 3));
      assertThat(((ByteNdArray) array).getByte(1, 1, 2) & 0xff).isEqualTo(220);
    }
  }

  @Test
  void readsFloats() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 + 8);
    b.put(new byte[] {0, 0, 0x0D, 1}).putInt(2).putFloat(1.5f).putFloat(-2f);
    NdArray<?> array = Idx.read(Files.write(dir.resolve("f.idx"), b.array()));
    assertThat(((FloatNdArray) array).getFloat(1)).isEqualTo(-2f);
  }

  @Test
  void truncatedFile_saysHowMuchIsMissing() throws IOException {
    byte[] cut = Arrays.copyOf(images(), images().length - 5);
    Path path = Files.write(dir.resolve("cut-idx3-ubyte.gz"), gzip(cut));
    assertThatThrownBy(() -> Idx.read(path)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(path + ": truncated: its header declares shape [2, 2, 3] (12 bytes of"
            + " data) but only 7 bytes follow");
  }

  @Test
  void plainFileDeclaringMoreThanItHolds_isRefusedBeforeAllocating() throws IOException {
    byte[] header = {0, 0, 0x0D, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0};
    Path path = Files.write(dir.resolve("claims-a-petabyte"), header);
    assertThatThrownBy(() -> Idx.read(path)).isInstanceOf(InvalidInputException.class)
        .hasMessage(path + ": truncated: the header (shape [65536, 65536, 65536]) declares"
            + " 1125899906842624 bytes of data but only 0 are present");
  }

  @Test
  void gzippedFileDeclaringMoreThanTheLimit_isRefusedBeforeAllocating() throws IOException {
    byte[] header = {0, 0, 0x08, 2, 0, 1, 0, 0, 0, 1, 0, 0};
    Path path = Files.write(dir.resolve("claims-4-gigabytes.gz"), gzip(header));
    long limit = InputLimits.maxBytes();
    InputLimits.setMaxBytes(1 << 20);
    try {
      assertThatThrownBy(() -> Idx.read(path)).isInstanceOf(InvalidInputException.class)
          .hasMessage(path + ": the header (shape [65536, 65536]) declares 4294967296 bytes,"
              + " more than the limit of 1048576 (InputLimits.setMaxBytes,"
              + " -Djeras.input.maxBytes)");
    } finally {
      InputLimits.setMaxBytes(limit);
    }
  }

  @Test
  void truncatedHeader() throws IOException {
    Path path = Files.write(dir.resolve("short"), Arrays.copyOf(images(), 7));
    assertThatThrownBy(() -> Idx.read(path))
        .hasMessage(path + ": truncated: it ends inside the header");
  }

  @Test
  void notAnIdxFile_showsTheMagicBytes() throws IOException {
    Path path = Files.write(dir.resolve("picture.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1});
    assertThatThrownBy(() -> Idx.read(path)).hasMessage(path + ": not an IDX file: expected"
        + " the magic bytes 00 00 <type 08-0E> <rank>, got 89 50 4E 47");
  }

  @Test
  void trailingBytes_areRejected() throws IOException {
    byte[] longer = Arrays.copyOf(images(), images().length + 3);
    Path path = Files.write(dir.resolve("long"), longer);
    assertThatThrownBy(() -> Idx.read(path)).hasMessage(path + ": has data beyond the 12 bytes"
        + " its header declares for shape [2, 2, 3]");
  }

  @Test
  void missingFile() {
    Path path = dir.resolve("nothing");
    assertThatThrownBy(() -> Idx.read(path)).hasMessage("IDX file " + path + " does not exist");
  }
}
