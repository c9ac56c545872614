package io.jeras.savedmodels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jeras.activations.Activations;
import io.jeras.layers.KerasTensor;
import io.jeras.layers.Layer;
import io.jeras.layers.Padding;
import io.jeras.layers.activations.ELU;
import io.jeras.layers.activations.LeakyReLU;
import io.jeras.layers.activations.ReLU;
import io.jeras.layers.activations.Softmax;
import io.jeras.layers.convolutional.BaseConv2D;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.convolutional.DepthwiseConv2D;
import io.jeras.layers.convolutional.SeparableConv2D;
import io.jeras.layers.core.Activation;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Input;
import io.jeras.layers.merging.Add;
import io.jeras.layers.merging.Average;
import io.jeras.layers.merging.Concatenate;
import io.jeras.layers.merging.Maximum;
import io.jeras.layers.merging.Minimum;
import io.jeras.layers.merging.Multiply;
import io.jeras.layers.merging.Subtract;
import io.jeras.layers.normalization.BatchNormalization;
import io.jeras.layers.pooling.AveragePooling2D;
import io.jeras.layers.pooling.GlobalAveragePooling2D;
import io.jeras.layers.pooling.GlobalMaxPooling2D;
import io.jeras.layers.pooling.MaxPooling2D;
import io.jeras.layers.preprocessing.Rescaling;
import io.jeras.layers.regularization.Dropout;
import io.jeras.layers.reshaping.Cropping2D;
import io.jeras.layers.reshaping.Flatten;
import io.jeras.layers.reshaping.Margins;
import io.jeras.layers.reshaping.Reshape;
import io.jeras.layers.reshaping.UpSampling2D;
import io.jeras.layers.reshaping.ZeroPadding2D;
import io.jeras.models.Model;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * Sequential base = KerasModels.loadSequential(Path.of("cnn.keras")).upTo("features");
 * Model resnet = KerasModels.load(Path.of("resnet.keras"));
 * }</pre>
 */
public final class KerasModels {
  private static final ObjectMapper JSON = new ObjectMapper();

  private KerasModels() {}

