package io.jeras.savedmodels.hdf5;

import io.jeras.savedmodels.hdf5.Hdf5Writer.DataType;
import io.jhdf.HdfFile;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * An expected HDF5 tree for the tests: random generation, writing it with {@link Hdf5Writer},
 * describing it as JSON for verify_h5.py, and checking a file against it with jHDF.
 */
final class TreeSpec {

  private TreeSpec() {
  }

  /** An attribute: a string, a string array, or numbers of some type and shape. */
  static final class Attr {
    final String name;
    final String string;
    final String[] strings;
    final DataType type;
    final long[] shape;
    final Object values;
    /** For numeric scalars: use the attribute(name, long/double) shortcut. */
    final boolean shortcut;

    private Attr(String name, String string, String[] strings, DataType type, long[] shape,
        Object values, boolean shortcut) {
      this.name = name;
      this.string = string;
      this.strings = strings;
      this.type = type;
      this.shape = shape;
      this.values = values;
      this.shortcut = shortcut;
    }

    static Attr string(String name, String value) {
      return new Attr(name, value, null, null, null, null, false);
    }

    static Attr strings(String name, String... values) {
      return new Attr(name, null, values, null, null, null, false);
    }

    static Attr numbers(String name, DataType type, long[] shape, Object values) {
      return new Attr(name, null, null, type, shape, values, false);
    }

    static Attr scalar(String name, long value) {
      return new Attr(name, null, null, DataType.INT64, new long[0], new long[] {value},
          true);
    }

    static Attr scalar(String name, double value) {
      return new Attr(name, null, null, DataType.FLOAT64, new long[0],
          new double[] {value}, true);
    }
  }

  /** A group or dataset with its attributes. */
  abstract static class Node {
    final String name;
    final List<Attr> attrs = new ArrayList<>();

    Node(String name) {
      this.name = name;
    }
  }

  /** How a dataset's values reach the writer. */
  enum Mode {
    ARRAY, STREAM, STREAM_BYTES, STREAM_LATER
  }

  static final class Group extends Node {
    final Map<String, Node> children = new LinkedHashMap<>();

    Group(String name) {
      super(name);
    }

    Group group(String name) {
      Group g = new Group(name);
      children.put(name, g);
      return g;
    }

    Dataset dataset(String name, DataType type, long[] shape, Object values) {
      Dataset d = new Dataset(name, type, shape, values, Mode.ARRAY);
      children.put(name, d);
      return d;
    }
  }

  static final class Dataset extends Node {
    final DataType type;
    final long[] shape;
    final Object values;
    Mode mode;

    Dataset(String name, DataType type, long[] shape, Object values, Mode mode) {
      super(name);
      this.type = type;
      this.shape = shape;
      this.values = values;
      this.mode = mode;
    }
  }

  // ------------------------------------------------------------------------------------
  // Random generation

  private static final int[] UNICODE = "äöüßéèçñÅØ中文名字日本語한국어ДЖЯΩπ𝄞😀🎉\u00a0\u200b"
      .codePoints().toArray();
  private static final String ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
      + "0123456789_-.+ ()[]{}:;,!@#$%^&*~`'\"<>?|\\=";

  /** Generates a random tree; sizes are bounded so that a tree stays small on disk. */
  static final class Generator {
    private final Random r;
    private int nodesLeft;
    private long bytesLeft;
    private final int maxDepth;
    private final int wideChance;

    Generator(long seed) {
      r = new Random(seed);
      int[] budgets = {3, 10, 40, 150, 600, 2000};
      nodesLeft = budgets[r.nextInt(budgets.length)];
      bytesLeft = 1L << (16 + r.nextInt(8));
      maxDepth = r.nextInt(6);
      wideChance = r.nextInt(4);
    }

    Group tree() {
      Group root = new Group("");
      fill(root, 0);
      return root;
    }

    private void fill(Group g, int depth) {
      attributes(g);
      int n = r.nextInt(100) < 4 * wideChance ? r.nextInt(301) : r.nextInt(9);
      Set<String> used = new HashSet<>();
      for (int i = 0; i < n && nodesLeft > 0; i++) {
        nodesLeft--;
        String name = uniqueName(used);
        if (depth < maxDepth && r.nextInt(100) < 40) {
          fill(g.group(name), depth + 1);
        } else {
          Dataset d = randomDataset(name);
          g.children.put(name, d);
          attributes(d);
        }
      }
    }

    private String uniqueName(Set<String> used) {
      while (true) {
        String s = name();
        if (!s.equals(".") && !s.equals("..") && !s.contains("/") && used.add(s)) {
          return s;
        }
      }
    }

