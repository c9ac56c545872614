package io.jeras.savedmodels.keras;

import io.jeras.input.InputLimits;
import io.jeras.layers.WeightSpec;
import io.jeras.models.Model;
import io.jeras.models.ModelLayer;
import io.jeras.utils.Shapes;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Reads a Keras file's weights into a Jeras model, matched as Keras matches them: Keras 3 files
 * ({@code .keras}, {@code .weights.h5}) by each layer's place in the model
 * ({@link WeightLayout}); Keras 2 {@code .h5} files by the order of the layers that hold weights,
 * and inside a nested model by the inner layers' names. A layer whose weights do not fit fails
 * naming it, the file and both shapes; the model is changed only when every weight fits.
 */
final class KerasWeights {
  private KerasWeights() {}

  /**
   * Keras 3's layout: each layer's weights in the group {@code <path>/vars} as datasets
   * {@code 0, 1, ...}; {@code vars} gives the groups holding them (one, or several shards).
   */
  static Map<String, FloatNdArray> keras3(Model model, Function<String, List<Group>> vars,
      boolean checkpointDependencies, Path file) {
    Map<String, FloatNdArray> values = new LinkedHashMap<>();
    for (WeightLayout.Entry entry : WeightLayout.entries(model, checkpointDependencies)) {
      Map<String, Dataset> datasets = new java.util.HashMap<>();
      for (Group group : vars.apply(entry.kerasPath() + "/vars")) {
        group.getChildren().forEach((name, node) -> {
          if (node instanceof Dataset dataset) {
            datasets.put(name, dataset);
          }
        });
      }
      if (datasets.size() != entry.specs().size()) {
        throw new IllegalArgumentException("Layer " + entry.prefix() + " ("
            + entry.layer().className() + ") has " + entry.specs().size() + " weights "
            + names(entry.specs()) + ", but " + file + " holds " + datasets.size() + " at "
            + entry.kerasPath() + "/vars; the file was saved from a different model");
      }
      for (int i = 0; i < datasets.size(); i++) {
        Dataset dataset = datasets.get(Integer.toString(i));
        if (dataset == null) {
          throw new IllegalArgumentException(file + " has no weight " + i + " at "
              + entry.kerasPath() + "/vars");
        }
        put(values, entry.prefix(), entry.specs().get(i), floats(dataset, file), file);
      }
    }
    return values;
  }

  /**
   * The group at {@code path} below {@code root} as a one-element list (empty if absent);
   * tf.keras 2.12 and 2.13 named the layer containers {@code _layer_checkpoint_dependencies}.
   */
  static List<Group> keras3Group(Group root, String path) {
    String resolved = usesCheckpointDependencies(root)
        ? path.replaceAll("(^|/)layers/", "$1_layer_checkpoint_dependencies/") : path;
    return child(root, resolved) instanceof Group group ? List.of(group) : List.of();
  }

  /** Whether {@code root} holds tf.keras 2.12/2.13's {@code _layer_checkpoint_dependencies}. */
  static boolean usesCheckpointDependencies(Group root) {
    return !root.getChildren().containsKey("layers")
        && root.getChildren().containsKey("_layer_checkpoint_dependencies");
  }

