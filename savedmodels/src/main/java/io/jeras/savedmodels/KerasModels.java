package io.jeras.savedmodels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jeras.activations.Activations;
import io.jeras.layers.Layer;
import io.jeras.layers.Padding;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.core.Activation;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Input;
import io.jeras.layers.pooling.AveragePooling2D;
import io.jeras.layers.pooling.MaxPooling2D;
import io.jeras.layers.regularization.Dropout;
import io.jeras.layers.reshaping.Flatten;
import io.jeras.models.Sequential;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Imports Keras models, architecture and weights, as Jeras models with trainable weights: Keras
 * 3's {@code .keras} files (a zip of {@code config.json} and {@code model.weights.h5}) and
 * Keras 2 {@code .h5} files ({@code model_config} and {@code model_weights}), read with the
 * pure-Java HDF5 reader jHDF. Predictions equal Keras' to float precision; the model can then be
 * cut, frozen and fine-tuned.
 *
 * <p>Every unsupported layer or option is reported in one error, listing them all. Zip entries
 * with absolute paths or {@code ..} are rejected.
 *
 * <pre>{@code
 * Sequential base = KerasModels.load(Path.of("cnn.keras")).upTo("features");
 * }</pre>
 */
public final class KerasModels {
  private static final ObjectMapper JSON = new ObjectMapper();

  private KerasModels() {}

