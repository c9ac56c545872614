package io.jeras.savedmodels.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import io.jeras.savedmodels.hdf5.Hdf5Writer.DataType;
import io.jeras.savedmodels.hdf5.TreeSpec.Attr;
import io.jeras.savedmodels.hdf5.TreeSpec.Group;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes seeded random trees plus hand-made edge cases, then reads every file back with jHDF
 * 0.9.4 (in process) and with h5py (verify_h5.py, one Python run for all files).
 */
class RandomTreeTest {

  static final int RANDOM_TREES = 220;
  static final long BASE_SEED = 20_240_601L;

  @TempDir
  Path dir;

  @Test
  void randomAndSpecialTreesReadBackWithJhdfAndH5py() throws Exception {
    Path python = Python.standard();
    Map<String, Group> trees = new LinkedHashMap<>(specialTrees());
    Map<String, Long> seeds = new LinkedHashMap<>();
    for (int i = 0; i < RANDOM_TREES; i++) {
      long seed = BASE_SEED + i;
      String name = "random-" + seed;
      trees.put(name, new TreeSpec.Generator(seed).tree());
      seeds.put(name, seed);
    }

    long t0 = System.nanoTime();
    List<Object> files = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    long bytes = 0;
    int index = 0;
    for (Map.Entry<String, Group> e : trees.entrySet()) {
      Path file = dir.resolve(e.getKey() + ".h5");
      long seed = seeds.getOrDefault(e.getKey(), (long) index);
      TreeSpec.write(file, e.getValue(), seed);
      bytes += Files.size(file);
      TreeSpec.checkWithJhdf(file, e.getValue(), problems);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("path", file.toString());
      entry.put("root", TreeSpec.expected(e.getValue()));
      entry.put("rplus", !e.getKey().startsWith("wide") && index % 7 == 0);
      files.add(entry);
      index++;
    }
    long t1 = System.nanoTime();
    Path report = Path.of("target", "jhdf-problems.txt");
    Files.deleteIfExists(report);
    if (!problems.isEmpty()) {
      Files.write(report, problems, StandardCharsets.UTF_8);
      System.out.println("jHDF problems written to " + report.toAbsolutePath());
    }
    assertThat(problems).as("differences found by jHDF 0.9.4 (seeds: random-<seed>)")
        .isEmpty();

    Path manifest = dir.resolve("manifest.json");
    Files.writeString(manifest, Json.write(Map.of("files", files)), StandardCharsets.UTF_8);
    System.out.printf("RandomTreeTest: %d files, %.1f MB; write + jHDF check %.1f s%n",
        trees.size(), bytes / 1e6, (t1 - t0) / 1e9);
    verifyWithH5py(python, manifest);
    Path latest = Python.latestIfPresent();
    if (latest != null) {
      verifyWithH5py(latest, manifest);
    }
  }

  private void verifyWithH5py(Path python, Path manifest) throws Exception {
    long t0 = System.nanoTime();
    Python.Result result = Python.run(python, Python.script("verify_h5.py", dir), 600,
        manifest.toString());
    System.out.printf("RandomTreeTest: h5py check with %s took %.1f s%n%s", python,
        (System.nanoTime() - t0) / 1e9, result.output());
    assertThat(result.exitCode()).as("verify_h5.py output:\n%s", result.output())
        .isZero();
    assertThat(result.output()).contains("\"str attribute\": [\"str\"]")
        .contains("\"str[] element\": [\"str\"]")
        .contains("\"bool dataset dtype\": [\"bool\"]")
        .contains("\"problems\": 0");
  }

