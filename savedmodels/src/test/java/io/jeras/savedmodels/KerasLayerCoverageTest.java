package io.jeras.savedmodels;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jeras.Jeras;
import io.jeras.applications.convnext.LayerScale;
import io.jeras.applications.convnext.StochasticDepth;
import io.jeras.applications.inceptionresnetv2.CustomScaleLayer;
import io.jeras.constraints.Constraints;
import io.jeras.data.Data;
import io.jeras.layers.KerasTensor;
import io.jeras.layers.Layer;
import io.jeras.layers.activations.ELU;
import io.jeras.layers.attention.MultiHeadAttention;
import io.jeras.layers.activations.LeakyReLU;
import io.jeras.layers.activations.ReLU;
import io.jeras.layers.activations.Softmax;
import io.jeras.layers.convolutional.Conv1D;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.convolutional.Conv2DTranspose;
import io.jeras.layers.convolutional.DepthwiseConv2D;
import io.jeras.layers.convolutional.SeparableConv2D;
import io.jeras.layers.core.Activation;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Embedding;
import io.jeras.layers.core.Identity;
import io.jeras.layers.core.Input;
import io.jeras.layers.core.Masking;
import io.jeras.layers.merging.Add;
import io.jeras.layers.merging.Average;
import io.jeras.layers.merging.Concatenate;
import io.jeras.layers.merging.Maximum;
import io.jeras.layers.merging.Minimum;
import io.jeras.layers.merging.Multiply;
import io.jeras.layers.merging.Subtract;
import io.jeras.layers.normalization.BatchNormalization;
import io.jeras.layers.normalization.GroupNormalization;
import io.jeras.layers.normalization.LayerNormalization;
import io.jeras.layers.pooling.AveragePooling1D;
import io.jeras.layers.pooling.AveragePooling2D;
import io.jeras.layers.pooling.GlobalAveragePooling1D;
import io.jeras.layers.pooling.GlobalAveragePooling2D;
import io.jeras.layers.pooling.GlobalMaxPooling1D;
import io.jeras.layers.pooling.GlobalMaxPooling2D;
import io.jeras.layers.pooling.MaxPooling1D;
import io.jeras.layers.pooling.MaxPooling2D;
import io.jeras.layers.preprocessing.CenterCrop;
import io.jeras.layers.preprocessing.Normalization;
import io.jeras.layers.preprocessing.RandomBrightness;
import io.jeras.layers.preprocessing.RandomContrast;
import io.jeras.layers.preprocessing.RandomErasing;
import io.jeras.layers.preprocessing.RandomFlip;
import io.jeras.layers.preprocessing.RandomRotation;
import io.jeras.layers.preprocessing.RandomTranslation;
import io.jeras.layers.preprocessing.RandomZoom;
import io.jeras.layers.preprocessing.Rescaling;
import io.jeras.layers.preprocessing.Resizing;
import io.jeras.layers.regularization.Dropout;
import io.jeras.layers.regularization.GaussianDropout;
import io.jeras.layers.regularization.GaussianNoise;
import io.jeras.layers.regularization.SpatialDropout1D;
import io.jeras.layers.regularization.SpatialDropout2D;
import io.jeras.layers.reshaping.Cropping1D;
import io.jeras.layers.reshaping.Cropping2D;
import io.jeras.layers.reshaping.Flatten;
import io.jeras.layers.reshaping.Margins;
import io.jeras.layers.reshaping.Permute;
import io.jeras.layers.reshaping.RepeatVector;
import io.jeras.layers.reshaping.Reshape;
import io.jeras.layers.reshaping.UpSampling1D;
import io.jeras.layers.reshaping.UpSampling2D;
import io.jeras.layers.reshaping.ZeroPadding1D;
import io.jeras.layers.reshaping.ZeroPadding2D;
import io.jeras.layers.rnn.Bidirectional;
import io.jeras.layers.rnn.GRU;
import io.jeras.layers.rnn.LSTM;
import io.jeras.layers.rnn.SimpleRNN;
import io.jeras.models.Model;
import io.jeras.regularizers.Regularizers;
import io.jeras.savedmodels.keras.KerasModels;
import io.jeras.savedmodels.keras.mappings.LayerMapping;
import io.jeras.savedmodels.keras.mappings.LayerMappings;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;