  /** Loads a {@code .keras} or {@code .h5} Keras model. */
  public static Sequential load(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException("Keras model file " + path + " does not exist");
    }
    String name = path.getFileName().toString();
    if (name.endsWith(".keras")) {
      return loadKeras3(path);
    }
    if (name.endsWith(".h5") || name.endsWith(".hdf5")) {
      return loadH5(path);
    }
    throw new IllegalArgumentException("Expected a Keras model file ending in .keras or .h5, got "
        + path);
  }

  private static Sequential loadKeras3(Path path) {
    JsonNode config;
    byte[] weights;
    try (ZipFile zip = new ZipFile(path.toFile())) {
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        String entry = e.nextElement().getName();
        if (entry.startsWith("/") || entry.startsWith("\\") || entry.matches("^[A-Za-z]:.*")
            || List.of(entry.split("[/\\\\]")).contains("..")) {
          throw new IllegalArgumentException("Keras file " + path + " holds an unsafe entry \""
              + entry + "\" (absolute path or ..); refusing to read it");
        }
      }
      config = JSON.readTree(read(zip, "config.json", path));
      weights = read(zip, "model.weights.h5", path);
    } catch (ZipException e) {
      throw new IllegalArgumentException(path + " is not a Keras 3 .keras file (not a zip: "
          + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + path, e);
    }
    try (HdfFile h5 = HdfFile.fromBytes(weights)) {
      return build(path, config, layer -> keras3Weights(h5, layer));
    }
  }

  private static byte[] read(ZipFile zip, String entry, Path path) throws IOException {
    ZipEntry e = zip.getEntry(entry);
    if (e == null) {
      throw new IllegalArgumentException("Keras file " + path + " has no " + entry);
    }
    try (InputStream in = zip.getInputStream(e)) {
      return in.readAllBytes();
    }
  }

  private static Sequential loadH5(Path path) {
    try (HdfFile h5 = new HdfFile(path)) {
      Attribute modelConfig = h5.getAttribute("model_config");
      if (modelConfig == null) {
        throw new IllegalArgumentException(path + " holds no model_config attribute: it is not a"
            + " whole Keras model saved as .h5 (weights-only files need the model to exist)");
      }
      JsonNode config = JSON.readTree(attributeString(modelConfig));
      return build(path, config, layer -> h5Weights(h5, layer));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + path, e);
    } catch (RuntimeException e) {
      if (e instanceof IllegalArgumentException) {
        throw e;
      }
      throw new IllegalArgumentException(path + " is not a readable Keras .h5 file: "
          + e.getMessage(), e);
    }
  }

  /** The weights of one layer, in Keras' order. */
  @FunctionalInterface
  private interface WeightSource {
    List<FloatNdArray> weights(String layer);
  }

  private static Sequential build(Path path, JsonNode root, WeightSource source) {
    String className = root.path("class_name").asText();
    JsonNode config = root.path("config");
    if (!className.equals("Sequential") && !className.equals("Functional")
        && !className.equals("Model")) {
      throw new IllegalArgumentException(path + " holds a " + className + ", not a Sequential or"
          + " Functional Keras model");
    }
    List<String> problems = new ArrayList<>();
    List<Layer<?>> layers = new ArrayList<>();
    String previous = null;
    for (JsonNode layer : config.path("layers")) {
      String layerClass = layer.path("class_name").asText();
      JsonNode c = layer.path("config");
      String name = c.path("name").asText(layer.path("name").asText());
      if (className.equals("Functional")) {
        List<String> inbound = inboundLayers(layer);
        boolean chained = previous == null ? inbound.isEmpty()
            : inbound.size() == 1 && inbound.get(0).equals(previous);
        if (!chained) {
          problems.add(name + " (" + layerClass + ") takes " + (inbound.isEmpty() ? "no input"
              : inbound) + ": only chains of layers can be imported as a Sequential");
        }
      }
      previous = name;
      Layer<?> converted = convert(layerClass, c, name, problems);
      if (converted != null) {
        layers.add(converted.name(name).trainable(c.path("trainable").asBoolean(true)));
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("Cannot import " + path + " into Jeras: "
          + String.join("; ", problems));
    }
    Sequential model = Sequential.named(config.path("name").asText("sequential"));
    layers.forEach(model::add);
    List<FloatNdArray> weights = new ArrayList<>();
    for (Layer<?> layer : model.layers()) {
      weights.addAll(source.weights(layer.name()));
    }
    model.setWeights(weights);
    return model;
  }

  private static List<String> inboundLayers(JsonNode layer) {
    List<String> names = new ArrayList<>();
    for (JsonNode node : layer.path("inbound_nodes")) {
      for (JsonNode arg : node.path("args")) {
        JsonNode history = arg.path("config").path("keras_history");
        if (history.isArray()) {
          names.add(history.get(0).asText());
        } else if (arg.isArray()) {
          arg.forEach(a -> names.add(a.path("config").path("keras_history").get(0).asText()));
        }
      }
    }
    return names;
  }

  private static Layer<?> convert(String layerClass, JsonNode c, String name,
      List<String> problems) {
    int before = problems.size();
    if (!c.path("data_format").isMissingNode()
        && !c.path("data_format").asText().equals("channels_last")) {
      problems.add(name + " (" + layerClass + "): data_format "
          + c.path("data_format").asText() + " (Jeras uses channels_last)");
    }
    Layer<?> layer = switch (layerClass) {
      case "InputLayer" -> {
        JsonNode shape = c.has("batch_shape") ? c.path("batch_shape")
            : c.path("batch_input_shape");
        long[] dims = new long[shape.size() - 1];
        for (int i = 1; i < shape.size(); i++) {
          dims[i - 1] = shape.get(i).asLong();
        }
        yield Input.of(dims);
      }
      case "Conv2D" -> {
        if (c.path("groups").asInt(1) != 1) {
          problems.add(name + " (Conv2D): groups " + c.path("groups").asInt());
        }
        yield Conv2D.of(c.path("filters").asInt(), c.path("kernel_size").get(0).asInt(),
                c.path("kernel_size").get(1).asInt())
            .strides(c.path("strides").get(0).asInt(), c.path("strides").get(1).asInt())
            .padding(Padding.of(c.path("padding").asText("valid")))
            .dilationRate(c.path("dilation_rate").get(0).asInt(),
                c.path("dilation_rate").get(1).asInt())
            .activation(activation(c, name, problems))
            .useBias(c.path("use_bias").asBoolean(true));
      }
      case "Dense" -> Dense.of(c.path("units").asInt()).activation(activation(c, name, problems))
          .useBias(c.path("use_bias").asBoolean(true));
      case "MaxPooling2D" -> MaxPooling2D.of(c.path("pool_size").get(0).asInt(),
              c.path("pool_size").get(1).asInt())
          .strides(c.path("strides").get(0).asInt(), c.path("strides").get(1).asInt())
          .padding(Padding.of(c.path("padding").asText("valid")));
      case "AveragePooling2D" -> AveragePooling2D.of(c.path("pool_size").get(0).asInt(),
              c.path("pool_size").get(1).asInt())
          .strides(c.path("strides").get(0).asInt(), c.path("strides").get(1).asInt())
          .padding(Padding.of(c.path("padding").asText("valid")));
      case "Flatten" -> Flatten.of();
      case "Dropout" -> Dropout.of(c.path("rate").asDouble());
      case "Activation" -> Activation.of(activation(c, name, problems));
      default -> {
        problems.add(name + " (" + layerClass + "): layer not supported");
        yield null;
      }
    };
    return problems.size() == before ? layer : null;
  }

  private static Activations activation(JsonNode c, String name, List<String> problems) {
    String activation = c.path("activation").asText("linear");
    try {
      return Activations.of(activation);
    } catch (IllegalArgumentException e) {
      problems.add(name + ": activation " + activation + " not supported");
      return Activations.LINEAR;
    }
  }

  /** Keras 3: {@code layers/<path>/vars/<i>}, the group found by its {@code name} attribute. */
  private static List<FloatNdArray> keras3Weights(HdfFile h5, String layer) {
    Node layers = h5.getChild("layers");
    if (layers instanceof Group group) {
      for (Node child : group.getChildren().values()) {
        Node vars = child instanceof Group g ? g.getChild("vars") : null;
        if (vars != null && vars.getAttribute("name") != null
            && layer.equals(attributeString(vars.getAttribute("name")))) {
          List<FloatNdArray> weights = new ArrayList<>();
          Map<String, Node> children = ((Group) vars).getChildren();
          for (int i = 0; children.containsKey(Integer.toString(i)); i++) {
            weights.add(floats((Dataset) children.get(Integer.toString(i))));
          }
          return weights;
        }
      }
    }
    return List.of();
  }

  /** Keras 2 .h5: {@code model_weights/<layer>/<weight name>} in {@code weight_names} order. */
  private static List<FloatNdArray> h5Weights(HdfFile h5, String layer) {
    Node group = h5.getByPath("model_weights/" + layer);
    Attribute names = group.getAttribute("weight_names");
    List<FloatNdArray> weights = new ArrayList<>();
    if (names != null && names.getData() instanceof String[] paths) {
      for (String weight : paths) {
        weights.add(floats((Dataset) h5.getByPath("model_weights/" + layer + "/" + weight)));
      }
    }
    return weights;
  }

  private static FloatNdArray floats(Dataset dataset) {
    Object flat = dataset.getDataFlat();
    if (!(flat instanceof float[] values)) {
      throw new IllegalArgumentException("weight " + dataset.getPath() + " holds "
          + dataset.getJavaType().getSimpleName() + ", expected float32");
    }
    long[] dims = java.util.Arrays.stream(dataset.getDimensions()).asLongStream().toArray();
    return NdArrays.wrap(Shape.of(dims), DataBuffers.of(values, true, false));
  }

  private static String attributeString(Attribute attribute) {
    Object data = attribute.getData();
    return data instanceof String[] strings ? strings[0] : String.valueOf(data);
  }
}