  /**
   * Keras 2's layout: the group {@code root} (a file's root or its {@code model_weights}) lists
   * its layers in {@code layer_names}; each layer's group lists its weights in
   * {@code weight_names}.
   */
  static Map<String, FloatNdArray> legacy(Model model, Group root, Path file) {
    List<String> saved = new ArrayList<>();
    for (String name : strings(root, "layer_names", file)) {
      // a Keras 2 layer name may hold "/", which HDF5 reads as nested groups
      if (child(root, name) instanceof Group group
          && !strings(group, "weight_names", file).isEmpty()) {
        saved.add(name);
      }
    }
    List<WeightLayout.TopLayer> layers = WeightLayout.topLayers(model).stream()
        .filter(top -> !top.entries().isEmpty()).toList();
    if (saved.size() != layers.size()) {
      throw new IllegalArgumentException("Layer count mismatch: " + file + " holds weights for "
          + saved.size() + " layers " + abbreviate(saved) + ", the model has " + layers.size()
          + " layers with weights " + abbreviate(layers.stream()
              .map(top -> top.layer().name()).toList()));
    }
    Map<String, FloatNdArray> values = new LinkedHashMap<>();
    for (int k = 0; k < saved.size(); k++) {
      Group group = (Group) child(root, saved.get(k));
      List<String> weightNames = strings(group, "weight_names", file);
      List<FloatNdArray> arrays = new ArrayList<>();
      for (String weight : weightNames) {
        if (!(child(group, weight) instanceof Dataset dataset)) {
          throw new IllegalArgumentException(file + " lists weight " + weight + " of layer "
              + saved.get(k) + " but does not hold it");
        }
        arrays.add(floats(dataset, file));
      }
      WeightLayout.TopLayer top = layers.get(k);
      if (top.layer() instanceof ModelLayer) {
        nested(top, saved.get(k), weightNames, arrays, values, file);
      } else {
        // (a layer's weights may sit at several places in Keras 3 files, in order in Keras 2's)
        WeightLayout.Entry entry = top.entries().get(0);
        List<WeightSpec> specs = top.entries().stream()
            .flatMap(e -> e.specs().stream()).toList();
        if (arrays.size() != specs.size()) {
          throw new IllegalArgumentException("Layer " + entry.prefix() + " ("
              + entry.layer().className() + ") has " + specs.size() + " weights "
              + names(specs) + ", but " + file + " holds " + arrays.size() + " for "
              + saved.get(k) + ": " + weightNames);
        }
        for (int i = 0; i < arrays.size(); i++) {
          put(values, entry.prefix(), specs.get(i), arrays.get(i), file);
        }
      }
    }
    return values;
  }

  /**
   * A nested model's weights, all in its group: Keras lists the trainable ones first, so they
   * are matched by the inner layer's name ({@code block1_conv1/kernel:0}), in order per layer.
   */
  private static void nested(WeightLayout.TopLayer top, String group, List<String> weightNames,
      List<FloatNdArray> arrays, Map<String, FloatNdArray> values, Path file) {
    java.util.Set<String> inner = new java.util.HashSet<>();
    top.entries().forEach(entry -> inner.add(entry.name()));
    Map<String, List<FloatNdArray>> byLayer = new LinkedHashMap<>();
    for (int i = 0; i < weightNames.size(); i++) {
      String path = weightNames.get(i).replaceFirst(":\\d+$", "");
      // "<layer>/<weight>", the layer's name possibly holding "/" (Keras 2) or prefixed by
      // its model's (Keras 3: "outer/dense/kernel")
      String whole = path.contains("/") ? ModelReader.jerasName(
          path.substring(0, path.lastIndexOf('/'))) : path;
      String[] parts = path.split("/");
      String layer = inner.contains(whole) || parts.length < 2 ? whole : parts[parts.length - 2];
      byLayer.computeIfAbsent(layer, k -> new ArrayList<>()).add(arrays.get(i));
    }
    for (WeightLayout.Entry entry : top.entries()) {
      List<FloatNdArray> own = byLayer.remove(entry.name());
      if (own == null || own.size() != entry.specs().size()) {
        throw new IllegalArgumentException("Layer " + entry.prefix() + " ("
            + entry.layer().className() + ") has " + entry.specs().size() + " weights "
            + names(entry.specs()) + ", but " + file + " holds " + (own == null ? 0 : own.size())
            + " for " + entry.name() + " in " + group);
      }
      for (int i = 0; i < own.size(); i++) {
        put(values, entry.prefix(), entry.specs().get(i), own.get(i), file);
      }
    }
    if (!byLayer.isEmpty()) {
      throw new IllegalArgumentException(file + " holds weights in " + group + " for layers the"
          + " model " + top.layer().name() + " does not have: " + abbreviate(
              List.copyOf(byLayer.keySet())));
    }
  }