  /**
   * Loads a {@code .keras} or {@code .h5} Keras model: a {@link Sequential} for Keras
   * Sequential models and functional chains, a functional model otherwise.
   */
  public static Model load(Path path) {
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

  /** Loads a Keras model that is a chain of layers, as a Sequential (to cut or extend it). */
  public static Sequential loadSequential(Path path) {
    Model model = load(path);
    if (model instanceof Sequential sequential) {
      return sequential;
    }
    model.close();
    throw new IllegalArgumentException(path + " holds a functional model with branches or"
        + " several inputs or outputs, not a chain of layers; load it with load()");
  }

  private static Model loadKeras3(Path path) {
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

  private static Model loadH5(Path path) {
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

  private static Model build(Path path, JsonNode root, WeightSource source) {
    String className = root.path("class_name").asText();
    JsonNode config = root.path("config");
    if (!className.equals("Sequential") && !className.equals("Functional")
        && !className.equals("Model")) {
      throw new IllegalArgumentException(path + " holds a " + className + ", not a Sequential or"
          + " Functional Keras model");
    }
    String modelName = config.path("name").asText("sequential");
    List<String> problems = new ArrayList<>();
    Map<String, Layer<?>> layers = new LinkedHashMap<>();
    Map<String, List<KerasTensor>> applied = new HashMap<>();
    boolean chain = true;
    String previous = null;
    Input firstInput = null;
    for (JsonNode layer : config.path("layers")) {
      String layerClass = layer.path("class_name").asText();
      JsonNode c = layer.path("config");
      String name = c.path("name").asText(layer.path("name").asText());
      List<List<String[]>> inbound = inboundNodes(layer);
      chain &= previous == null ? inbound.isEmpty() : inbound.size() == 1
          && inbound.get(0).size() == 1 && inbound.get(0).get(0)[0].equals(previous);
      previous = name;
      Layer<?> converted = convert(layerClass, c, name, problems);
      if (converted == null) {
        continue;
      }
      if (converted instanceof Input input) {
        Input named = input.name(name);
        firstInput = firstInput == null ? named : firstInput;
        applied.put(name, List.of(named.tensor()));
        continue;
      }
      converted = converted.name(name).trainable(c.path("trainable").asBoolean(true));
      layers.put(name, converted);
      if (className.equals("Sequential")) {
        continue;
      }
      for (List<String[]> node : inbound) {
        List<KerasTensor> inputs = new ArrayList<>();
        for (String[] history : node) {
          List<KerasTensor> outputs = applied.get(history[0]);
          int index = Integer.parseInt(history[1]);
          if (outputs == null || index >= outputs.size()) {
            problems.add(name + " (" + layerClass + ") takes " + history[0] + "[" + index
                + "], which could not be imported");
          } else {
            inputs.add(outputs.get(index));
          }
        }
        if (inputs.size() == node.size()) {
          try {
            applied.computeIfAbsent(name, k -> new ArrayList<>()).add(converted.apply(inputs));
          } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("Cannot import " + path + " into Jeras: "
          + String.join("; ", problems));
    }
    Model model;
    if (className.equals("Sequential") || chain) {
      Sequential sequential = Sequential.named(modelName);
      if (firstInput != null) {
        sequential.add(firstInput);
      }
      layers.values().forEach(sequential::add);
      model = sequential;
    } else {
      model = Model.of(modelName, tensors(config.path("input_layers"), applied),
          tensors(config.path("output_layers"), applied));
    }
    List<FloatNdArray> weights = new ArrayList<>();
    for (Layer<?> layer : model.layers()) {
      weights.addAll(source.weights(layer.name()));
    }
    model.setWeights(weights);
    return model;
  }

  /**
   * The applications of a layer: for each, the {@code [layer, node index]} of each input. Keras
   * 3 writes {@code {"args": [tensor or [tensors]]}} with {@code keras_history}; Keras 2 writes
   * {@code [[layer, node, tensor, kwargs], ...]}.
   */
  private static List<List<String[]>> inboundNodes(JsonNode layer) {
    List<List<String[]>> nodes = new ArrayList<>();
    for (JsonNode node : layer.path("inbound_nodes")) {
      List<String[]> inputs = new ArrayList<>();
      if (node.isArray()) {
        node.forEach(ref -> inputs.add(new String[] {ref.get(0).asText(), ref.get(1).asText()}));
      } else {
        for (JsonNode arg : node.path("args")) {
          for (JsonNode tensor : arg.isArray() ? arg : List.of(arg)) {
            JsonNode history = tensor.path("config").path("keras_history");
            if (history.isArray()) {
              inputs.add(new String[] {history.get(0).asText(), history.get(1).asText()});
            }
          }
        }
      }
      nodes.add(inputs);
    }
    return nodes;
  }

  /** The tensors named by {@code input_layers} or {@code output_layers} ({@code [name, node,
   * tensor]}, or a list of them). */
  private static List<KerasTensor> tensors(JsonNode refs, Map<String, List<KerasTensor>> applied) {
    List<KerasTensor> tensors = new ArrayList<>();
    for (JsonNode ref : refs.path(0).isArray() ? refs : List.of(refs)) {
      tensors.add(applied.get(ref.get(0).asText()).get(ref.get(1).asInt()));
    }
    return tensors;
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
        yield convolution(Conv2D.of(c.path("filters").asInt(),
            c.path("kernel_size").get(0).asInt(), c.path("kernel_size").get(1).asInt()), c, name,
            problems);
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
      case "BatchNormalization" -> {
        JsonNode axis = c.path("axis");
        if (c.path("renorm").asBoolean(false)) {
          problems.add(name + " (BatchNormalization): renorm");
        }
        yield BatchNormalization.of().axis(axis.isArray() ? axis.get(0).asInt() : axis.asInt(-1))
            .momentum(c.path("momentum").asDouble(0.99)).epsilon(c.path("epsilon").asDouble(1e-3))
            .center(c.path("center").asBoolean(true)).scale(c.path("scale").asBoolean(true));
      }
      case "DepthwiseConv2D" -> convolution(DepthwiseConv2D.of(
          c.path("kernel_size").get(0).asInt(), c.path("kernel_size").get(1).asInt())
          .depthMultiplier(c.path("depth_multiplier").asInt(1)), c, name, problems);
      case "SeparableConv2D" -> convolution(SeparableConv2D.of(c.path("filters").asInt(),
          c.path("kernel_size").get(0).asInt(), c.path("kernel_size").get(1).asInt())
          .depthMultiplier(c.path("depth_multiplier").asInt(1)), c, name, problems);
      case "GlobalAveragePooling2D" ->
          GlobalAveragePooling2D.of().keepdims(c.path("keepdims").asBoolean(false));
      case "GlobalMaxPooling2D" ->
          GlobalMaxPooling2D.of().keepdims(c.path("keepdims").asBoolean(false));
      case "ZeroPadding2D" -> ZeroPadding2D.of(margins(c.path("padding")));
      case "Cropping2D" -> Cropping2D.of(margins(c.path("cropping")));
      case "UpSampling2D" -> UpSampling2D.of(c.path("size").get(0).asInt(),
          c.path("size").get(1).asInt()).interpolation(c.path("interpolation").asText("nearest"));
      case "Reshape" -> {
        JsonNode target = c.path("target_shape");
        long[] dims = new long[target.size()];
        for (int i = 0; i < dims.length; i++) {
          dims[i] = target.get(i).asLong();
        }
        yield Reshape.of(dims);
      }
      case "Rescaling" -> {
        if (!c.path("scale").isNumber() || !c.path("offset").isNumber()) {
          problems.add(name + " (Rescaling): scale and offset must be numbers");
        }
        yield Rescaling.of(c.path("scale").asDouble(1), c.path("offset").asDouble(0));
      }
      case "ReLU" -> {
        ReLU relu = ReLU.of().negativeSlope(c.path("negative_slope").asDouble(0))
            .threshold(c.path("threshold").asDouble(0));
        yield c.path("max_value").isNumber() ? relu.maxValue(c.path("max_value").asDouble())
            : relu;
      }
      case "LeakyReLU" -> LeakyReLU.of(c.path("negative_slope").asDouble(
          c.path("alpha").asDouble(LeakyReLU.DEFAULT_NEGATIVE_SLOPE)));
      case "ELU" -> ELU.of(c.path("alpha").asDouble(1.0));
      case "Softmax" -> Softmax.of(c.path("axis").isArray() ? c.path("axis").get(0).asInt()
          : c.path("axis").asInt(-1));
      case "Add" -> Add.of();
      case "Subtract" -> Subtract.of();
      case "Multiply" -> Multiply.of();
      case "Average" -> Average.of();
      case "Maximum" -> Maximum.of();
      case "Minimum" -> Minimum.of();
      case "Concatenate" -> Concatenate.of(c.path("axis").asInt(-1));
      case "Dropout" -> Dropout.of(c.path("rate").asDouble());
      case "Activation" -> Activation.of(activation(c, name, problems));
      default -> {
        problems.add(name + " (" + layerClass + "): layer not supported");
        yield null;
      }
    };
    return problems.size() == before ? layer : null;
  }

  /** A convolution's common settings from its Keras config. */
  private static <L extends BaseConv2D<L>> L convolution(L layer, JsonNode c, String name,
      List<String> problems) {
    return layer.strides(c.path("strides").get(0).asInt(), c.path("strides").get(1).asInt())
        .padding(Padding.of(c.path("padding").asText("valid")))
        .dilationRate(c.path("dilation_rate").get(0).asInt(),
            c.path("dilation_rate").get(1).asInt())
        .activation(activation(c, name, problems))
        .useBias(c.path("use_bias").asBoolean(true));
  }

  /** Keras' {@code ((top, bottom), (left, right))}, or a symmetric pair, or one int. */
  private static Margins margins(JsonNode value) {
    if (value.isInt()) {
      return Margins.of(value.asInt());
    }
    if (value.get(0).isInt()) {
      return Margins.of(value.get(0).asInt(), value.get(1).asInt());
    }
    return Margins.of(value.get(0).get(0).asInt(), value.get(0).get(1).asInt(),
        value.get(1).get(0).asInt(), value.get(1).get(1).asInt());
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
