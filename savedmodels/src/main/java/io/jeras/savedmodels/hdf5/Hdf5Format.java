package io.jeras.savedmodels.hdf5;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Encoders for the few HDF5 on-disk structures that {@link Hdf5Writer} emits, written from the
 * HDF5 File Format Specification version 3.
 *
 * <p>All structures use 8-byte offsets and 8-byte lengths and little-endian byte order:
 * <ul>
 *   <li>superblock version 2 (lookup3 checksum), no superblock extension;</li>
 *   <li>version 2 object headers ("OHDR", one checksummed chunk, no times, no creation order);</li>
 *   <li>groups in the compact "new style": Link Info (0x02) + Group Info (0x0A) + one Link
 *       message (0x06) per child, hard links only;</li>
 *   <li>datasets: Dataspace v2 (0x01), Datatype (0x03) version 1 (version 3 for the bool enum),
 *       Fill Value v3 (0x05), Data Layout v3 contiguous (0x08);</li>
 *   <li>attributes: Attribute Info (0x15) + Attribute messages v3 (0x0C) in the object header;
 *       strings are variable-length UTF-8 strings whose bytes live in global heap collections
 *       ("GCOL").</li>
 * </ul>
 */
final class Hdf5Format {

  /** The "undefined address": all bits set. */
  static final long UNDEFINED_ADDRESS = -1L;

  /** Size in bytes of a version 2 superblock with 8-byte offsets. */
  static final int SUPERBLOCK_SIZE = 48;

  /** Largest body of one object header message (its size field has 2 bytes). */
  static final int MAX_MESSAGE_SIZE = 0xFFFF;

  /** HDF5 limits the rank of a dataspace to 32. */
  static final int MAX_RANK = 32;

  /** Minimum (and default) size of a global heap collection. */
  static final int MIN_HEAP_COLLECTION = 4096;

  static final int MSG_DATASPACE = 0x01;
  static final int MSG_LINK_INFO = 0x02;
  static final int MSG_DATATYPE = 0x03;
  static final int MSG_FILL_VALUE = 0x05;
  static final int MSG_LINK = 0x06;
  static final int MSG_LAYOUT = 0x08;
  static final int MSG_GROUP_INFO = 0x0A;
  static final int MSG_ATTRIBUTE = 0x0C;
  static final int MSG_ATTRIBUTE_INFO = 0x15;

  /** Message flag bit 0: the message is constant. */
  static final int FLAG_CONSTANT = 0x01;

  /** Size of a variable-length element: 4-byte length + heap address + 4-byte index. */
  static final int VLEN_ELEMENT_SIZE = 16;

  private static final byte[] SIGNATURE = {
    (byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'
  };
  private static final byte[] ENUM_BOOL_NAMES =
      "FALSE\0TRUE\0".getBytes(StandardCharsets.US_ASCII);

  private Hdf5Format() {
  }

  /** One object header message: type, flags and body (without the 4-byte message prefix). */
  record Message(int type, int flags, byte[] body) {
  }

  /**
   * Encodes the version 2 superblock.
   *
   * @param endOfFile the address of the first byte past all HDF5 data (the file length)
   * @param rootAddress the address of the root group's object header
   * @return the 48 superblock bytes, checksum included
   */
  static byte[] superblock(long endOfFile, long rootAddress) {
    Buf b = new Buf(SUPERBLOCK_SIZE);
    b.bytes(SIGNATURE);
    b.u8(2); // superblock version
    b.u8(8); // size of offsets
    b.u8(8); // size of lengths
    b.u8(0); // file consistency flags (unused in version 2)
    b.u64(0); // base address
    b.u64(UNDEFINED_ADDRESS); // superblock extension address
    b.u64(endOfFile);
    b.u64(rootAddress);
    b.u32(Lookup3.hashLittle(b.array(), 0, b.size(), 0));
    return b.toByteArray();
  }

  /**
   * Encodes a version 2 object header holding all messages in a single chunk.
   *
   * @param messages the messages, each body at most {@link #MAX_MESSAGE_SIZE} bytes
   * @param path the object's path, for error messages
   * @return the object header bytes, checksum included
   */
  static byte[] objectHeader(List<Message> messages, String path) {
    long chunk = 0;
    for (Message m : messages) {
      if (m.body().length > MAX_MESSAGE_SIZE) {
        throw new IllegalArgumentException("object header message of type " + m.type()
            + " for " + path + " has " + m.body().length + " bytes; at most "
            + MAX_MESSAGE_SIZE + " fit in one message");
      }
      chunk += 4 + m.body().length;
    }
    int sizeCode;
    int sizeLength;
    if (chunk < 0x100) {
      sizeCode = 0;
      sizeLength = 1;
    } else if (chunk < 0x10000) {
      sizeCode = 1;
      sizeLength = 2;
    } else {
      sizeCode = 2;
      sizeLength = 4;
    }
    long total = 4 + 1 + 1 + sizeLength + chunk + 4;
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("object header of " + path + " would need "
          + total + " bytes; at most " + (Integer.MAX_VALUE - 16) + " are supported");
    }
    Buf b = new Buf((int) total);
    b.bytes(new byte[] {'O', 'H', 'D', 'R'});
    b.u8(2); // version
    b.u8(sizeCode); // flags: size of "Size of Chunk #0"; no times, no creation order
    if (sizeLength == 1) {
      b.u8((int) chunk);
    } else if (sizeLength == 2) {
      b.u16((int) chunk);
    } else {
      b.u32((int) chunk);
    }
    for (Message m : messages) {
      b.u8(m.type());
      b.u16(m.body().length);
      b.u8(m.flags());
      b.bytes(m.body());
    }
    b.u32(Lookup3.hashLittle(b.array(), 0, b.size(), 0));
    return b.toByteArray();
  }