  private static void put(Map<String, FloatNdArray> values, String prefix, WeightSpec spec,
      FloatNdArray value, Path file) {
    if (!value.shape().equals(spec.shape())) {
      throw new IllegalArgumentException("Weight " + prefix + "/" + spec.name() + " has shape "
          + Shapes.format(spec.shape()) + " in the model but " + Shapes.format(value.shape())
          + " in " + file);
    }
    values.put(prefix + "/" + spec.name(), value);
  }

  /** Writes {@code values} into {@code model}, which must hold exactly these weights. */
  static void assign(Model model, Map<String, FloatNdArray> values) {
    List<String> names = model.weightNames();
    List<FloatNdArray> ordered = new ArrayList<>(names.size());
    for (String name : names) {
      FloatNdArray value = values.get(name);
      if (value == null) {
        throw new IllegalStateException("no value read for weight " + name);
      }
      ordered.add(value);
    }
    model.setWeights(ordered);
  }

  /** The node at {@code path} below {@code group}, or null. */
  static Node child(Group group, String path) {
    Node node = group;
    for (String part : path.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (!(node instanceof Group g) || !g.getChildren().containsKey(part)) {
        return null;
      }
      node = g.getChild(part);
    }
    return node;
  }

  /** A dataset's values as float32 (Keras stores a few counters as int64). */
  static FloatNdArray floats(Dataset dataset, Path file) {
    long[] dims = Arrays.stream(dataset.getDimensions()).asLongStream().toArray();
    // the shape a file declares bounds what reading it allocates: checked before jHDF reads
    String what = "weight " + dataset.getPath();
    InputLimits.checkBytes(file.toString(), what, dataset.getSize(),
        Math.max(Float.BYTES, dataset.getDataType().getSize()), -1);
    Object flat = dataset.isScalar() ? dataset.getData() : dataset.getDataFlat();
    float[] values;
    if (flat instanceof float[] f) {
      values = f;
    } else if (flat instanceof double[] d) {
      values = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        values[i] = (float) d[i];
      }
    } else if (flat instanceof long[] l) {
      values = new float[l.length];
      for (int i = 0; i < l.length; i++) {
        values[i] = l[i];
      }
    } else if (flat instanceof int[] n) {
      values = new float[n.length];
      for (int i = 0; i < n.length; i++) {
        values[i] = n[i];
      }
    } else if (flat instanceof Number n) {
      values = new float[] {n.floatValue()};
      dims = new long[0];
    } else {
      throw new IllegalArgumentException("Weight " + dataset.getPath() + " in " + file
          + " holds " + dataset.getJavaType().getSimpleName() + " values; expected numbers");
    }
    return NdArrays.wrap(Shape.of(dims), DataBuffers.of(values, true, false));
  }

  /**
   * A string-array attribute of {@code group}, as a list (an absent one is empty). Keras splits
   * one larger than HDF5's 64 KB attribute limit into {@code name0}, {@code name1}, ...
   */
  static List<String> strings(Group group, String name, Path file) {
    if (group.getAttribute(name) != null || group.getAttribute(name + "0") == null) {
      return strings(group.getAttribute(name), name, file);
    }
    List<String> all = new ArrayList<>();
    for (int i = 0; group.getAttribute(name + i) != null; i++) {
      all.addAll(strings(group.getAttribute(name + i), name + i, file));
    }
    return all;
  }

  private static List<String> strings(Attribute attribute, String name, Path file) {
    if (attribute == null) {
      return List.of();
    }
    Object data = attribute.getData();
    if (data == null) {
      return List.of();
    }
    if (data instanceof String[] strings) {
      return List.of(strings);
    }
    if (data instanceof String string) {
      return List.of(string);
    }
    if (data instanceof double[] || data instanceof float[]) {
      return List.of(); // h5py writes an empty list as an empty float array
    }
    throw new IllegalArgumentException("Attribute " + name + " in " + file + " holds "
        + data.getClass().getSimpleName() + ", expected strings");
  }

  private static List<String> names(List<WeightSpec> specs) {
    return specs.stream().map(WeightSpec::name).toList();
  }

  private static String abbreviate(List<String> names) {
    return names.size() <= 6 ? names.toString()
        : names.subList(0, 6).toString().replace("]", ", ...]");
  }
}
