package io.jeras.savedmodels.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jeras.savedmodels.hdf5.Hdf5Writer.DataType;
import io.jhdf.HdfFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API behaviour, argument checks and the bytes of the file structure. */
class Hdf5WriterTest {

  @TempDir
  Path dir;

  @Test
  void exampleFromTheDocumentationReadsBackWithJhdf() throws Exception {
    Path file = dir.resolve("example.h5");
    float[] kernel = new float[512 * 4];
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] = i * 0.25f;
    }
    try (Hdf5Writer h5 = Hdf5Writer.create(file)) {
      Hdf5Writer.Group layers = h5.root().group("layers");
      Hdf5Writer.Group vars = layers.group("dense").group("vars");
      vars.attribute("name", "dense");
      vars.dataset("0", new long[] {512, 4}, kernel);
      vars.dataset("1", new long[] {4}, new float[] {1, 2, 3, 4});
      vars.dataset("2", new long[] {}, new long[] {7});
      assertThat(vars.path()).isEqualTo("/layers/dense/vars");
      assertThat(layers.childNames()).containsExactly("dense");
    }
    try (HdfFile f = new HdfFile(file)) {
      io.jhdf.api.Dataset k = f.getDatasetByPath("/layers/dense/vars/0");
      assertThat(k.getDimensions()).containsExactly(512, 4);
      assertThat(((float[][]) k.getData())[511][3]).isEqualTo(kernel[2047]);
      assertThat(f.getDatasetByPath("/layers/dense/vars/2").getData()).isEqualTo(7L);
      assertThat(f.getByPath("/layers/dense/vars").getAttribute("name").getData())
          .isEqualTo("dense");
    }
  }

  @Test
  void fileStructureIsConsistent() throws Exception {
    Path file = dir.resolve("structure.h5");
    Files.write(file, new byte[100_000]); // an existing, longer file is truncated
    try (Hdf5Writer h5 = Hdf5Writer.create(file)) {
      h5.root().group("g").dataset("d", new long[] {3}, new double[] {1, 2, 3});
      h5.root().attribute("s", "text");
    }
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(Arrays.copyOf(bytes, 8))
        .containsExactly(0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n');
    assertThat(bytes[8]).isEqualTo((byte) 2); // superblock version
    assertThat(b.getLong(12)).isZero(); // base address
    assertThat(b.getLong(20)).isEqualTo(-1L); // no superblock extension
    assertThat(b.getLong(28)).isEqualTo(bytes.length); // end of file address
    assertThat(b.getInt(44)).isEqualTo(Lookup3.hashLittle(bytes, 0, 44, 0));
    long root = b.getLong(36);
    assertThat(new String(bytes, (int) root, 4, "US-ASCII")).isEqualTo("OHDR");
    int flags = bytes[(int) root + 5];
    int sizeLength = 1 << (flags & 3);
    long chunk = sizeLength == 1 ? bytes[(int) root + 6] & 0xff
        : b.getShort((int) root + 6) & 0xffff;
    int end = (int) (root + 6 + sizeLength + chunk);
    assertThat(b.getInt(end)).isEqualTo(Lookup3.hashLittle(bytes, (int) root,
        end - (int) root, 0));
    assertThat(end + 4).isEqualTo(bytes.length); // the root header is written last
  }

  @Test
  void namesAreChecked() throws Exception {
    try (Hdf5Writer h5 = Hdf5Writer.create(dir.resolve("names.h5"))) {
      Hdf5Writer.Group g = h5.root().group("layers");
      assertThatThrownBy(() -> g.group(""))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("cannot add group to /layers: the name is empty");
      assertThatThrownBy(() -> g.group("."))
          .hasMessage("cannot add group to /layers: \".\" is not a valid name");
      assertThatThrownBy(() -> g.group("a/b"))
          .hasMessage("cannot add group to /layers: the name \"a/b\" contains '/'");
      assertThatThrownBy(() -> g.group("/"))
          .hasMessageContaining("contains '/'");
      assertThatThrownBy(() -> g.group(null)).hasMessageContaining("the name is null");
      assertThatThrownBy(() -> g.group("a\0b")).hasMessageContaining("contains NUL");
      assertThatThrownBy(() -> g.group("bad\ud800"))
          .hasMessageContaining("not valid Unicode");
      assertThatThrownBy(() -> g.group("y".repeat(65_523)))
          .hasMessage("cannot add group to /layers: the name has 65523 bytes in "
              + "UTF-8; HDF5 link names can have at most 65522");
      g.group("dense");
      assertThatThrownBy(() -> g.group("dense"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("cannot add group to /layers: /layers/dense already exists "
              + "(a group)");
      g.dataset("0", new long[] {1}, new float[] {1});
      assertThatThrownBy(() -> g.dataset("0", new long[] {1}, new int[] {1}))
          .hasMessage("cannot add dataset to /layers: /layers/0 already exists "
              + "(a dataset)");
      assertThatThrownBy(() -> g.group("0"))
          .hasMessageContaining("/layers/0 already exists (a dataset)");
      assertThatThrownBy(() -> h5.root().group("layers"))
          .hasMessage("cannot add group to /: /layers already exists (a group)");
      assertThatThrownBy(() -> g.groupIfAbsent("0"))
          .hasMessageContaining("/layers/0 already exists (a dataset)");
      assertThat(g.groupIfAbsent("dense").path()).isEqualTo("/layers/dense");
      assertThat(g.groupIfAbsent("new").path()).isEqualTo("/layers/new");
      assertThat(g.childNames()).containsExactly("dense", "0", "new");
    }
  }

  @Test
  void shapesAndValuesAreChecked() throws Exception {
    try (Hdf5Writer h5 = Hdf5Writer.create(dir.resolve("shapes.h5"))) {
      Hdf5Writer.Group g = h5.root().group("g");
      assertThatThrownBy(() -> g.dataset("a", new long[] {2, 3}, new float[5]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("dataset /g/a: shape [2, 3] needs 6 values, got 5");
      assertThatThrownBy(() -> g.dataset("a", new long[] {-1}, new float[0]))
          .hasMessage("/g/a: dimensions must be >= 0, got shape [-1]");
      assertThatThrownBy(() -> g.dataset("a", null, new float[0]))
          .hasMessageContaining("shape is null");
      assertThatThrownBy(() -> g.dataset("a", new long[] {1}, (float[]) null))
          .hasMessage("dataset /g/a: values are null");
      assertThatThrownBy(() -> g.dataset("a", new long[33], new float[0]))
          .hasMessageContaining("at most 32 dimensions");
      assertThatThrownBy(() -> g.datasetStream("a", DataType.INT64,
          new long[] {Long.MAX_VALUE, 2}))
          .hasMessageContaining("more bytes than a long can count");
      assertThatThrownBy(() -> g.datasetStream("a", null, new long[] {1}))
          .hasMessage("dataset /g/a: type is null");
      assertThat(g.childNames()).isEmpty();
      Hdf5Writer.Dataset d = g.dataset("ok", new long[] {2, 0, 3}, new double[0]);
      assertThat(d.shape()).containsExactly(2, 0, 3);
      assertThat(d.type()).isEqualTo(DataType.FLOAT64);
    }
  }

  @Test
  void attributesAreChecked() throws Exception {
    try (Hdf5Writer h5 = Hdf5Writer.create(dir.resolve("attrs.h5"))) {
      Hdf5Writer.Group g = h5.root().group("g");
      g.attribute("name", "g");
      assertThatThrownBy(() -> g.attribute("name", "again"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("duplicate attribute \"name\" on /g");
      assertThatThrownBy(() -> g.attribute("", "x"))
          .hasMessage("attribute names must not be empty (on /g)");
      assertThatThrownBy(() -> g.attribute("s", "a\0b"))
          .hasMessageContaining("attribute \"s\" on /g contains NUL");
      assertThatThrownBy(() -> g.attribute("s", (String) null))
          .hasMessage("attribute \"s\" on /g is null");
      assertThatThrownBy(() -> g.attribute("s", new String[] {"a", null}))
          .hasMessage("attribute \"s\" on /g (value 1) is null");
      assertThatThrownBy(() -> g.attribute("f", new long[] {2}, new float[] {1}))
          .hasMessage("attribute \"f\" on /g: shape [2] needs 2 values, got 1");
      assertThatThrownBy(() -> g.attribute("f", new long[] {20_000},
          new float[20_000]))
          .hasMessageContaining("attribute \"f\" on /g needs 80043 bytes in the "
              + "object header, but an HDF5 attribute message holds at most "
              + "65535");
      String[] many = new String[4093];
      Arrays.fill(many, "a rather long layer name: length does not matter");
      g.attribute("names", many); // 16 bytes per string in the header
      assertThatThrownBy(() -> g.attribute("names2", new String[4094]))
          .hasMessageContaining("is null");
      Arrays.fill(many = new String[4094], "");
      String[] tooMany = many;
      assertThatThrownBy(() -> g.attribute("names2", tooMany))
          .hasMessageContaining("holds at most 65535");
      g.attribute("big", "x".repeat(5_000_000)); // strings live in the global heap
    }
  }

  @Test
  void streamsCheckTypeCountAndCompleteness() throws Exception {
    Path file = dir.resolve("streams.h5");
    Hdf5Writer h5 = Hdf5Writer.create(file);
    Hdf5Writer.Group g = h5.root();
    Hdf5Writer.DatasetStream s = g.datasetStream("x", DataType.FLOAT32, new long[] {2, 2});
    assertThatThrownBy(() -> s.write(new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dataset /x is float32; it cannot take double[] values");
    s.write(new float[] {1, 2, 3});
    assertThat(s.remaining()).isEqualTo(1);
    assertThatThrownBy(() -> s.write(new float[] {4, 5}))
        .hasMessage("dataset /x of shape [2, 2] expects 1 more values, got 2");
    assertThatThrownBy(() -> s.write(ByteBuffer.allocate(3)))
        .hasMessage("dataset /x is float32 (4 bytes per value); got 3 bytes");
    assertThatThrownBy(s::close).isInstanceOf(IllegalStateException.class)
        .hasMessage("dataset /x of shape [2, 2] got 3 of 4 values");
    Hdf5Writer.DatasetStream t = g.datasetStream("y", DataType.BOOL, new long[] {3});
    t.write(new boolean[] {true});
    assertThatThrownBy(() -> t.write(ByteBuffer.wrap(new byte[] {1, 2})))
        .hasMessage("dataset /y is bool; its bytes must be 0 or 1, got 2 at byte 1 of this "
            + "write");
    assertThatThrownBy(h5::close).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dataset streams are incomplete: /x (3 of 4 values "
            + "written), /y (1 of 3 values written)");
    // No signature: no reader takes the unfinished file for an HDF5 file.
    assertThat(Arrays.copyOf(Files.readAllBytes(file), 8)).containsOnly(0);
    h5.close(); // a second close does nothing
    assertThatThrownBy(() -> g.group("late")).isInstanceOf(IllegalStateException.class)
        .hasMessage("the HDF5 writer for " + file + " is closed");
    assertThatThrownBy(() -> t.write(new boolean[] {true}))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void streamsInterleaveWithOtherDatasets() throws Exception {
    Path file = dir.resolve("interleave.h5");
    try (Hdf5Writer h5 = Hdf5Writer.create(file)) {
      Hdf5Writer.DatasetStream a = h5.root().datasetStream("a", DataType.INT32,
          new long[] {4});
      Hdf5Writer.DatasetStream b = h5.root().datasetStream("b", DataType.UINT8,
          new long[] {3});
      h5.root().dataset("c", new long[] {2}, new long[] {5, 6});
      b.write(new byte[] {1, 2});
      a.write(new int[] {10, 20});
      a.dataset().attribute("unit", "m");
      ByteBuffer rest = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      rest.putInt(30).putInt(40).flip();
      a.write(rest);
      b.write(new byte[] {3});
      a.close();
      // b is complete but not closed: close() of the writer accepts that.
    }
    try (HdfFile f = new HdfFile(file)) {
      assertThat((int[]) f.getDatasetByPath("a").getData()).containsExactly(10, 20, 30,
          40);
      assertThat(TreeSpec.flatten(f.getDatasetByPath("b").getData()))
          .extracting(v -> ((Number) v).intValue()).containsExactly(1, 2, 3);
      assertThat((long[]) f.getDatasetByPath("c").getData()).containsExactly(5, 6);
      assertThat(f.getDatasetByPath("a").getAttribute("unit").getData()).isEqualTo("m");
    }
  }
}
