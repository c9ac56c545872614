package io.jeras.savedmodels.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Lookup3Test {

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** The values printed by the test driver in Bob Jenkins' lookup3.c. */
  @Test
  void publishedTestVectors() {
    assertThat(Lookup3.hashLittle(new byte[0], 0)).isEqualTo(0xdeadbeef);
    assertThat(Lookup3.hashLittle(new byte[0], 0xdeadbeef)).isEqualTo(0xbd5b7dde);
    assertThat(Lookup3.hashLittle(new byte[0], 0xbd5b7dde)).isEqualTo(0x9c093ccd);
    byte[] fourScore = ascii("Four score and seven years ago");
    assertThat(Lookup3.hashLittle(fourScore, 0)).isEqualTo(0x17770551);
    assertThat(Lookup3.hashLittle(fourScore, 1)).isEqualTo(0xcd628161);
  }

  /** A superblock (version 3) written by HDF5 1.14.4 through h5py, with its checksum. */
  @Test
  void checksumOfASuperblockWrittenByTheHdf5Library() {
    byte[] superblock = {
      (byte) 0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0x03, 0x08, 0x08, 0x00,
      0, 0, 0, 0, 0, 0, 0, 0,
      -1, -1, -1, -1, -1, -1, -1, -1,
      0x22, 0x18, 0, 0, 0, 0, 0, 0,
      0x30, 0, 0, 0, 0, 0, 0, 0};
    assertThat(Lookup3.hashLittle(superblock, 0)).isEqualTo(0x2af1ff4c);
  }

  @Test
  void offsetAndLengthSelectTheBytes() {
    byte[] padded = ascii("xxFour score and seven years agoyy");
    assertThat(Lookup3.hashLittle(padded, 2, 30, 0)).isEqualTo(0x17770551);
    assertThatThrownBy(() -> Lookup3.hashLittle(padded, 30, 10, 0))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("outside an array of 34 bytes");
  }

  /** Every tail length (0..12 bytes after full blocks) goes through a different branch. */
  @Test
  void everyTailLengthGivesADistinctHash() {
    byte[] key = ascii("abcdefghijklmnopqrstuvwxyz0123456789");
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (int n = 0; n <= key.length; n++) {
      seen.add(Lookup3.hashLittle(key, 0, n, 0));
    }
    assertThat(seen).hasSize(key.length + 1);
  }
}
