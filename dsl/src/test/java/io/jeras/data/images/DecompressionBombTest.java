package io.jeras.data.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jeras.input.InputLimits;
import io.jeras.input.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images are measured before they are decoded: a PNG of a few hundred bytes that declares
 * 100,000 x 100,000 pixels (40 GB as RGBA) is refused with a message, not an OutOfMemoryError.
 */
class DecompressionBombTest {
  @TempDir Path dir;

  @Test
  void pngDeclaringTenGigapixels_isRefusedBeforeDecoding() throws IOException {
    Path bomb = Files.write(dir.resolve("bomb.png"), png(100_000, 100_000));
    assertThat(Files.size(bomb)).isLessThan(1_000);
    assertThatThrownBy(() -> Images.decode(bomb, 3)).isInstanceOf(InvalidInputException.class)
        .hasMessage(bomb + ": declares an image of 100000x100000 = 10000000000 pixels, more"
            + " than the limit of 178956970 (a decompression bomb?; InputLimits"
            + ".setMaxImagePixels, -Djeras.input.maxImagePixels)");
  }

  @Test
  void theLimitIsConfigurable() throws IOException {
    Path image = Files.write(dir.resolve("small.png"), png(40, 3));
    assertThat(Images.decode(image, 1).height()).isEqualTo(3);
    long limit = InputLimits.maxImagePixels();
    InputLimits.setMaxImagePixels(100);
    try {
      assertThatThrownBy(() -> Images.decode(image, 1))
          .hasMessageContaining("declares an image of 40x3 = 120 pixels, more than the limit"
              + " of 100");
    } finally {
      InputLimits.setMaxImagePixels(limit);
    }
  }

  /** A gray 8-bit PNG of zeros, its pixel data deflated (a bomb when large). */
  private static byte[] png(int width, int height) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
        .put(new byte[] {8, 0, 0, 0, 0}).array());
    // the first rows only: the refusal must come from the header, before the data is read
    int rows = Math.min(height, 3);
    Deflater deflater = new Deflater();
    deflater.setInput(new byte[rows * (width + 1)]);
    deflater.finish();
    byte[] buffer = new byte[1 << 16];
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    while (!deflater.finished()) {
      idat.write(buffer, 0, deflater.deflate(buffer));
    }
    chunk(out, "IDAT", idat.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data)
      throws IOException {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    out.write(ByteBuffer.allocate(4).putInt(data.length).array());
    out.write(name);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