  /** Link Info message (version 0) of a group whose links are all stored compactly. */
  static Message linkInfo() {
    Buf b = new Buf(18);
    b.u8(0); // version
    b.u8(0); // flags: creation order neither tracked nor indexed
    b.u64(UNDEFINED_ADDRESS); // fractal heap address
    b.u64(UNDEFINED_ADDRESS); // name index v2 B-tree address
    return new Message(MSG_LINK_INFO, 0, b.toByteArray());
  }

  /**
   * Attribute Info message (version 0) of an object whose attributes are all stored
   * compactly. The HDF5 library takes the attribute count of a version 2 object header from
   * this message (it reports 0 attributes when the message is missing), so every object
   * header gets one.
   */
  static Message attributeInfo() {
    Buf b = new Buf(18);
    b.u8(0); // version
    b.u8(0); // flags: creation order neither tracked nor indexed
    b.u64(UNDEFINED_ADDRESS); // fractal heap address
    b.u64(UNDEFINED_ADDRESS); // name index v2 B-tree address
    return new Message(MSG_ATTRIBUTE_INFO, 0, b.toByteArray());
  }

  /** Group Info message (version 0) with default phase change and size estimates. */
  static Message groupInfo() {
    return new Message(MSG_GROUP_INFO, 0, new byte[] {0, 0});
  }

  /**
   * Longest link name in UTF-8 bytes: a link message of version, flags, character set, 2-byte
   * length, name and 8-byte address must fit into {@link #MAX_MESSAGE_SIZE}.
   */
  static final int MAX_LINK_NAME = MAX_MESSAGE_SIZE - 13;

  /**
   * Link message (version 1) for a hard link.
   *
   * @param name the link name, UTF-8, at most {@link #MAX_LINK_NAME} bytes
   * @param address the object header address of the target
   */
  static Message hardLink(byte[] name, long address) {
    boolean ascii = isAscii(name);
    boolean shortName = name.length < 0x100;
    Buf b = new Buf(2 + (ascii ? 0 : 1) + (shortName ? 1 : 2) + name.length + 8);
    b.u8(1); // version
    // Bits 0-1: size of the length field (0: 1 byte, 1: 2 bytes); bit 4: character set
    // present. Hard link (no link type field), no creation order.
    b.u8((shortName ? 0 : 1) | (ascii ? 0 : 0x10));
    if (!ascii) {
      b.u8(1); // UTF-8 link name
    }
    if (shortName) {
      b.u8(name.length);
    } else {
      b.u16(name.length);
    }
    b.bytes(name);
    b.u64(address);
    return new Message(MSG_LINK, 0, b.toByteArray());
  }

  /** Dataspace message (version 2): scalar for rank 0, simple otherwise; no maximum dims. */
  static Message dataspace(long[] shape) {
    return new Message(MSG_DATASPACE, 0, dataspaceBody(shape));
  }

  static byte[] dataspaceBody(long[] shape) {
    Buf b = new Buf(4 + 8 * shape.length);
    b.u8(2); // version
    b.u8(shape.length);
    b.u8(0); // flags: no maximum dimensions
    b.u8(shape.length == 0 ? 0 : 1); // scalar or simple
    for (long d : shape) {
      b.u64(d);
    }
    return b.toByteArray();
  }

