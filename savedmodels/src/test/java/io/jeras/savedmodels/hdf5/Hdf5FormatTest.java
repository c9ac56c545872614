package io.jeras.savedmodels.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jeras.savedmodels.hdf5.Hdf5Writer.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Encodings of single structures. The datatype bytes are those that HDF5 1.14 (through h5py)
 * writes for the same types, except the bool enum, which the library writes as version 4 and
 * this writer as version 3 (the same layout).
 */
class Hdf5FormatTest {

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void datatypesMatchTheHdf5Library() {
    assertThat(Hdf5Format.datatypeBody(DataType.FLOAT32))
        .isEqualTo(hex("11201f00 04000000 00002000 17080017 7f000000"));
    assertThat(Hdf5Format.datatypeBody(DataType.FLOAT64))
        .isEqualTo(hex("11203f00 08000000 00004000 340b0034 ff030000"));
    assertThat(Hdf5Format.datatypeBody(DataType.INT64))
        .isEqualTo(hex("10080000 08000000 00004000"));
    assertThat(Hdf5Format.datatypeBody(DataType.INT32))
        .isEqualTo(hex("10080000 04000000 00002000"));
    assertThat(Hdf5Format.datatypeBody(DataType.UINT8))
        .isEqualTo(hex("10000000 01000000 00000800"));
    assertThat(Hdf5Format.datatypeBody(DataType.BOOL))
        .isEqualTo(hex("38020000 01000000 10080000 01000000 00000800"
            + "46414c53 45005452 55450000 01"));
    assertThat(Hdf5Format.vlenStringTypeBody())
        .isEqualTo(hex("19010100 10000000 10000000 01000000 00000800"));
  }

  @Test
  void dataspaces() {
    assertThat(Hdf5Format.dataspaceBody(new long[0])).isEqualTo(hex("02000000"));
    assertThat(Hdf5Format.dataspaceBody(new long[] {2, 0}))
        .isEqualTo(hex("02020001 02000000 00000000 00000000 00000000"));
  }

  @Test
  void objectHeaderSizeFieldGrowsWithTheChunk() {
    for (int[] c : new int[][] {{10, 0}, {300, 1}, {40_000, 2}}) {
      int bodySize = c[0];
      List<Hdf5Format.Message> messages = List.of(
          new Hdf5Format.Message(0x0C, 0, new byte[bodySize]),
          new Hdf5Format.Message(0x0C, 0, new byte[bodySize]));
      byte[] h = Hdf5Format.objectHeader(messages, "/x");
      ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
      assertThat(new String(h, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("OHDR");
      assertThat(h[4]).isEqualTo((byte) 2);
      assertThat(h[5]).isEqualTo((byte) c[1]);
      int sizeLength = 1 << c[1];
      long chunk = sizeLength == 1 ? h[6] & 0xff
          : sizeLength == 2 ? b.getShort(6) & 0xffff : b.getInt(6);
      assertThat(chunk).isEqualTo(2 * (4 + bodySize));
      assertThat(h.length).isEqualTo(6 + sizeLength + 2 * (4 + bodySize) + 4);
      assertThat(b.getInt(h.length - 4))
          .isEqualTo(Lookup3.hashLittle(h, 0, h.length - 4, 0));
    }
    assertThatThrownBy(() -> Hdf5Format.objectHeader(List.of(
        new Hdf5Format.Message(0x0C, 0, new byte[65_536])), "/big"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("object header message of type 12 for /big has 65536 bytes; at "
            + "most 65535 fit in one message");
  }

  @Test
  void linkMessages() {
    assertThat(Hdf5Format.hardLink("grp".getBytes(StandardCharsets.UTF_8), 0xc3).body())
        .isEqualTo(hex("01000367 7270c300 00000000 0000"));
    byte[] utf8 = "ä".getBytes(StandardCharsets.UTF_8);
    assertThat(Hdf5Format.hardLink(utf8, 1).body())
        .isEqualTo(hex("01100102 c3a40100 00000000 0000"));
    byte[] longName = new byte[Hdf5Format.MAX_LINK_NAME];
    Arrays.fill(longName, (byte) 'x');
    Hdf5Format.Message m = Hdf5Format.hardLink(longName, 1);
    assertThat(m.body()[1]).isEqualTo((byte) 1); // 2-byte length
    assertThat(m.body().length).isLessThanOrEqualTo(Hdf5Format.MAX_MESSAGE_SIZE - 1);
  }

  @Test
  void globalHeapCollection() {
    Hdf5Format.HeapCollection heap = new Hdf5Format.HeapCollection(4096);
    assertThat(heap.add("hello".getBytes(StandardCharsets.US_ASCII))).isEqualTo(1);
    assertThat(heap.add(new byte[0])).isEqualTo(2);
    byte[] c = heap.finish();
    ByteBuffer b = ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(c).hasSize(4096);
    assertThat(Arrays.copyOf(c, 8)).isEqualTo(hex("47434f4c 01000000"));
    assertThat(b.getLong(8)).isEqualTo(4096);
    // object 1: index, reference count, reserved, size, data padded to 8 bytes
    assertThat(Arrays.copyOfRange(c, 16, 40))
        .isEqualTo(hex("01000000 00000000 05000000 00000000 68656c6c 6f000000"));
    // object 2: empty
    assertThat(Arrays.copyOfRange(c, 40, 56))
        .isEqualTo(hex("02000000 00000000 00000000 00000000"));
    // object 0: the free space, its own 16-byte header included
    assertThat(b.getShort(56)).isZero();
    assertThat(b.getLong(64)).isEqualTo(4096 - 56);

    Hdf5Format.HeapCollection full = new Hdf5Format.HeapCollection(0);
    for (int i = 1; i <= 0xFFFF; i++) {
      assertThat(full.full()).isFalse();
      assertThat(full.add(new byte[0])).isEqualTo(i);
    }
    assertThat(full.full()).isTrue();
    byte[] big = full.finish();
    assertThat(big.length).isEqualTo(16 + 0xFFFF * 16 + 16);
  }
}