  /** Hand-made trees for cases that random generation hits rarely or never. */
  static Map<String, Group> specialTrees() {
    Map<String, Group> trees = new LinkedHashMap<>();
    Random r = new Random(7);

    // jHDF 0.13's writer breaks on this one: group "a" with datasets, then group "b".
    Group breaker = new Group("");
    Group a = breaker.group("a");
    a.dataset("0", DataType.FLOAT32, new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
    a.dataset("1", DataType.INT64, new long[0], new long[] {42});
    breaker.group("b");
    trees.put("jhdf-breaker", breaker);

    Group breaker2 = new Group("");
    Group a2 = breaker2.group("a");
    a2.dataset("0", DataType.FLOAT32, new long[] {4}, new float[] {1, 2, 3, 4});
    Group b2 = breaker2.group("b");
    b2.group("c").dataset("x", DataType.FLOAT64, new long[] {1}, new double[] {0.5});
    b2.attrs.add(Attr.string("name", "b"));
    breaker2.group("d");
    trees.put("jhdf-breaker-2", breaker2);

    // The layout of a nested Keras 3 model's model.weights.h5.
    Group keras = new Group("");
    Group model = keras.group("layers").group("functional");
    model.group("vars").attrs.add(Attr.string("name", "functional"));
    Group inner = model.group("layers");
    for (String layer : new String[] {"dense", "dense_1", "batch_normalization"}) {
      Group vars = inner.group(layer).group("vars");
      vars.attrs.add(Attr.string("name", layer));
      vars.dataset("0", DataType.FLOAT32, new long[] {4, 3},
          TreeSpec.values(r, DataType.FLOAT32, 12));
      vars.dataset("1", DataType.FLOAT32, new long[] {3},
          TreeSpec.values(r, DataType.FLOAT32, 3));
    }
    keras.group("optimizer").group("vars").dataset("0", DataType.INT64, new long[0],
        new long[] {1000});
    keras.group("vars");
    trees.put("keras-like", keras);

    // Wide groups: thousands of datasets, hundreds of subgroups.
    Group wide = new Group("");
    Group many = wide.group("datasets");
    for (int i = 0; i < 3000; i++) {
      many.dataset(Integer.toString(i), DataType.FLOAT32, new long[] {1},
          new float[] {i});
    }
    Group groups = wide.group("groups");
    for (int i = 0; i < 300; i++) {
      groups.group("layer_" + i).group("vars").dataset("0", DataType.INT32,
          new long[] {2}, new int[] {i, -i});
    }
    trees.put("wide", wide);

    // Deep nesting.
    Group deep = new Group("");
    Group g = deep;
    for (int i = 0; i < 60; i++) {
      g = g.group("level" + i);
      g.attrs.add(Attr.scalar("depth", i));
    }
    g.dataset("leaf", DataType.UINT8, new long[] {3}, new byte[] {0, (byte) 200, -1});
    trees.put("deep", deep);

    // Attributes of every kind, many of them, large ones.
    Group attrs = new Group("");
    attrs.attrs.add(Attr.string("model_config", bigJson(1 << 20)));
    attrs.attrs.add(Attr.string("huge", "Grüße ".repeat(1_000_000))); // 7 MB of UTF-8
    String[] layerNames = new String[4000];
    for (int i = 0; i < layerNames.length; i++) {
      layerNames[i] = "layer_" + i;
    }
    attrs.attrs.add(Attr.strings("layer_names", layerNames));
    attrs.attrs.add(Attr.strings("weight_names", "dense/kernel:0", "dense/bias:0"));
    attrs.attrs.add(Attr.strings("empty_list"));
    attrs.attrs.add(Attr.string("empty", ""));
    attrs.attrs.add(Attr.string("unicode", "Grüße 中文 😀"));
    attrs.attrs.add(Attr.string("slash/and.dot", "attribute names may hold / and ."));
    attrs.attrs.add(Attr.string("x".repeat(300), "long attribute name"));
    attrs.attrs.add(Attr.scalar("backend_version", 3L));
    attrs.attrs.add(Attr.scalar("pi", Math.PI));
    attrs.attrs.add(Attr.numbers("bools", DataType.BOOL, new long[] {2, 2},
        new boolean[] {true, false, false, true}));
    attrs.attrs.add(Attr.numbers("scalar_bool", DataType.BOOL, new long[0],
        new boolean[] {true}));
    attrs.attrs.add(Attr.numbers("f32", DataType.FLOAT32, new long[] {3},
        new float[] {1.5f, Float.NaN, -0f}));
    attrs.attrs.add(Attr.numbers("i32", DataType.INT32, new long[] {2, 1},
        new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE}));
    attrs.attrs.add(Attr.numbers("u8", DataType.UINT8, new long[] {2},
        new byte[] {(byte) 255, 0}));
    attrs.attrs.add(Attr.numbers("empty_f64", DataType.FLOAT64, new long[] {0},
        new double[0]));
    attrs.attrs.add(Attr.numbers("big_f32", DataType.FLOAT32, new long[] {16000},
        TreeSpec.values(r, DataType.FLOAT32, 16000)));
    for (int i = 0; i < 150; i++) {
      attrs.attrs.add(Attr.string("s" + i, "value " + i));
    }
    Group withAttrs = attrs.group("g");
    withAttrs.attrs.add(Attr.string("name", "g"));
    withAttrs.dataset("d", DataType.FLOAT32, new long[] {2}, new float[] {1, 2})
        .attrs.add(Attr.string("on_dataset", "yes"));
    trees.put("attributes", attrs);

    // Empty and scalar datasets of every type.
    Group empties = new Group("");
    long[][] shapes = {{}, {0}, {0, 5}, {5, 0}, {3, 0, 2}, {1}, {1, 1, 1, 1, 1, 1, 1, 1}};
    for (DataType type : DataType.values()) {
      Group tg = empties.group(type.numpyName());
      for (int i = 0; i < shapes.length; i++) {
        tg.dataset("s" + i, type, shapes[i],
            TreeSpec.values(r, type, TreeSpec.count(shapes[i])));
      }
    }
    trees.put("empties", empties);

    // More strings than one global heap collection can index (65535 objects).
    Group strings = new Group("");
    for (int i = 0; i < 20; i++) {
      String[] values = new String[4000];
      Arrays.fill(values, i % 2 == 0 ? "" : "s" + i);
      strings.attrs.add(Attr.strings("list" + i, values));
    }
    strings.group("after").attrs.add(Attr.string("name", "after"));
    trees.put("many-strings", strings);

    trees.put("empty-root", new Group(""));
    Group rootAttrsOnly = new Group("");
    rootAttrsOnly.attrs.add(Attr.string("keras_version", "2.15.0"));
    rootAttrsOnly.attrs.add(Attr.string("backend", "tensorflow"));
    trees.put("root-attributes-only", rootAttrsOnly);

    // Long and non-ASCII names.
    Group names = new Group("");
    names.group("ä名🎉 ")
        .dataset("😀", DataType.FLOAT32, new long[] {1}, new float[] {1});
    names.group("中".repeat(300)).group("x".repeat(20_000));
    names.group("y".repeat(65_522)); // the longest name that fits into a link message
    names.group(" leading and trailing spaces ");
    names.group(".hidden");
    names.group("..");
    names.group("a.b:c;d,e");
    trees.put("names", names);
    return trees;
  }

  /** A JSON document of about {@code size} characters, like a large Keras model config. */
  static String bigJson(int size) {
    StringBuilder sb = new StringBuilder("{\"class_name\": \"Functional\", \"config\": "
        + "{\"layers\": [");
    for (int i = 0; sb.length() < size - 200; i++) {
      sb.append(i == 0 ? "" : ", ").append("{\"class_name\": \"Dense\", \"config\": ")
          .append("{\"name\": \"dense_").append(i).append("\", \"units\": ")
          .append(i % 512).append(", \"activation\": \"relu\"}}");
    }
    return sb.append("]}}").toString();
  }
}