  /** Datatype message for a numeric or boolean element type, marked constant. */
  static Message datatype(Hdf5Writer.DataType type) {
    return new Message(MSG_DATATYPE, FLAG_CONSTANT, datatypeBody(type));
  }

  static byte[] datatypeBody(Hdf5Writer.DataType type) {
    Buf b = new Buf(48);
    switch (type) {
      case FLOAT32:
        floatingPoint(b, 4, 31, 23, 8, 23, 127);
        break;
      case FLOAT64:
        floatingPoint(b, 8, 63, 52, 11, 52, 1023);
        break;
      case INT32:
        fixedPoint(b, 4, true);
        break;
      case INT64:
        fixedPoint(b, 8, true);
        break;
      case UINT8:
        fixedPoint(b, 1, false);
        break;
      case BOOL:
        // numpy's bool as h5py stores it: enum {FALSE = 0, TRUE = 1} over int8.
        b.u8(0x38); // version 3, class 8 (enumeration)
        b.u8(2); // number of members, bits 0-7
        b.u8(0);
        b.u8(0);
        b.u32(1); // element size
        fixedPoint(b, 1, true); // base type
        b.bytes(ENUM_BOOL_NAMES); // names, NUL-terminated, not padded (version 3)
        b.u8(0); // value of FALSE
        b.u8(1); // value of TRUE
        break;
      default:
        throw new AssertionError(type);
    }
    return b.toByteArray();
  }

  /** Datatype body of a variable-length, NUL-terminated, UTF-8 string. */
  static byte[] vlenStringTypeBody() {
    Buf b = new Buf(20);
    b.u8(0x19); // version 1, class 9 (variable-length)
    b.u8(0x01); // type 1 = string, padding 0 = null terminate
    b.u8(0x01); // character set 1 = UTF-8
    b.u8(0);
    b.u32(VLEN_ELEMENT_SIZE);
    fixedPoint(b, 1, false); // parent type: unsigned char
    return b.toByteArray();
  }

  private static void fixedPoint(Buf b, int size, boolean signed) {
    b.u8(0x10); // version 1, class 0 (fixed-point)
    b.u8(signed ? 0x08 : 0x00); // little-endian, zero padding, signedness
    b.u8(0);
    b.u8(0);
    b.u32(size);
    b.u16(0); // bit offset
    b.u16(8 * size); // bit precision
  }

  private static void floatingPoint(Buf b, int size, int signBit, int exponentLocation,
      int exponentSize, int mantissaSize, int bias) {
    b.u8(0x11); // version 1, class 1 (floating-point)
    b.u8(0x20); // little-endian, zero padding, implied mantissa msb (normalization 2)
    b.u8(signBit); // sign location
    b.u8(0);
    b.u32(size);
    b.u16(0); // bit offset
    b.u16(8 * size); // bit precision
    b.u8(exponentLocation);
    b.u8(exponentSize);
    b.u8(0); // mantissa location
    b.u8(mantissaSize);
    b.u32(bias);
  }

  /**
   * Fill Value message (version 3): late allocation, fill written only if set by the user, no
   * fill value defined (readers use zeros). Marked constant.
   */
  static Message fillValue() {
    return new Message(MSG_FILL_VALUE, FLAG_CONSTANT, new byte[] {3, 0x0A});
  }

  /**
   * Data Layout message (version 3) for contiguous storage.
   *
   * @param address the raw data address, or {@link #UNDEFINED_ADDRESS} when nothing is stored
   * @param size the raw data size in bytes
   */
  static Message contiguousLayout(long address, long size) {
    Buf b = new Buf(18);
    b.u8(3); // version
    b.u8(1); // layout class: contiguous
    b.u64(address);
    b.u64(size);
    return new Message(MSG_LAYOUT, 0, b.toByteArray());
  }

  /**
   * Attribute message (version 3).
   *
   * @param name the attribute name, UTF-8, without terminator
   * @param datatype the encoded datatype
   * @param dataspace the encoded dataspace
   * @param data the raw attribute data
   */
  static Message attribute(byte[] name, byte[] datatype, byte[] dataspace, byte[] data) {
    Buf b = new Buf(attributeSize(name.length, datatype.length, dataspace.length,
        data.length));
    b.u8(3); // version
    b.u8(0); // flags: nothing shared
    b.u16(name.length + 1);
    b.u16(datatype.length);
    b.u16(dataspace.length);
    b.u8(isAscii(name) ? 0 : 1); // name character set
    b.bytes(name);
    b.u8(0);
    b.bytes(datatype);
    b.bytes(dataspace);
    b.bytes(data);
    return new Message(MSG_ATTRIBUTE, 0, b.toByteArray());
  }