/**
 * Ties every Jeras layer class to its Keras class, its import and its export, so the mappings
 * cannot drift from the layers: each layer class has a mapping and an example with options away
 * from Keras' defaults; each example's config reads back to the same config; Keras 3.8 and the
 * newest Keras load a {@code .keras} file holding it, predict what Jeras predicts and train it;
 * and the README's table of what imports is this test's output.
 */
class KerasLayerCoverageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path README = Path.of("../README.md").toAbsolutePath().normalize();
  private static final String TABLE_START = "<!-- keras-layers:start -->";
  private static final String TABLE_END = "<!-- keras-layers:end -->";
  /** Classes that are not layers of a Keras file (models, inputs, a SavedModel wrapper). */
  private static final Map<String, String> NOT_MAPPED = Map.of(
      "Input", "the InputLayer of a model config",
      "ModelLayer", "a nested Sequential or Functional model",
      "TFSMLayer", "a SavedModel used as a layer: no Keras config holds its graph");

  /**
   * A layer with options away from Keras' defaults, and the sample shapes it takes; {@code
   * ids > 0}: its inputs are token ids below that (Embedding), else standard normal values.
   */
  private record Example(Layer<?> layer, int ids, long[]... inputs) {
    Example(Layer<?> layer, long[]... inputs) {
      this(layer, 0, inputs);
    }
  }

  private static final long[] IMAGE = {8, 8, 4};
  private static final long[] SEQUENCE = {9, 4};

  private static Map<Class<?>, Example> examples() {
    Map<Class<?>, Example> examples = new LinkedHashMap<>();
    for (Example e : List.of(
        new Example(Dense.of(3).activation("mish").kernelRegularizer(Regularizers.l2(0.01))
            .biasConstraint(Constraints.nonNeg()), IMAGE),
        new Example(Activation.of("hard_silu"), IMAGE),
        new Example(Identity.of(), IMAGE),
        new Example(Conv2D.of(6, 3).strides(2).padding("same").groups(2).activation("gelu")
            .kernelConstraint(Constraints.maxNorm(2, 0, 1, 2)), IMAGE),
        new Example(DepthwiseConv2D.of(3).depthMultiplier(2).padding("same").dilationRate(2)
            .activation("relu6").useBias(false), IMAGE),
        new Example(SeparableConv2D.of(5, 3).depthMultiplier(2).activation("silu")
            .biasRegularizer(Regularizers.l1l2(0.01, 0.02)), IMAGE),
        new Example(MaxPooling2D.of(2).strides(1).padding("same"), IMAGE),
        new Example(AveragePooling2D.of(3, 2).strides(2, 1), IMAGE),
        new Example(GlobalAveragePooling2D.of().keepdims(true), IMAGE),
        new Example(GlobalMaxPooling2D.of(), IMAGE),
        new Example(BatchNormalization.of().momentum(0.9).epsilon(1e-2).center(false), IMAGE),
        new Example(LayerNormalization.of().epsilon(1e-6), IMAGE),
        new Example(GroupNormalization.of().groups(2), IMAGE),
        new Example(Normalization.of().invert(true), IMAGE),
        new Example(Dropout.of(0.3).noiseShape(null, 1, 1, null), IMAGE),
        new Example(Flatten.of(), IMAGE),
        new Example(Reshape.of(16, -1), IMAGE),
        new Example(Permute.of(2, 1, 3), IMAGE),
        new Example(ZeroPadding2D.of(Margins.of(1, 2, 0, 1)), IMAGE),
        new Example(Cropping2D.of(Margins.of(1, 0, 2, 1)), IMAGE),
        new Example(UpSampling2D.of(2, 1).interpolation("bilinear"), IMAGE),
        new Example(Rescaling.of(new double[] {0.5, 1, 2, 3}, new double[] {0, 1, 0, 1}), IMAGE),
        new Example(Resizing.of(6, 5).interpolation("nearest"), IMAGE),
        new Example(CenterCrop.of(6, 6), IMAGE),
        new Example(RandomFlip.of("horizontal").seed(3), IMAGE),
        new Example(RandomRotation.of(0.1).fillMode("nearest"), IMAGE),
        new Example(RandomZoom.of(-0.2, 0.1).widthFactor(0.1), IMAGE),
        new Example(RandomTranslation.of(0.1, 0.2).fillMode("constant").fillValue(1), IMAGE),
        new Example(RandomContrast.of(0.3), IMAGE),
        new Example(RandomBrightness.of(0.2).valueRange(0, 1), IMAGE),
        new Example(RandomErasing.of(0.5).scale(0.1, 0.2), IMAGE),
        new Example(ReLU.of().maxValue(6).negativeSlope(0.1).threshold(0.5), IMAGE),
        new Example(LeakyReLU.of(0.2), IMAGE),
        new Example(ELU.of(0.5), IMAGE),
        new Example(Softmax.of(1), IMAGE),
        new Example(Add.of(), IMAGE, IMAGE),
        new Example(Subtract.of(), IMAGE, IMAGE),
        new Example(Multiply.of(), IMAGE, IMAGE),
        new Example(Average.of(), IMAGE, IMAGE),
        new Example(Maximum.of(), IMAGE, IMAGE),
        new Example(Minimum.of(), IMAGE, IMAGE),
        new Example(Concatenate.of(1), IMAGE, IMAGE),
        new Example(LayerScale.of(0.5, 4), IMAGE),
        new Example(StochasticDepth.of(0.2), IMAGE),
        new Example(CustomScaleLayer.of(0.3), IMAGE, IMAGE),
        new Example(Conv1D.of(3, 3).padding("causal").dilationRate(2).activation("relu")
            .kernelRegularizer(Regularizers.l2(0.01)), SEQUENCE),
        new Example(Conv2DTranspose.of(3, 3).strides(2).padding("same").outputPadding(1, 1)
            .activation("relu"), IMAGE),
        new Example(MaxPooling1D.of(3).strides(2).padding("same"), SEQUENCE),
        new Example(AveragePooling1D.of(2).strides(1), SEQUENCE),
        new Example(GlobalMaxPooling1D.of().keepdims(true), SEQUENCE),
        new Example(GlobalAveragePooling1D.of(), SEQUENCE),
        new Example(UpSampling1D.of(3), SEQUENCE),
        new Example(ZeroPadding1D.of(2, 1), SEQUENCE),
        new Example(Cropping1D.of(1, 2), SEQUENCE),
        new Example(RepeatVector.of(3), new long[] {5}),
        new Example(SpatialDropout1D.of(0.3).seed(2), SEQUENCE),
        new Example(SpatialDropout2D.of(0.3), IMAGE),
        new Example(GaussianNoise.of(0.2).seed(3), SEQUENCE),
        new Example(GaussianDropout.of(0.2), SEQUENCE),
        new Example(Embedding.of(20, 4).maskZero(true)
            .embeddingsRegularizer(Regularizers.l2(0.01)), 20, new long[] {7}),
        new Example(Masking.of(0.5), SEQUENCE),
        new Example(SimpleRNN.of(3).activation("relu").goBackwards(true), SEQUENCE),
        new Example(LSTM.of(3).returnSequences(true).unitForgetBias(false)
            .recurrentActivation("hard_sigmoid").dropout(0.1), SEQUENCE),
        new Example(GRU.of(3).resetAfter(false).recurrentDropout(0.2)
            .recurrentRegularizer(Regularizers.l1(0.01)), SEQUENCE),
        new Example(Bidirectional.of(LSTM.of(2).returnSequences(true)).mergeMode("ave"),
            SEQUENCE),
        new Example(MultiHeadAttention.of(2, 3).valueDim(2).useCausalMask(true), SEQUENCE,
            new long[] {9, 5}))) {
      examples.put(e.layer().getClass(), e);
    }
    return examples;
  }

  /** Every concrete public layer class of the library's jars. */
  private static List<Class<?>> layerClasses() throws IOException, URISyntaxException {
    List<Class<?>> classes = new ArrayList<>();
    for (Class<?> anchor : List.of(Layer.class, KerasModels.class)) {
      Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
      List<String> names = new ArrayList<>();
      if (Files.isDirectory(location)) {
        try (Stream<Path> files = Files.walk(location)) {
          files.map(p -> location.relativize(p).toString()).forEach(names::add);
        }
      } else {
        try (JarFile jar = new JarFile(location.toFile())) {
          jar.stream().map(e -> e.getName()).forEach(names::add);
        }
      }
      for (String name : names) {
        if (!name.endsWith(".class") || name.contains("$")) {
          continue;
        }
        try {
          Class<?> c = Class.forName(name.replace('/', '.').replace(".class", ""));
          if (Layer.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers())
              && Modifier.isPublic(c.getModifiers())) {
            classes.add(c);
          }
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
          throw new AssertionError(name, e);
        }
      }
    }
    return classes;
  }

  @Test
  void everyLayerClass_hasAKerasMappingAndAnExample() throws Exception {
    Map<Class<?>, Example> examples = examples();
    for (Class<?> c : layerClasses()) {
      if (NOT_MAPPED.containsKey(c.getSimpleName())) {
        continue;
      }
      assertThat(LayerMappings.all()).as("a Keras mapping for %s", c.getName())
          .anyMatch(m -> m.layerClass() == c);
      assertThat(examples).as("an example of %s in this test", c.getName()).containsKey(c);
    }
    assertThat(LayerMappings.all()).allSatisfy(m -> assertThat(examples).as(m.kerasClass())
        .containsKey(m.layerClass()));
  }

  @Test
  void everyExample_readsBackToTheSameConfig() {
    for (Example example : examples().values()) {
      Layer<?> named = example.layer().name("layer");
      ObjectNode written = KerasModels.layerConfig(named);
      Layer<?> read = KerasModels.layerFromConfig(written);
      assertThat(read.getClass()).isEqualTo(named.getClass());
      assertThat(KerasModels.layerConfig(read)).as(written.toString()).isEqualTo(written);
    }
  }

  @TempDir
  Path dir;

  /** Each example in a model of its own, written by Jeras, read by Keras 3.8 and the newest. */
  @Test
  void kerasLoadsPredictsAndTrainsEveryLayerJerasWrites() throws Exception {
    Jeras.setRandomSeed(17);
    Random random = new Random(17);
    for (Example example : examples().values()) {
      String name = example.layer().className();
      List<KerasTensor> inputs = new ArrayList<>();
      List<NdArray<?>> xs = new ArrayList<>();
      for (long[] shape : example.inputs()) {
        inputs.add(Input.of(shape).name("x" + inputs.size()).tensor());
        long[] batch = new long[shape.length + 1];
        batch[0] = 2;
        System.arraycopy(shape, 0, batch, 1, shape.length);
        xs.add(example.ids() > 0 ? randomIds(random, example.ids(), batch)
            : randomArray(random, batch));
      }
      try (Model model = Model.of(name, inputs, List.of(example.layer().name("layer")
          .apply(inputs)))) {
        List<FloatNdArray> weights = new ArrayList<>();
        model.weights().forEach((weight, value) -> weights.add(weight.contains("variance")
            ? positive(random, value) : randomArray(random, value.shape().asArray())));
        model.setWeights(weights);
        Map<String, NdArray<?>> x = new LinkedHashMap<>();
        for (int i = 0; i < xs.size(); i++) {
          x.put("x" + i, xs.get(i));
          Fixtures.writeNpy((FloatNdArray) xs.get(i), dir.resolve(name + ".x" + i + ".npy"));
        }
        Fixtures.writeNpy(model.predict(x, 32, 0).values().iterator().next(),
            dir.resolve(name + ".y.npy"));
        model.saveKeras(dir.resolve(name + ".keras"));
      }
    }
    for (boolean latest : List.of(false, true)) {
      String output = latest ? PythonChecks.runLatest("check_keras_files.py", dir.toString())
          : PythonChecks.run("check_keras_files.py", dir.toString());
      int checked = 0;
      for (String line : output.lines().filter(l -> l.startsWith("@@ ")).toList()) {
        JsonNode result = JSON.readTree(line.substring(3));
        String file = result.get("file").asText();
        checked++;
        if (!latest && file.equals("RandomErasing.keras")) {
          // RandomErasing arrived in Keras 3.10
          assertThat(result.path("error").asText()).contains("RandomErasing");
          continue;
        }
        assertThat(result.has("error")).as("%s in Keras %s: %s", file, latest ? "latest"
            : "3.8", result.path("error").asText()).isFalse();
        assertThat(result.get("max_diff").asDouble()).as(file + " predictions").isLessThan(
            1e-5 * Math.max(1, result.get("scale").asDouble()));
        assertThat(result.get("train_loss").isNumber()).as(file + " trains").isTrue();
      }
      assertThat(checked).isEqualTo(examples().size());
    }
  }

  private static FloatNdArray randomArray(Random random, long[] shape) {
    long size = 1;
    for (long d : shape) {
      size *= d;
    }
    float[] values = new float[(int) size];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return Data.floats(values, shape);
  }

  private static FloatNdArray randomIds(Random random, int below, long[] shape) {
    long size = 1;
    for (long d : shape) {
      size *= d;
    }
    float[] values = new float[(int) size];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextInt(below);
    }
    return Data.floats(values, shape);
  }

  private static FloatNdArray positive(Random random, FloatNdArray like) {
    float[] values = new float[(int) like.shape().size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = 0.5f + random.nextFloat();
    }
    return Data.floats(values, like.shape().asArray());
  }

  /** The README's table of what imports: this test's view of the mappings, regenerated. */
  static String table() {
    Map<String, String> rows = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (LayerMapping mapping : LayerMappings.all()) {
      rows.put(mapping.kerasClass(), "| `" + mapping.kerasClass() + "` | `"
          + ((Class<?>) mapping.layerClass()).getName().replace("io.jeras.", "") + "` | yes | yes |");
    }
    StringBuilder table = new StringBuilder();
    table.append("| Keras class | Jeras class | import | export |\n");
    table.append("|---|---|---|---|\n");
    rows.values().forEach(row -> table.append(row).append('\n'));
    table.append("| `Sequential`, `Functional` (Keras 2: `Model`) | `models.Sequential`,"
        + " `models.Functional`, nested as `models.ModelLayer` | yes | yes |\n");
    table.append("| `InputLayer` | `layers.core.Input` | yes | yes |\n");
    table.append("| Keras 3 operations `Add`, `Subtract`, `Multiply`, `TrueDivide` with a"
        + " number, `Cast` between floats; tf.keras `TFOpLambda` arithmetic | as `Rescaling`,"
        + " merge layers, `Identity` | yes | as those layers |\n");
    return table.toString();
  }

  @Test
  void readme_listsWhatImports() throws IOException {
    String readme = Files.readString(README);
    int start = readme.indexOf(TABLE_START);
    int end = readme.indexOf(TABLE_END);
    String expected = TABLE_START + "\n" + table() + TABLE_END;
    if (Boolean.getBoolean("jeras.updateReadme")) {
      Files.writeString(README, readme.substring(0, start) + expected
          + readme.substring(end + TABLE_END.length()));
      return;
    }
    assertThat(start).as("README has the markers " + TABLE_START).isNotNegative();
    assertThat(readme.substring(start, end + TABLE_END.length()))
        .as("the README's table of what imports (regenerate it with"
            + " mvn -pl savedmodels test -Dtest=KerasLayerCoverageTest -Djeras.updateReadme=true)")
        .isEqualTo(expected);
  }
}
