package io.jeras.savedmodels.hdf5;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small, dependency-free writer for HDF5 files of nested groups, contiguous datasets and
 * attributes: the subset that Keras uses for {@code model.weights.h5} (and Keras 2 for
 * {@code .h5} models). It uses only format features of HDF5 1.8 and later (superblock 2,
 * version 2 object headers, compact "new style" groups); tested with HDF5 1.14.4 and 1.14.6
 * through h5py 3.12 and 3.14, with Keras 3.8 and 3.15, and with jHDF 0.9.4.
 *
 * <pre>{@code
 * try (Hdf5Writer h5 = Hdf5Writer.create(path)) {
 *     Hdf5Writer.Group vars = h5.root().group("layers").group("dense").group("vars");
 *     vars.attribute("name", "dense");
 *     vars.dataset("0", new long[] {512, 4}, kernel);      // float32, C order
 *     vars.dataset("1", new long[] {4}, bias);
 *     vars.dataset("2", new long[] {}, new long[] {7});    // int64 scalar
 *     try (Hdf5Writer.DatasetStream s =
 *             vars.datasetStream("3", Hdf5Writer.DataType.FLOAT32, new long[] {1 << 20, 256})) {
 *         while (...) {
 *             s.write(nextChunk);                           // any number of values at a time
 *         }
 *     }
 * }
 * }</pre>
 *
 * <h2>Memory and streaming</h2>
 * Raw data goes to the file when a dataset is added (or, for a {@link DatasetStream}, as it is
 * written); only names, shapes, addresses and attributes stay in memory. Object headers, the
 * global heap with the attribute strings and the superblock are written by {@link #close()}.
 * Every offset is a {@code long}, so files larger than 2 GiB (or 4 GiB) are fine.
 *
 * <h2>What readers see</h2>
 * <ul>
 *   <li>Datasets: float32, float64, int32 and int64 (signed), uint8, and bool stored the way h5py
 *       stores numpy bools (an enum {@code FALSE=0, TRUE=1} over int8), so h5py returns
 *       {@code numpy.bool_}. Shapes are C order; rank 0 is a scalar dataspace; a zero-size
 *       dimension is allowed.</li>
 *   <li>String attributes are variable-length UTF-8 strings, as h5py writes for
 *       {@code attrs["x"] = "text"}. h5py 3 returns a scalar one as {@code str} and an array as a
 *       {@code numpy.ndarray} of dtype {@code object} holding {@code str}. Their bytes live in
 *       the global heap, so a string can be many megabytes long.</li>
 *   <li>Numeric attributes use the same types as datasets.</li>
 * </ul>
 *
 * <h2>Limits</h2>
 * <ul>
 *   <li>One attribute must fit into a 64 KiB object header message: a numeric attribute holds at
 *       most about 64 KiB of data and a string array at most about 4000 strings (each string can
 *       be of any length).</li>
 *   <li>Names are UTF-8; object names must not be empty, ".", or contain '/' or NUL, and have
 *       at most 65522 bytes; attribute names must not be empty or contain NUL. Names are unique
 *       per group / per object.</li>
 *   <li>Strings must not contain NUL (readers would cut them there) and must be valid
 *       Unicode.</li>
 *   <li>All links of a group are stored in its object header (compact storage), whatever their
 *       number; reading is fast (20,000 children tested), but if the HDF5 library later opens
 *       the file read-write and adds a link to a group with thousands of children, it first
 *       converts the group to dense storage, which takes seconds (2.4 s for 2,000 links).</li>
 *   <li>No chunking, compression, links other than hard links, or modification of existing
 *       files. Not thread-safe.</li>
 * </ul>
 * If {@link #close()} fails (for example because a {@link DatasetStream} did not receive all its
 * values) the file is left without a valid superblock, so no reader mistakes it for a good file.
 */
public final class Hdf5Writer implements Closeable {

  /** Element types of datasets and numeric attributes. */
  public enum DataType {
    /** IEEE 754 binary32, little-endian; numpy {@code float32}. */
    FLOAT32(4, "float32"),
    /** IEEE 754 binary64, little-endian; numpy {@code float64}. */
    FLOAT64(8, "float64"),
    /** Signed 32-bit integer, little-endian; numpy {@code int32}. */
    INT32(4, "int32"),
    /** Signed 64-bit integer, little-endian; numpy {@code int64}. */
    INT64(8, "int64"),
    /** Unsigned 8-bit integer; numpy {@code uint8}. Java bytes are stored bit for bit. */
    UINT8(1, "uint8"),
    /** Boolean as h5py stores numpy {@code bool}: enum FALSE=0/TRUE=1 over int8. */
    BOOL(1, "bool");

    private final int size;
    private final String numpyName;

    DataType(int size, String numpyName) {
      this.size = size;
      this.numpyName = numpyName;
    }

    /**
     * Returns the size of one element in the file.
     *
     * @return the element size in bytes
     */
    public int size() {
      return size;
    }

    /**
     * Returns the name numpy gives the dtype that h5py returns for this type.
     *
     * @return for example {@code "float32"} or {@code "bool"}
     */
    public String numpyName() {
      return numpyName;
    }
  }

  /** Strings are packed into global heap collections of about this size. */
  private static final int HEAP_COLLECTION_TARGET = 1 << 20;
  private static final int SCRATCH_SIZE = 1 << 20;

  private final Path path;
  private final FileChannel channel;
  private final Group root;
  private final ByteBuffer scratch =
      ByteBuffer.allocateDirect(SCRATCH_SIZE).order(ByteOrder.LITTLE_ENDIAN);
  /** Streams not yet closed, in creation order (identity equality). */
  private final Set<DatasetStream> openStreams = new LinkedHashSet<>();
  private long endOfFile;
  private boolean closed;

  private Hdf5Writer(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
    this.root = new Group(this, null, "");
    this.endOfFile = Hdf5Format.SUPERBLOCK_SIZE;
  }

  /**
   * Creates (or truncates) an HDF5 file. The superblock is written by {@link #close()}.
   *
   * @param path the file to write
   * @return a writer whose {@link #root()} group is empty
   * @throws IOException if the file cannot be created
   */
  public static Hdf5Writer create(Path path) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    Hdf5Writer writer = new Hdf5Writer(path, channel);
    try {
      // Placeholder until close(): a file that was never closed has no HDF5 signature.
      writer.writeFully(ByteBuffer.allocate(Hdf5Format.SUPERBLOCK_SIZE), 0);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    return writer;
  }

  /**
   * Returns the root group ("/").
   *
   * @return the root group
   */
  public Group root() {
    return root;
  }

  /**
   * Returns the file being written.
   *
   * @return the path given to {@link #create(Path)}
   */
  public Path path() {
    return path;
  }

  /**
   * Writes the global heap, all object headers (children before parents) and the superblock,
   * then closes the file. Calling it again does nothing.
   *
   * @throws IllegalStateException if a {@link DatasetStream} did not receive all its values;
   *     the file is then closed without a valid superblock
   * @throws IOException if writing fails
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      List<String> incomplete = new ArrayList<>();
      for (DatasetStream s : openStreams) {
        if (s.written != s.dataset.byteSize) {
          incomplete.add(s.dataset.path + " (" + s.writtenElements() + " of "
              + s.dataset.elementCount + " values written)");
        }
      }
      if (!incomplete.isEmpty()) {
        throw new IllegalStateException("cannot finish " + path
            + ": dataset streams are incomplete: " + String.join(", ", incomplete));
      }
      openStreams.clear();
      List<Node> nodes = childrenFirst();
      writeStrings(nodes);
      for (Node node : nodes) {
        byte[] header = Hdf5Format.objectHeader(node.messages(), node.path);
        node.headerAddress = allocate(header.length);
        writeFully(ByteBuffer.wrap(header), node.headerAddress);
      }
      byte[] superblock = Hdf5Format.superblock(endOfFile, root.headerAddress);
      writeFully(ByteBuffer.wrap(superblock), 0);
      if (channel.size() != endOfFile) {
        throw new IOException("internal error: " + path + " has " + channel.size()
            + " bytes but the superblock says " + endOfFile);
      }
    } finally {
      channel.close();
    }
  }

  /** All nodes, each child before its parent (reversed pre-order, iterative). */
  private List<Node> childrenFirst() {
    List<Node> preOrder = new ArrayList<>();
    Deque<Node> stack = new ArrayDeque<>();
    stack.push(root);
    while (!stack.isEmpty()) {
      Node node = stack.pop();
      preOrder.add(node);
      if (node instanceof Group) {
        for (Node child : ((Group) node).children.values()) {
          stack.push(child);
        }
      }
    }
    Collections.reverse(preOrder);
    return preOrder;
  }

  /** Writes all attribute strings into global heap collections and records their ids. */
  private void writeStrings(List<Node> nodes) throws IOException {
    Hdf5Format.HeapCollection heap = null;
    for (Node node : nodes) {
      for (Attribute a : node.attributes.values()) {
        if (a.strings == null) {
          continue;
        }
        for (int i = 0; i < a.strings.length; i++) {
          byte[] s = a.strings[i];
          long need = 16 + Hdf5Format.pad8(s.length);
          if (heap != null
              && (heap.full() || heap.used() + need > HEAP_COLLECTION_TARGET)) {
            writeHeap(heap);
            heap = null;
          }
          if (heap == null) {
            // Nothing else is allocated until this collection is written.
            heap = new Hdf5Format.HeapCollection(endOfFile);
          }
          a.heapAddress[i] = heap.address();
          a.heapIndex[i] = heap.add(s);
        }
      }
    }
    if (heap != null) {
      writeHeap(heap);
    }
  }

  private void writeHeap(Hdf5Format.HeapCollection heap) throws IOException {
    byte[] bytes = heap.finish();
    long address = allocate(bytes.length);
    if (address != heap.address()) {
      throw new IllegalStateException("internal error: heap collection moved");
    }
    writeFully(ByteBuffer.wrap(bytes), address);
  }

  private long allocate(long size) {
    long address = endOfFile;
    endOfFile = Math.addExact(endOfFile, size);
    return address;
  }

  private void writeFully(ByteBuffer buffer, long position) throws IOException {
    long pos = position;
    while (buffer.hasRemaining()) {
      pos += channel.write(buffer, pos);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the HDF5 writer for " + path + " is closed");
    }
  }

  /** Fills {@code count} elements, starting at element {@code from}, into the buffer. */
  @FunctionalInterface
  private interface Filler {
    void fill(ByteBuffer buffer, int from, int count);
  }

  /** Writes {@code length} elements of {@code elementSize} bytes at {@code position}. */
  private void writeElements(long position, int elementSize, int length, Filler filler)
      throws IOException {
    int perRound = SCRATCH_SIZE / elementSize;
    long pos = position;
    for (int done = 0; done < length; ) {
      int n = Math.min(perRound, length - done);
      scratch.clear();
      filler.fill(scratch, done, n);
      scratch.position(0).limit(n * elementSize);
      writeFully(scratch, pos);
      pos += (long) n * elementSize;
      done += n;
    }
  }

  private void writeFloats(long pos, float[] v, int off, int len) throws IOException {
    writeElements(pos, 4, len, (b, from, n) -> b.asFloatBuffer().put(v, off + from, n));
  }

  private void writeDoubles(long pos, double[] v, int off, int len) throws IOException {
    writeElements(pos, 8, len, (b, from, n) -> b.asDoubleBuffer().put(v, off + from, n));
  }

  private void writeInts(long pos, int[] v, int off, int len) throws IOException {
    writeElements(pos, 4, len, (b, from, n) -> b.asIntBuffer().put(v, off + from, n));
  }

  private void writeLongs(long pos, long[] v, int off, int len) throws IOException {
    writeElements(pos, 8, len, (b, from, n) -> b.asLongBuffer().put(v, off + from, n));
  }

  private void writeBytes(long pos, byte[] v, int off, int len) throws IOException {
    writeFully(ByteBuffer.wrap(v, off, len), pos);
  }

  private void writeBooleans(long pos, boolean[] v, int off, int len) throws IOException {
    writeElements(pos, 1, len, (b, from, n) -> {
      for (int i = 0; i < n; i++) {
        b.put(i, v[off + from + i] ? (byte) 1 : (byte) 0);
      }
    });
  }

  // ----------------------------------------------------------------------------------------
  // Validation helpers

  private static byte[] utf8(String s, String what) {
    try {
      ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(s));
      byte[] out = new byte[b.remaining()];
      b.get(out);
      return out;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(what + " is not valid Unicode (it has an unpaired "
          + "surrogate): " + quote(s), e);
    }
  }

  private static String quote(String s) {
    String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    return "\"" + shown.replace("\0", "\\0") + "\"";
  }

  private static long[] checkShape(long[] shape, String path) {
    if (shape == null) {
      throw new IllegalArgumentException("dataset " + path + ": shape is null; use "
          + "new long[0] for a scalar");
    }
    if (shape.length > Hdf5Format.MAX_RANK) {
      throw new IllegalArgumentException(path + ": HDF5 supports at most "
          + Hdf5Format.MAX_RANK + " dimensions, got shape " + Arrays.toString(shape));
    }
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(path + ": dimensions must be >= 0, got shape "
            + Arrays.toString(shape));
      }
    }
    return shape.clone();
  }

  private static long elementCount(long[] shape, int elementSize, String path) {
    try {
      long n = 1;
      for (long d : shape) {
        n = Math.multiplyExact(n, d);
      }
      Math.multiplyExact(n, (long) elementSize);
      return n;
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(path + ": shape " + Arrays.toString(shape)
          + " has more bytes than a long can count", e);
    }
  }

  private static void checkLength(long expected, int actual, long[] shape, String what) {
    if (expected != actual) {
      throw new IllegalArgumentException(what + ": shape " + Arrays.toString(shape)
          + " needs " + expected + " values, got " + actual);
    }
  }

  private static void checkRange(int arrayLength, int offset, int length, String path) {
    if (offset < 0 || length < 0 || offset > arrayLength - length) {
      throw new IndexOutOfBoundsException(path + ": range [" + offset + ", " + offset + "+"
          + length + ") is outside an array of " + arrayLength + " values");
    }
  }

  private static byte[] littleEndian(int elementSize, int length, Filler filler) {
    ByteBuffer b = ByteBuffer.allocate(elementSize * length).order(ByteOrder.LITTLE_ENDIAN);
    filler.fill(b, 0, length);
    return b.array();
  }

  // ----------------------------------------------------------------------------------------
  // Tree

  /** An attribute as it will be encoded at close. */
  private static final class Attribute {
    final byte[] name;
    final byte[] datatype;
    final byte[] dataspace;
    /** Raw data of a numeric attribute; null for strings. */
    final byte[] data;
    /** UTF-8 strings of a string attribute; null for numbers. */
    final byte[][] strings;
    final long[] heapAddress;
    final int[] heapIndex;

    Attribute(byte[] name, byte[] datatype, byte[] dataspace, byte[] data,
        byte[][] strings) {
      this.name = name;
      this.datatype = datatype;
      this.dataspace = dataspace;
      this.data = data;
      this.strings = strings;
      this.heapAddress = strings == null ? null : new long[strings.length];
      this.heapIndex = strings == null ? null : new int[strings.length];
    }

    Hdf5Format.Message message() {
      byte[] raw = data;
      if (strings != null) {
        Hdf5Format.Buf b = new Hdf5Format.Buf(strings.length
            * Hdf5Format.VLEN_ELEMENT_SIZE);
        for (int i = 0; i < strings.length; i++) {
          b.u32(strings[i].length);
          b.u64(heapAddress[i]);
          b.u32(heapIndex[i]);
        }
        raw = b.toByteArray();
      }
      return Hdf5Format.attribute(name, datatype, dataspace, raw);
    }
  }

  /**
   * An object in the file that can carry attributes: a {@link Group} or a {@link Dataset}.
   * Attribute names must be unique per object; adding one with a name already used throws.
   */
  public abstract static class Node {
    final Hdf5Writer writer;
    final Group parent;
    final String name;
    final String path;
    final Map<String, Attribute> attributes = new LinkedHashMap<>();
    long headerAddress = Hdf5Format.UNDEFINED_ADDRESS;

    Node(Hdf5Writer writer, Group parent, String name) {
      this.writer = writer;
      this.parent = parent;
      this.name = name;
      if (parent == null) {
        this.path = "/";
      } else if (parent.parent == null) {
        this.path = "/" + name;
      } else {
        this.path = parent.path + "/" + name;
      }
    }

    /**
     * Returns the link name of this object ("" for the root group).
     *
     * @return the name
     */
    public String name() {
      return name;
    }

    /**
     * Returns the absolute path of this object, such as {@code /layers/dense/vars}.
     *
     * @return the path
     */
    public String path() {
      return path;
    }

    @Override
    public String toString() {
      return getClass().getSimpleName() + " " + path;
    }

    abstract List<Hdf5Format.Message> messages();

    void addAttributeMessages(List<Hdf5Format.Message> out) {
      out.add(Hdf5Format.attributeInfo());
      for (Attribute a : attributes.values()) {
        out.add(a.message());
      }
    }

    /**
     * Adds a variable-length UTF-8 string attribute with a scalar dataspace. h5py returns
     * it as {@code str}. The string may be long (megabytes of JSON are fine).
     *
     * @param name the attribute name
     * @param value the value; must not contain NUL
     */
    public void attribute(String name, String value) {
      addStrings(name, new String[] {value}, true);
    }

    /**
     * Adds a one-dimensional attribute of variable-length UTF-8 strings. h5py returns it as
     * a {@code numpy.ndarray} of dtype {@code object} holding {@code str}.
     *
     * @param name the attribute name
     * @param values the values (at most about 4000); none may be null or contain NUL
     */
    public void attribute(String name, String[] values) {
      if (values == null) {
        throw new IllegalArgumentException("attribute " + quote(String.valueOf(name))
            + " on " + path + ": values are null");
      }
      addStrings(name, values.clone(), false);
    }

    /**
     * Adds a scalar int64 attribute.
     *
     * @param name the attribute name
     * @param value the value
     */
    public void attribute(String name, long value) {
      attribute(name, new long[0], new long[] {value});
    }

    /**
     * Adds a scalar float64 attribute.
     *
     * @param name the attribute name
     * @param value the value
     */
    public void attribute(String name, double value) {
      attribute(name, new long[0], new double[] {value});
    }

    /**
     * Adds a float32 attribute of the given shape (C order; {@code new long[0]} for a
     * scalar).
     *
     * @param name the attribute name
     * @param shape the dimensions
     * @param values exactly as many values as the shape holds
     */
    public void attribute(String name, long[] shape, float[] values) {
      int n = checkArray(name, shape, values == null ? -1 : values.length, DataType.FLOAT32);
      addNumbers(name, DataType.FLOAT32, shape,
          littleEndian(4, n, (b, f, c) -> b.asFloatBuffer().put(values, f, c)));
    }

    /**
     * Adds a float64 attribute of the given shape.
     *
     * @param name the attribute name
     * @param shape the dimensions
     * @param values exactly as many values as the shape holds
     */
    public void attribute(String name, long[] shape, double[] values) {
      int n = checkArray(name, shape, values == null ? -1 : values.length, DataType.FLOAT64);
      addNumbers(name, DataType.FLOAT64, shape,
          littleEndian(8, n, (b, f, c) -> b.asDoubleBuffer().put(values, f, c)));
    }

    /**
     * Adds an int32 attribute of the given shape.
     *
     * @param name the attribute name
     * @param shape the dimensions
     * @param values exactly as many values as the shape holds
     */
    public void attribute(String name, long[] shape, int[] values) {
      int n = checkArray(name, shape, values == null ? -1 : values.length, DataType.INT32);
      addNumbers(name, DataType.INT32, shape,
          littleEndian(4, n, (b, f, c) -> b.asIntBuffer().put(values, f, c)));
    }

    /**
     * Adds an int64 attribute of the given shape.
     *
     * @param name the attribute name
     * @param shape the dimensions
     * @param values exactly as many values as the shape holds
     */
    public void attribute(String name, long[] shape, long[] values) {
      int n = checkArray(name, shape, values == null ? -1 : values.length, DataType.INT64);
      addNumbers(name, DataType.INT64, shape,
          littleEndian(8, n, (b, f, c) -> b.asLongBuffer().put(values, f, c)));
    }

    /**
     * Adds a uint8 attribute of the given shape.
     *
     * @param name the attribute name
     * @param shape the dimensions
     * @param values exactly as many values as the shape holds
     */
    public void attribute(String name, long[] shape, byte[] values) {
      checkArray(name, shape, values == null ? -1 : values.length, DataType.UINT8);
      addNumbers(name, DataType.UINT8, shape, values.clone());
    }

    /**
     * Adds a bool attribute of the given shape (h5py returns {@code numpy.bool_}).
     *
     * @param name the attribute name
     * @param shape the dimensions
     * @param values exactly as many values as the shape holds
     */
    public void attribute(String name, long[] shape, boolean[] values) {
      int n = checkArray(name, shape, values == null ? -1 : values.length, DataType.BOOL);
      byte[] raw = new byte[n];
      for (int i = 0; i < n; i++) {
        raw[i] = values[i] ? (byte) 1 : (byte) 0;
      }
      addNumbers(name, DataType.BOOL, shape, raw);
    }

    private int checkArray(String name, long[] shape, int length, DataType type) {
      String what = "attribute " + quote(String.valueOf(name)) + " on " + path;
      if (length < 0) {
        throw new IllegalArgumentException(what + ": values are null");
      }
      long[] s = checkShape(shape, what);
      checkLength(elementCount(s, type.size(), what), length, s, what);
      return length;
    }

    private byte[] checkAttributeName(String name) {
      writer.checkOpen();
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("attribute names must not be "
            + (name == null ? "null" : "empty") + " (on " + path + ")");
      }
      if (name.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("attribute name " + quote(name) + " on " + path
            + " contains NUL");
      }
      byte[] utf8 = utf8(name, "attribute name on " + path);
      if (attributes.containsKey(name)) {
        throw new IllegalArgumentException("duplicate attribute " + quote(name) + " on "
            + path);
      }
      return utf8;
    }

    private void addStrings(String name, String[] values, boolean scalar) {
      byte[] nameBytes = checkAttributeName(name);
      byte[][] encoded = new byte[values.length][];
      for (int i = 0; i < values.length; i++) {
        String what = "attribute " + quote(name) + " on " + path
            + (scalar ? "" : " (value " + i + ")");
        if (values[i] == null) {
          throw new IllegalArgumentException(what + " is null");
        }
        if (values[i].indexOf('\0') >= 0) {
          throw new IllegalArgumentException(what + " contains NUL, which HDF5 "
              + "strings cannot hold: " + quote(values[i]));
        }
        encoded[i] = utf8(values[i], what);
      }
      byte[] dataspace = Hdf5Format.dataspaceBody(
          scalar ? new long[0] : new long[] {values.length});
      add(name, new Attribute(nameBytes, Hdf5Format.vlenStringTypeBody(), dataspace, null,
          encoded), (long) values.length * Hdf5Format.VLEN_ELEMENT_SIZE);
    }

    private void addNumbers(String name, DataType type, long[] shape, byte[] raw) {
      byte[] nameBytes = checkAttributeName(name);
      add(name, new Attribute(nameBytes, Hdf5Format.datatypeBody(type),
          Hdf5Format.dataspaceBody(shape), raw, null), raw.length);
    }

    private void add(String name, Attribute a, long dataSize) {
      int size = Hdf5Format.attributeSize(a.name.length, a.datatype.length,
          a.dataspace.length, dataSize);
      if (size > Hdf5Format.MAX_MESSAGE_SIZE) {
        throw new IllegalArgumentException("attribute " + quote(name) + " on " + path
            + " needs " + size + " bytes in the object header, but an HDF5 "
            + "attribute message holds at most " + Hdf5Format.MAX_MESSAGE_SIZE
            + " (store large data as a dataset)");
      }
      attributes.put(name, a);
    }
  }

  /** A group: holds named groups and datasets, and attributes. */
  public static final class Group extends Node {
    final Map<String, Node> children = new LinkedHashMap<>();

    Group(Hdf5Writer writer, Group parent, String name) {
      super(writer, parent, name);
    }

    /**
     * Creates a child group.
     *
     * @param name the name, unique in this group
     * @return the new group
     */
    public Group group(String name) {
      checkChildName(name, "group");
      Group g = new Group(writer, this, name);
      children.put(name, g);
      return g;
    }

    /**
     * Returns the child group of that name, creating it if absent.
     *
     * @param name the name
     * @return the existing or new group
     * @throws IllegalArgumentException if a dataset already has that name
     */
    public Group groupIfAbsent(String name) {
      Node existing = children.get(name);
      if (existing instanceof Group) {
        return (Group) existing;
      }
      return group(name);
    }

    /**
     * Returns the names of the children added so far, in the order they were added.
     *
     * @return an unmodifiable view of the names
     */
    public Set<String> childNames() {
      return Collections.unmodifiableSet(children.keySet());
    }

    /**
     * Adds a float32 dataset and writes its values to the file now.
     *
     * @param name the name, unique in this group
     * @param shape the dimensions, C order ({@code new long[0]} for a scalar)
     * @param values exactly as many values as the shape holds
     * @return the dataset, for attributes
     * @throws IOException if writing fails
     */
    public Dataset dataset(String name, long[] shape, float[] values) throws IOException {
      Dataset d = newDataset(name, DataType.FLOAT32, shape, values == null
          ? NULL_VALUES : values.length);
      writer.writeFloats(d.dataAddress, values, 0, values.length);
      return register(d);
    }

    /**
     * Adds a float64 dataset and writes its values to the file now.
     *
     * @param name the name, unique in this group
     * @param shape the dimensions, C order
     * @param values exactly as many values as the shape holds
     * @return the dataset, for attributes
     * @throws IOException if writing fails
     */
    public Dataset dataset(String name, long[] shape, double[] values) throws IOException {
      Dataset d = newDataset(name, DataType.FLOAT64, shape, values == null
          ? NULL_VALUES : values.length);
      writer.writeDoubles(d.dataAddress, values, 0, values.length);
      return register(d);
    }

    /**
     * Adds an int32 dataset and writes its values to the file now.
     *
     * @param name the name, unique in this group
     * @param shape the dimensions, C order
     * @param values exactly as many values as the shape holds
     * @return the dataset, for attributes
     * @throws IOException if writing fails
     */
    public Dataset dataset(String name, long[] shape, int[] values) throws IOException {
      Dataset d = newDataset(name, DataType.INT32, shape, values == null
          ? NULL_VALUES : values.length);
      writer.writeInts(d.dataAddress, values, 0, values.length);
      return register(d);
    }

    /**
     * Adds an int64 dataset and writes its values to the file now.
     *
     * @param name the name, unique in this group
     * @param shape the dimensions, C order
     * @param values exactly as many values as the shape holds
     * @return the dataset, for attributes
     * @throws IOException if writing fails
     */
    public Dataset dataset(String name, long[] shape, long[] values) throws IOException {
      Dataset d = newDataset(name, DataType.INT64, shape, values == null
          ? NULL_VALUES : values.length);
      writer.writeLongs(d.dataAddress, values, 0, values.length);
      return register(d);
    }

    /**
     * Adds a uint8 dataset and writes its values to the file now.
     *
     * @param name the name, unique in this group
     * @param shape the dimensions, C order
     * @param values exactly as many values as the shape holds (stored bit for bit)
     * @return the dataset, for attributes
     * @throws IOException if writing fails
     */
    public Dataset dataset(String name, long[] shape, byte[] values) throws IOException {
      Dataset d = newDataset(name, DataType.UINT8, shape, values == null
          ? NULL_VALUES : values.length);
      writer.writeBytes(d.dataAddress, values, 0, values.length);
      return register(d);
    }

    /**
     * Adds a bool dataset and writes its values to the file now.
     *
     * @param name the name, unique in this group
     * @param shape the dimensions, C order
     * @param values exactly as many values as the shape holds
     * @return the dataset, for attributes
     * @throws IOException if writing fails
     */
    public Dataset dataset(String name, long[] shape, boolean[] values) throws IOException {
      Dataset d = newDataset(name, DataType.BOOL, shape, values == null
          ? NULL_VALUES : values.length);
      writer.writeBooleans(d.dataAddress, values, 0, values.length);
      return register(d);
    }

    /**
     * Adds a dataset whose values are written in pieces through the returned stream, so
     * that they never need to be in memory at once. Its file space is reserved now; other
     * datasets may be added while the stream is open. All values must be written before
     * {@link Hdf5Writer#close()}.
     *
     * @param name the name, unique in this group
     * @param type the element type
     * @param shape the dimensions, C order
     * @return the stream to write the values to, in C order
     */
    public DatasetStream datasetStream(String name, DataType type, long[] shape) {
      if (type == null) {
        throw new IllegalArgumentException("dataset " + childPath(name)
            + ": type is null");
      }
      Dataset d = newDataset(name, type, shape, STREAMED);
      register(d);
      DatasetStream s = new DatasetStream(d);
      writer.openStreams.add(s);
      return s;
    }

    /** Marks a dataset whose values come through a {@link DatasetStream}. */
    private static final int STREAMED = -1;
    /** Marks a call whose values array was null. */
    private static final int NULL_VALUES = -2;

    private Dataset newDataset(String name, DataType type, long[] shape, int length) {
      checkChildName(name, "dataset");
      String p = childPath(name);
      if (length == NULL_VALUES) {
        throw new IllegalArgumentException("dataset " + p + ": values are null");
      }
      long[] s = checkShape(shape, p);
      long count = elementCount(s, type.size(), p);
      if (length != STREAMED) {
        checkLength(count, length, s, "dataset " + p);
      }
      long size = count * type.size();
      long address = size == 0 ? Hdf5Format.UNDEFINED_ADDRESS : writer.allocate(size);
      return new Dataset(writer, this, name, type, s, count, size, address);
    }

    private Dataset register(Dataset d) {
      children.put(d.name, d);
      return d;
    }

    private String childPath(String name) {
      return (parent == null ? "" : path) + "/" + name;
    }

    private byte[] checkChildName(String name, String kind) {
      writer.checkOpen();
      String where = "cannot add " + kind + " to " + path + ": ";
      if (name == null) {
        throw new IllegalArgumentException(where + "the name is null");
      }
      if (name.isEmpty()) {
        throw new IllegalArgumentException(where + "the name is empty");
      }
      if (name.equals(".")) {
        throw new IllegalArgumentException(where + "\".\" is not a valid name");
      }
      if (name.indexOf('/') >= 0) {
        throw new IllegalArgumentException(where + "the name " + quote(name)
            + " contains '/'");
      }
      if (name.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(where + "the name " + quote(name)
            + " contains NUL");
      }
      byte[] utf8 = utf8(name, kind + " name in " + path);
      if (utf8.length > Hdf5Format.MAX_LINK_NAME) {
        throw new IllegalArgumentException(where + "the name has " + utf8.length
            + " bytes in UTF-8; HDF5 link names can have at most "
            + Hdf5Format.MAX_LINK_NAME);
      }
      Node existing = children.get(name);
      if (existing != null) {
        throw new IllegalArgumentException(where + existing.path + " already exists (a "
            + (existing instanceof Group ? "group" : "dataset") + ")");
      }
      return utf8;
    }

    @Override
    List<Hdf5Format.Message> messages() {
      List<Hdf5Format.Message> out = new ArrayList<>(children.size() + 3
          + attributes.size());
      out.add(Hdf5Format.linkInfo());
      out.add(Hdf5Format.groupInfo());
      for (Node child : children.values()) {
        out.add(Hdf5Format.hardLink(utf8(child.name, "name"), child.headerAddress));
      }
      addAttributeMessages(out);
      return out;
    }
  }

  /** A dataset with contiguous storage. Attributes can be added to it. */
  public static final class Dataset extends Node {
    final DataType type;
    final long[] shape;
    final long elementCount;
    final long byteSize;
    final long dataAddress;

    Dataset(Hdf5Writer writer, Group parent, String name, DataType type, long[] shape,
        long elementCount, long byteSize, long dataAddress) {
      super(writer, parent, name);
      this.type = type;
      this.shape = shape;
      this.elementCount = elementCount;
      this.byteSize = byteSize;
      this.dataAddress = dataAddress;
    }

    /**
     * Returns the element type.
     *
     * @return the type
     */
    public DataType type() {
      return type;
    }

    /**
     * Returns the dimensions.
     *
     * @return a copy of the shape
     */
    public long[] shape() {
      return shape.clone();
    }

    @Override
    List<Hdf5Format.Message> messages() {
      List<Hdf5Format.Message> out = new ArrayList<>(5 + attributes.size());
      out.add(Hdf5Format.dataspace(shape));
      out.add(Hdf5Format.datatype(type));
      out.add(Hdf5Format.fillValue());
      out.add(Hdf5Format.contiguousLayout(dataAddress, byteSize));
      addAttributeMessages(out);
      return out;
    }
  }

  /**
   * Receives the values of a dataset created by {@link Group#datasetStream}, in C order and in
   * any number of pieces. The write method must match the dataset type (for example
   * {@code write(float[])} for {@link DataType#FLOAT32}); {@link #write(ByteBuffer)} takes
   * raw little-endian bytes for any type. {@link #close()} checks that every value arrived.
   */
  public static final class DatasetStream implements AutoCloseable {
    private final Dataset dataset;
    private long written;
    private boolean closed;

    DatasetStream(Dataset dataset) {
      this.dataset = dataset;
    }

    /**
     * Returns the dataset being written, for example to add attributes.
     *
     * @return the dataset
     */
    public Dataset dataset() {
      return dataset;
    }

    /**
     * Returns how many values are still expected.
     *
     * @return the number of values not yet written
     */
    public long remaining() {
      return dataset.elementCount - writtenElements();
    }

    long writtenElements() {
      return written / dataset.type.size();
    }

    private long reserve(DataType expected, String got, long count) {
      if (closed) {
        throw new IllegalStateException("the stream of dataset " + dataset.path
            + " is closed");
      }
      dataset.writer.checkOpen();
      if (expected != null && expected != dataset.type) {
        throw new IllegalArgumentException("dataset " + dataset.path + " is "
            + dataset.type.numpyName() + "; it cannot take " + got);
      }
      long bytes = count * dataset.type.size();
      if (bytes > dataset.byteSize - written) {
        throw new IllegalArgumentException("dataset " + dataset.path + " of shape "
            + Arrays.toString(dataset.shape) + " expects " + remaining()
            + " more values, got " + count);
      }
      long position = dataset.dataAddress + written;
      written += bytes;
      return position;
    }

    /**
     * Writes float32 values.
     *
     * @param values the next values
     * @return this stream
     * @throws IOException if writing fails
     */
    public DatasetStream write(float[] values) throws IOException {
      return write(values, 0, values.length);
    }

    /**
     * Writes {@code length} float32 values starting at {@code offset}.
     *
     * @param values the array holding the next values
     * @param offset index of the first value to write
     * @param length number of values to write
     * @return this stream
     * @throws IOException if writing fails
     */
    public DatasetStream write(float[] values, int offset, int length) throws IOException {
      checkRange(values.length, offset, length, dataset.path);
      long pos = reserve(DataType.FLOAT32, "float[] values", length);
      dataset.writer.writeFloats(pos, values, offset, length);
      return this;
    }

    /**
     * Writes float64 values.
     *
     * @param values the next values
     * @return this stream
     * @throws IOException if writing fails
     */
    public DatasetStream write(double[] values) throws IOException {
      return write(values, 0, values.length);
    }

    /**
     * Writes {@code length} float64 values starting at {@code offset}.
     *
     * @param values the array holding the next values
     * @param offset index of the first value to write
     * @param length number of values to write
     * @return this stream
     * @throws IOException if writing fails
     */
    public DatasetStream write(double[] values, int offset, int length) throws IOException {
      checkRange(values.length, offset, length, dataset.path);
      long pos = reserve(DataType.FLOAT64, "double[] values", length);
      dataset.writer.writeDoubles(pos, values, offset, length);
      return this;
    }

    /**
     * Writes int32 values.
     *
     * @param values the next values
     * @return this stream
     * @throws IOException if writing fails
     */
    public DatasetStream write(int[] values) throws IOException {
      return write(values, 0, values.length);
    }

    /**
     * Writes {@code length} int32 values starting at {@code offset}.
     *
     * @param values the array holding the next values
     * @param offset index of the first value to write
     * @param length number of values to write
     * @return this stream
     * @throws IOException if writing fails
     */
    public DatasetStream write(int[] values, int offset, int length) throws IOException {
      checkRange(values.length, offset, length, dataset.path);
      long pos = reserve(DataType.INT32, "int[] values", length);
      dataset.writer.writeInts(pos, values, offset, length);
      return this;
    }

    /**
     * Writes int64 values.
     *
     * @param values the next values
     * @return this stream
     * @throws IOException if writing fails
     */
    public DatasetStream write(long[] values) throws IOException {
      return write(values, 0, values.length);
    }

    /**
     * Writes {@code length} int64 values starting at {@code offset}.
     *
     * @param values the array holding the next values
     * @param offset index of the first value to write
     * @param length number of values to write
     * @return this stream
     * @throws IOException if writing fails
     */
    public DatasetStream write(long[] values, int offset, int length) throws IOException {
      checkRange(values.length, offset, length, dataset.path);
      long pos = reserve(DataType.INT64, "long[] values", length);
      dataset.writer.writeLongs(pos, values, offset, length);
      return this;
    }

    /**
     * Writes uint8 values.
     *
     * @param values the next values
     * @return this stream
     * @throws IOException if writing fails
     */
    public DatasetStream write(byte[] values) throws IOException {
      return write(values, 0, values.length);
    }

    /**
     * Writes {@code length} uint8 values starting at {@code offset}.
     *
     * @param values the array holding the next values
     * @param offset index of the first value to write
     * @param length number of values to write
     * @return this stream
     * @throws IOException if writing fails
     */
    public DatasetStream write(byte[] values, int offset, int length) throws IOException {
      checkRange(values.length, offset, length, dataset.path);
      long pos = reserve(DataType.UINT8, "byte[] values", length);
      dataset.writer.writeBytes(pos, values, offset, length);
      return this;
    }

    /**
     * Writes bool values.
     *
     * @param values the next values
     * @return this stream
     * @throws IOException if writing fails
     */
    public DatasetStream write(boolean[] values) throws IOException {
      return write(values, 0, values.length);
    }

    /**
     * Writes {@code length} bool values starting at {@code offset}.
     *
     * @param values the array holding the next values
     * @param offset index of the first value to write
     * @param length number of values to write
     * @return this stream
     * @throws IOException if writing fails
     */
    public DatasetStream write(boolean[] values, int offset, int length) throws IOException {
      checkRange(values.length, offset, length, dataset.path);
      long pos = reserve(DataType.BOOL, "boolean[] values", length);
      dataset.writer.writeBooleans(pos, values, offset, length);
      return this;
    }

    /**
     * Writes the remaining bytes of {@code littleEndian} as raw element data in the file's
     * byte order (little-endian; bools as bytes 0 or 1). The count must be a multiple of the
     * element size. The buffer's position advances to its limit.
     *
     * @param littleEndian the bytes to write
     * @return this stream
     * @throws IOException if writing fails
     */
    public DatasetStream write(ByteBuffer littleEndian) throws IOException {
      int n = littleEndian.remaining();
      if (n % dataset.type.size() != 0) {
        throw new IllegalArgumentException("dataset " + dataset.path + " is "
            + dataset.type.numpyName() + " (" + dataset.type.size()
            + " bytes per value); got " + n + " bytes");
      }
      if (dataset.type == DataType.BOOL) {
        int start = littleEndian.position();
        for (int i = 0; i < n; i++) {
          byte v = littleEndian.get(start + i);
          if (v != 0 && v != 1) {
            throw new IllegalArgumentException("dataset " + dataset.path + " is bool; its "
                + "bytes must be 0 or 1, got " + v + " at byte " + i + " of this write");
          }
        }
      }
      long pos = reserve(null, "bytes", n / dataset.type.size());
      dataset.writer.writeFully(littleEndian, pos);
      return this;
    }

    /**
     * Ends the stream; calling it again does nothing.
     *
     * @throws IllegalStateException if fewer values were written than the shape holds
     */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      if (written != dataset.byteSize) {
        throw new IllegalStateException("dataset " + dataset.path + " of shape "
            + Arrays.toString(dataset.shape) + " got " + writtenElements() + " of "
            + dataset.elementCount + " values");
      }
      closed = true;
      dataset.writer.openStreams.remove(this);
    }
  }
}