  /** Body size of an attribute message with the given part sizes. */
  static int attributeSize(int nameLength, int datatypeLength, int dataspaceLength,
      long dataLength) {
    long size = 9L + nameLength + 1 + datatypeLength + dataspaceLength + dataLength;
    return (int) Math.min(size, Integer.MAX_VALUE);
  }

  static boolean isAscii(byte[] utf8) {
    for (byte x : utf8) {
      if (x < 0) {
        return false;
      }
    }
    return true;
  }

  static long pad8(long n) {
    return (n + 7) & ~7L;
  }

  /**
   * A global heap collection under construction. Objects get indices 1, 2, ...; the free
   * space at the end is always described by an explicit object 0.
   */
  static final class HeapCollection {
    /** Largest object index a collection can hold (the index field has 2 bytes). */
    static final int MAX_INDEX = 0xFFFF;

    private final long address;
    private final Buf buf = new Buf(MIN_HEAP_COLLECTION);
    private int nextIndex = 1;

    HeapCollection(long address) {
      this.address = address;
      buf.bytes(new byte[] {'G', 'C', 'O', 'L'});
      buf.u8(1); // version
      buf.u8(0);
      buf.u8(0);
      buf.u8(0);
      buf.u64(0); // collection size, set by finish()
    }

    long address() {
      return address;
    }

    /** Bytes used so far. */
    long used() {
      return buf.size();
    }

    boolean full() {
      return nextIndex > MAX_INDEX;
    }

    /** Adds an object and returns its index. */
    int add(byte[] data) {
      int index = nextIndex++;
      buf.u16(index);
      buf.u16(0); // reference count (the HDF5 library writes 0 for variable-length data)
      buf.u32(0);
      buf.u64(data.length);
      buf.bytes(data);
      buf.zeros((int) (pad8(data.length) - data.length));
      return index;
    }

    /** Appends the free-space object and returns the complete collection. */
    byte[] finish() {
      long used = buf.size();
      long size = Math.max(MIN_HEAP_COLLECTION, used + 16);
      long free = size - used;
      buf.u16(0);
      buf.u16(0);
      buf.u32(0);
      buf.u64(free);
      buf.zeros((int) (free - 16));
      buf.setU64(8, size);
      return buf.toByteArray();
    }
  }

  /** A growable little-endian byte buffer. */
  static final class Buf {
    private byte[] a;
    private int n;

    Buf(int capacity) {
      a = new byte[Math.max(16, capacity)];
    }

    private void ensure(int more) {
      if (more > Integer.MAX_VALUE - 16 - n) {
        throw new IllegalArgumentException("metadata block larger than 2 GiB");
      }
      if (n + more > a.length) {
        long grown = Math.max((long) a.length * 2, (long) n + more);
        a = Arrays.copyOf(a, (int) Math.min(grown, Integer.MAX_VALUE - 16));
      }
    }

    Buf u8(int v) {
      ensure(1);
      a[n++] = (byte) v;
      return this;
    }

    Buf u16(int v) {
      ensure(2);
      a[n++] = (byte) v;
      a[n++] = (byte) (v >>> 8);
      return this;
    }

    Buf u32(int v) {
      ensure(4);
      for (int i = 0; i < 4; i++) {
        a[n++] = (byte) (v >>> (8 * i));
      }
      return this;
    }

    Buf u64(long v) {
      ensure(8);
      for (int i = 0; i < 8; i++) {
        a[n++] = (byte) (v >>> (8 * i));
      }
      return this;
    }

    Buf bytes(byte[] v) {
      ensure(v.length);
      System.arraycopy(v, 0, a, n, v.length);
      n += v.length;
      return this;
    }

    Buf zeros(int count) {
      ensure(count);
      n += count; // the array is zero-filled beyond n
      return this;
    }

    void setU64(int pos, long v) {
      for (int i = 0; i < 8; i++) {
        a[pos + i] = (byte) (v >>> (8 * i));
      }
    }

    int size() {
      return n;
    }

    byte[] array() {
      return a;
    }

    byte[] toByteArray() {
      return n == a.length ? a : Arrays.copyOf(a, n);
    }
  }
}