    String name() {
      int length = r.nextInt(100) < 3 ? 100 + r.nextInt(200) : 1 + r.nextInt(12);
      return text(length, r.nextInt(100) < 25);
    }

    private String text(int codePoints, boolean unicode) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < codePoints; i++) {
        if (unicode && r.nextInt(3) == 0) {
          sb.appendCodePoint(UNICODE[r.nextInt(UNICODE.length)]);
        } else {
          sb.append(ASCII.charAt(r.nextInt(ASCII.length())));
        }
      }
      return sb.toString();
    }

    private void attributes(Node node) {
      int n = r.nextInt(100) < 50 ? 0 : r.nextInt(100) < 95 ? 1 + r.nextInt(4)
          : 5 + r.nextInt(20);
      Set<String> used = new HashSet<>();
      for (int i = 0; i < n; i++) {
        String name;
        do {
          name = text(1 + r.nextInt(10), r.nextInt(100) < 20);
        } while (!used.add(name));
        node.attrs.add(randomAttr(name));
      }
    }

    private Attr randomAttr(String name) {
      switch (r.nextInt(6)) {
        case 0:
        case 1: {
          int len = r.nextInt(100) < 2 ? 20_000 : r.nextInt(40);
          return Attr.string(name, text(len, r.nextBoolean()));
        }
        case 2: {
          String[] values = new String[r.nextInt(30)];
          for (int i = 0; i < values.length; i++) {
            values[i] = text(r.nextInt(20), r.nextBoolean());
          }
          return Attr.strings(name, values);
        }
        case 3:
          return r.nextBoolean() ? Attr.scalar(name, r.nextLong())
              : Attr.scalar(name, r.nextGaussian() * 1e3);
        default: {
          DataType type = DataType.values()[r.nextInt(DataType.values().length)];
          long[] shape = new long[r.nextInt(3)];
          for (int i = 0; i < shape.length; i++) {
            shape[i] = r.nextInt(6);
          }
          return Attr.numbers(name, type, shape, values(r, type, count(shape)));
        }
      }
    }

    private Dataset randomDataset(String name) {
      DataType type = DataType.values()[r.nextInt(DataType.values().length)];
      long[] shape;
      if (r.nextInt(100) < 3 && bytesLeft > 400_000) {
        shape = new long[] {1000 + r.nextInt(50_000)};
      } else {
        int rank = r.nextInt(100) < 15 ? 0 : 1 + r.nextInt(r.nextInt(10) < 8 ? 3 : 6);
        shape = new long[rank];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = r.nextInt(100) < 4 ? 0 : 1 + r.nextInt(shape.length > 3 ? 3 : 9);
        }
      }
      int n = count(shape);
      bytesLeft -= (long) n * type.size();
      Mode mode = Mode.values()[r.nextInt(100) < 70 ? 0 : 1 + r.nextInt(3)];
      return new Dataset(name, type, shape, values(r, type, n), mode);
    }
  }

  static int count(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return Math.toIntExact(n);
  }

  static Object values(Random r, DataType type, int n) {
    switch (type) {
      case FLOAT32: {
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
          -0.0f, Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-40f};
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = r.nextInt(100) < 3 ? specials[r.nextInt(specials.length)]
              : (float) (r.nextGaussian() * 10);
        }
        return v;
      }
      case FLOAT64: {
        double[] specials = {Double.NaN, Double.POSITIVE_INFINITY,
          Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE, Double.MAX_VALUE};
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          v[i] = r.nextInt(100) < 3 ? specials[r.nextInt(specials.length)]
              : r.nextGaussian() * 1e6;
        }
        return v;
      }
      case INT32: {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
          v[i] = r.nextInt(100) < 5 ? (r.nextBoolean() ? Integer.MIN_VALUE
              : Integer.MAX_VALUE) : r.nextInt();
        }
        return v;
      }
      case INT64: {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          v[i] = r.nextInt(100) < 5 ? (r.nextBoolean() ? Long.MIN_VALUE
              : Long.MAX_VALUE) : r.nextLong();
        }
        return v;
      }
      case UINT8: {
        byte[] v = new byte[n];
        r.nextBytes(v);
        return v;
      }
      case BOOL: {
        boolean[] v = new boolean[n];
        for (int i = 0; i < n; i++) {
          v[i] = r.nextBoolean();
        }
        return v;
      }
      default:
        throw new AssertionError(type);
    }
  }

  // ------------------------------------------------------------------------------------
  // Writing

  @FunctionalInterface
  interface IoAction {
    void run() throws IOException;
  }

  /** Writes the tree to {@code file}; {@code seed} drives how streams are cut up. */
  static void write(Path file, Group root, long seed) throws IOException {
    Random r = new Random(seed ^ 0x5DEECE66DL);
    List<IoAction> later = new ArrayList<>();
    try (Hdf5Writer h5 = Hdf5Writer.create(file)) {
      write(h5.root(), root, r, later);
      for (IoAction a : later) {
        a.run();
      }
    }
  }

  private static void write(Hdf5Writer.Group g, Group spec, Random r, List<IoAction> later)
      throws IOException {
    applyAttrs(g, spec.attrs);
    for (Node child : spec.children.values()) {
      if (child instanceof Group) {
        write(g.group(child.name), (Group) child, r, later);
      } else {
        Dataset d = (Dataset) child;
        Hdf5Writer.Node written = writeDataset(g, d, r, later);
        applyAttrs(written, d.attrs);
      }
    }
  }

  private static Hdf5Writer.Node writeDataset(Hdf5Writer.Group g, Dataset d, Random r,
      List<IoAction> later) throws IOException {
    if (d.mode == Mode.ARRAY) {
      switch (d.type) {
        case FLOAT32:
          return g.dataset(d.name, d.shape, (float[]) d.values);
        case FLOAT64:
          return g.dataset(d.name, d.shape, (double[]) d.values);
        case INT32:
          return g.dataset(d.name, d.shape, (int[]) d.values);
        case INT64:
          return g.dataset(d.name, d.shape, (long[]) d.values);
        case UINT8:
          return g.dataset(d.name, d.shape, (byte[]) d.values);
        case BOOL:
          return g.dataset(d.name, d.shape, (boolean[]) d.values);
        default:
          throw new AssertionError(d.type);
      }
    }
    Hdf5Writer.DatasetStream s = g.datasetStream(d.name, d.type, d.shape);
    long pieceSeed = r.nextLong();
    IoAction feed = () -> feed(s, d, new Random(pieceSeed));
    if (d.mode == Mode.STREAM_LATER) {
      later.add(feed);
    } else {
      feed.run();
    }
    return s.dataset();
  }

  private static void feed(Hdf5Writer.DatasetStream s, Dataset d, Random r)
      throws IOException {
    int n = Array.getLength(d.values);
    if (d.mode == Mode.STREAM_BYTES) {
      ByteBuffer all = ByteBuffer.wrap(littleEndian(d.type, d.values));
      while (all.hasRemaining()) {
        int values = Math.min(all.remaining() / d.type.size(), 1 + r.nextInt(1000));
        ByteBuffer piece = all.slice().limit(values * d.type.size());
        s.write(piece);
        all.position(all.position() + values * d.type.size());
      }
    } else {
      for (int off = 0; off < n; ) {
        int len = Math.min(n - off, r.nextInt(3) == 0 ? 1 : 1 + r.nextInt(1000));
        switch (d.type) {
          case FLOAT32:
            s.write((float[]) d.values, off, len);
            break;
          case FLOAT64:
            s.write((double[]) d.values, off, len);
            break;
          case INT32:
            s.write((int[]) d.values, off, len);
            break;
          case INT64:
            s.write((long[]) d.values, off, len);
            break;
          case UINT8:
            s.write((byte[]) d.values, off, len);
            break;
          case BOOL:
            s.write((boolean[]) d.values, off, len);
            break;
          default:
            throw new AssertionError(d.type);
        }
        off += len;
      }
    }
    s.close();
  }

  private static void applyAttrs(Hdf5Writer.Node node, List<Attr> attrs) {
    for (Attr a : attrs) {
      if (a.string != null) {
        node.attribute(a.name, a.string);
      } else if (a.strings != null) {
        node.attribute(a.name, a.strings);
      } else if (a.shortcut && a.type == DataType.INT64) {
        node.attribute(a.name, ((long[]) a.values)[0]);
      } else if (a.shortcut) {
        node.attribute(a.name, ((double[]) a.values)[0]);
      } else {
        switch (a.type) {
          case FLOAT32:
            node.attribute(a.name, a.shape, (float[]) a.values);
            break;
          case FLOAT64:
            node.attribute(a.name, a.shape, (double[]) a.values);
            break;
          case INT32:
            node.attribute(a.name, a.shape, (int[]) a.values);
            break;
          case INT64:
            node.attribute(a.name, a.shape, (long[]) a.values);
            break;
          case UINT8:
            node.attribute(a.name, a.shape, (byte[]) a.values);
            break;
          case BOOL:
            node.attribute(a.name, a.shape, (boolean[]) a.values);
            break;
          default:
            throw new AssertionError(a.type);
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------
  // Expected structure as JSON (see verify_h5.py)

  static Map<String, Object> expected(Node node) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Object> attrs = new ArrayList<>();
    for (Attr a : node.attrs) {
      Map<String, Object> am = new LinkedHashMap<>();
      am.put("name", a.name);
      if (a.string != null) {
        am.put("kind", "str");
        if (a.string.length() > 10_000) {
          am.put("sha256", sha256(a.string.getBytes(StandardCharsets.UTF_8)));
        } else {
          am.put("value", a.string);
        }
      } else if (a.strings != null) {
        am.put("kind", "str[]");
        am.put("values", List.of((Object[]) a.strings));
      } else {
        am.put("kind", "num");
        am.put("dtype", a.type.numpyName());
        am.put("shape", a.shape);
        am.put("sha256", sha256(littleEndian(a.type, a.values)));
      }
      attrs.add(am);
    }
    if (node instanceof Group) {
      m.put("kind", "group");
      Map<String, Object> children = new LinkedHashMap<>();
      for (Node c : ((Group) node).children.values()) {
        children.put(c.name, expected(c));
      }
      m.put("children", children);
    } else {
      Dataset d = (Dataset) node;
      m.put("kind", "dataset");
      m.put("dtype", d.type.numpyName());
      m.put("shape", d.shape);
      m.put("sha256", sha256(littleEndian(d.type, d.values)));
    }
    m.put("attrs", attrs);
    return m;
  }

  static byte[] littleEndian(DataType type, Object values) {
    int n = Array.getLength(values);
    ByteBuffer b = ByteBuffer.allocate(n * type.size()).order(ByteOrder.LITTLE_ENDIAN);
    switch (type) {
      case FLOAT32:
        b.asFloatBuffer().put((float[]) values);
        break;
      case FLOAT64:
        b.asDoubleBuffer().put((double[]) values);
        break;
      case INT32:
        b.asIntBuffer().put((int[]) values);
        break;
      case INT64:
        b.asLongBuffer().put((long[]) values);
        break;
      case UINT8:
        b.put((byte[]) values);
        break;
      case BOOL:
        for (boolean x : (boolean[]) values) {
          b.put(x ? (byte) 1 : (byte) 0);
        }
        break;
      default:
        throw new AssertionError(type);
    }
    return b.array();
  }

  static String sha256(byte[] bytes) {
    try {
      StringBuilder sb = new StringBuilder();
      for (byte x : MessageDigest.getInstance("SHA-256").digest(bytes)) {
        sb.append(String.format("%02x", x));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  // ------------------------------------------------------------------------------------
  // Checking with jHDF 0.9.4

  /** Reads {@code file} with jHDF and adds a line to {@code problems} for each difference. */
  static void checkWithJhdf(Path file, Group root, List<String> problems) {
    String where = file.getFileName() + ":/";
    try (HdfFile f = new HdfFile(file)) {
      checkGroup(f, root, where, problems);
    } catch (RuntimeException e) {
      problems.add(where + " jHDF failed: " + e);
    }
  }

  private static void checkGroup(io.jhdf.api.Group g, Group spec, String where,
      List<String> problems) {
    checkAttrs(g, spec.attrs, where, problems);
    Map<String, io.jhdf.api.Node> children = g.getChildren();
    if (!children.keySet().equals(spec.children.keySet())) {
      problems.add(where + " children " + children.keySet() + " != "
          + spec.children.keySet());
      return;
    }
    for (Node c : spec.children.values()) {
      String at = where.endsWith("/") ? where + c.name : where + "/" + c.name;
      io.jhdf.api.Node n = children.get(c.name);
      if (c instanceof Group) {
        if (!(n instanceof io.jhdf.api.Group)) {
          problems.add(at + " is not a group in jHDF: " + n);
        } else {
          checkGroup((io.jhdf.api.Group) n, (Group) c, at, problems);
        }
      } else if (!(n instanceof io.jhdf.api.Dataset)) {
        problems.add(at + " is not a dataset in jHDF: " + n);
      } else {
        checkDataset((io.jhdf.api.Dataset) n, (Dataset) c, at, problems);
      }
    }
  }

  private static void checkDataset(io.jhdf.api.Dataset ds, Dataset spec, String where,
      List<String> problems) {
    checkAttrs(ds, spec.attrs, where, problems);
    long[] dims = Arrays.stream(ds.getDimensions()).asLongStream().toArray();
    if (!Arrays.equals(dims, spec.shape)) {
      problems.add(where + " dims " + Arrays.toString(dims) + " != "
          + Arrays.toString(spec.shape));
      return;
    }
    if (count(spec.shape) == 0) {
      if (!ds.isEmpty()) {
        problems.add(where + " should be empty in jHDF");
      }
      return;
    }
    compareValues(ds.getData(), spec.type, spec.values, where, problems);
  }

  private static void checkAttrs(io.jhdf.api.Node node, List<Attr> attrs, String where,
      List<String> problems) {
    // jHDF 0.9.4 trims leading and trailing spaces off attribute names (h5py does not),
    // so names are compared trimmed here; verify_h5.py checks them exactly.
    Map<String, io.jhdf.api.Attribute> got = new LinkedHashMap<>();
    for (Map.Entry<String, io.jhdf.api.Attribute> e : node.getAttributes().entrySet()) {
      got.put(e.getKey().trim(), e.getValue());
    }
    Set<String> want = new HashSet<>();
    for (Attr a : attrs) {
      want.add(a.name.trim());
    }
    if (want.size() < attrs.size()) {
      return; // names that differ only in spaces cannot be told apart in jHDF
    }
    if (!got.keySet().equals(want)) {
      problems.add(where + " attributes " + got.keySet() + " != " + want);
      return;
    }
    for (Attr a : attrs) {
      String at = where + " @" + a.name;
      Object data = got.get(a.name.trim()).getData();
      if (a.string != null) {
        if (!a.string.equals(data)) {
          problems.add(at + " = " + shorten(data) + ", expected " + shorten(a.string));
        }
      } else if (a.strings != null) {
        if (a.strings.length == 0 ? data != null && Array.getLength(data) != 0
            : !(data instanceof String[]) || !Arrays.equals((String[]) data,
                a.strings)) {
          problems.add(at + " = " + shorten(data) + ", expected "
              + Arrays.toString(a.strings));
        }
      } else if (count(a.shape) == 0) {
        if (data != null && flatten(data).size() != 0) {
          problems.add(at + " should be empty, got " + shorten(data));
        }
      } else {
        compareValues(data, a.type, a.values, at, problems);
      }
    }
  }

  private static void compareValues(Object data, DataType type, Object expected, String where,
      List<String> problems) {
    List<Object> got = flatten(data);
    int n = Array.getLength(expected);
    if (got.size() != n) {
      problems.add(where + " has " + got.size() + " values, expected " + n);
      return;
    }
    for (int i = 0; i < n; i++) {
      Object g = got.get(i);
      boolean same;
      switch (type) {
        case FLOAT32:
          same = g instanceof Float && Float.floatToIntBits((Float) g)
              == Float.floatToIntBits(((float[]) expected)[i]);
          break;
        case FLOAT64:
          same = g instanceof Double && Double.doubleToLongBits((Double) g)
              == Double.doubleToLongBits(((double[]) expected)[i]);
          break;
        case INT32:
          same = g instanceof Integer && (Integer) g == ((int[]) expected)[i];
          break;
        case INT64:
          same = g instanceof Long && (Long) g == ((long[]) expected)[i];
          break;
        case UINT8:
          same = g instanceof Number
              && (((Number) g).intValue() & 0xff) == (((byte[]) expected)[i] & 0xff);
          break;
        case BOOL:
          boolean e = ((boolean[]) expected)[i];
          same = (e ? "TRUE" : "FALSE").equals(g) || Boolean.valueOf(e).equals(g);
          break;
        default:
          throw new AssertionError(type);
      }
      if (!same) {
        problems.add(where + "[" + i + "] = " + g + " ("
            + (g == null ? null : g.getClass().getSimpleName()) + "), expected "
            + Array.get(expected, i));
        return;
      }
    }
  }

  static List<Object> flatten(Object data) {
    List<Object> out = new ArrayList<>();
    flatten(data, out);
    return out;
  }

  private static void flatten(Object data, List<Object> out) {
    if (data != null && data.getClass().isArray()) {
      for (int i = 0; i < Array.getLength(data); i++) {
        flatten(Array.get(data, i), out);
      }
    } else {
      out.add(data);
    }
  }

  private static String shorten(Object o) {
    String s = o != null && o.getClass().isArray() ? Arrays.deepToString(new Object[] {o})
        : String.valueOf(o);
    return s.length() > 200 ? s.substring(0, 200) + "... (" + s.length() + " chars)" : s;
  }
}
