package io.jeras.savedmodels.hdf5;

/**
 * Bob Jenkins' lookup3 {@code hashlittle} hash, the checksum that the HDF5 file format uses for
 * its metadata (superblock version 2+, version 2 object headers, and others).
 *
 * <p>Written from the published description of the algorithm; keys are read byte by byte as
 * little-endian 32-bit words, so the result does not depend on the platform.
 */
final class Lookup3 {

  private Lookup3() {
  }

  /**
   * Hashes a whole array.
   *
   * @param key the bytes to hash
   * @param initval the seed (HDF5 uses 0)
   * @return the 32-bit hash
   */
  static int hashLittle(byte[] key, int initval) {
    return hashLittle(key, 0, key.length, initval);
  }

  /**
   * Hashes {@code length} bytes of {@code key} starting at {@code offset}.
   *
   * @param key the bytes to hash
   * @param offset index of the first byte
   * @param length number of bytes
   * @param initval the seed (HDF5 uses 0)
   * @return the 32-bit hash
   */
  static int hashLittle(byte[] key, int offset, int length, int initval) {
    if (offset < 0 || length < 0 || offset > key.length - length) {
      throw new IndexOutOfBoundsException("range [" + offset + ", " + offset + "+" + length
          + ") is outside an array of " + key.length + " bytes");
    }
    int a = 0xdeadbeef + length + initval;
    int b = a;
    int c = a;
    int k = offset;
    int remaining = length;
    while (remaining > 12) {
      a += word(key, k);
      b += word(key, k + 4);
      c += word(key, k + 8);
      // mix(a, b, c)
      a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
      b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
      c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
      a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
      b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
      c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
      remaining -= 12;
      k += 12;
    }
    if (remaining == 0) {
      return c;
    }
    // The last 1..12 bytes; missing bytes count as zero.
    a += partialWord(key, k, Math.min(remaining, 4));
    if (remaining > 4) {
      b += partialWord(key, k + 4, Math.min(remaining - 4, 4));
    }
    if (remaining > 8) {
      c += partialWord(key, k + 8, remaining - 8);
    }
    // final(a, b, c)
    c ^= b; c -= Integer.rotateLeft(b, 14);
    a ^= c; a -= Integer.rotateLeft(c, 11);
    b ^= a; b -= Integer.rotateLeft(a, 25);
    c ^= b; c -= Integer.rotateLeft(b, 16);
    a ^= c; a -= Integer.rotateLeft(c, 4);
    b ^= a; b -= Integer.rotateLeft(a, 14);
    c ^= b; c -= Integer.rotateLeft(b, 24);
    return c;
  }

  private static int word(byte[] key, int i) {
    return (key[i] & 0xff) | (key[i + 1] & 0xff) << 8 | (key[i + 2] & 0xff) << 16
        | (key[i + 3] & 0xff) << 24;
  }

  private static int partialWord(byte[] key, int i, int n) {
    int w = 0;
    for (int j = 0; j < n; j++) {
      w |= (key[i + j] & 0xff) << (8 * j);
    }
    return w;
  }
}
