package io.jeras.models;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import io.jeras.Jeras;
import io.jeras.bridge.HostValue;
import io.jeras.callbacks.History;
import io.jeras.data.Data;
import io.jeras.data.Dataset;
import io.jeras.layers.KerasTensor;
import io.jeras.layers.Layer;
import io.jeras.layers.WeightSpec;
import io.jeras.losses.Loss;
import io.jeras.metrics.Metric;
import io.jeras.optimizers.LossScaleOptimizer;
import io.jeras.optimizers.Optimizer;
import io.jeras.saving.Checkpoints;
import io.jeras.saving.ModelState;
import io.jeras.saving.ModelStore;
import io.jeras.trainers.CompileConfig;
import io.jeras.trainers.Evaluate;
import io.jeras.trainers.Fit;
import io.jeras.trainers.ModelGraph;
import io.jeras.trainers.Predict;
import io.jeras.trainers.Trainer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat16;

/**
 * What Keras models share: {@code compile}, {@code fit}, {@code evaluate}, {@code predict},
 * {@code summary} and weights. The model's TensorFlow graph is built at {@code compile} (or at
 * the first {@code predict} or weight access), once; building it again (another
 * {@code compile}, a layer added) carries the weights over by name.
 *
 * <p>A model holds native TensorFlow resources: close it (try-with-resources) when done.
 */
public abstract class Model implements AutoCloseable {
  private final String name;
  private ModelGraph graph;
  private CompileConfig compileConfig;
  private boolean stale;
  private boolean closed;
  private Long seed;
  private ModelLayer asLayer;
  /** Weights set before the graph exists, its initial values when it is built. */
  private Map<String, HostValue> pendingWeights = Map.of();

  protected Model(String name) {
    this.name = name;
  }

  /** Keras' {@code keras.Model(inputs, outputs)}: a functional model named "functional". */
  public static Functional of(KerasTensor input, KerasTensor output) {
    return of("functional", List.of(input), List.of(output));
  }

  /** A functional model with several inputs or outputs. */
  public static Functional of(List<KerasTensor> inputs, List<KerasTensor> outputs) {
    return of("functional", inputs, outputs);
  }

  /** A functional model with a name of its own. */
  public static Functional of(String name, List<KerasTensor> inputs, List<KerasTensor> outputs) {
    return new Functional(name, inputs, outputs);
  }

  /** The layer applications in graph order, each named and with its shapes. */
  public abstract List<Node> nodes();

  /** The layers, each once (a shared layer too), named, in graph order. */
  public abstract List<Layer<?>> layers();

  /** Puts {@code replacement} in place of the layer named like it, in every node using it. */
  protected abstract void replaceLayer(Layer<?> replacement);

  /**
   * Keras' automatic name for {@code layer}: its prefix ({@code conv2d}), then {@code
   * conv2d_1}, ..., counted per model, skipping names already taken.
   */
  protected static String autoName(Layer<?> layer, Set<String> names,
      Map<String, Integer> counters) {
    String prefix = layer.autoNamePrefix();
    while (true) {
      int n = counters.merge(prefix, 1, Integer::sum) - 1;
      String candidate = n == 0 ? prefix : prefix + "_" + n;
      if (!names.contains(candidate)) {
        return candidate;
      }
    }
  }

  /** Keras' {@code get_layer(name)}; an unknown name fails listing the model's layers. */
  public Layer<?> layer(String name) {
    for (Layer<?> layer : layers()) {
      if (layer.name().equals(name)) {
        return layer;
      }
    }
    throw new IllegalArgumentException("No such layer: " + name + ". Existing layers are: "
        + layers().stream().map(Layer::name).toList());
  }

  /**
   * Keras' {@code layer.trainable = ...}: freezes or unfreezes a layer's weights (a nested
   * model's too). Takes effect at the next {@code compile} (the weights are kept); frozen
   * weights get no gradient, no optimizer slot and no regularization penalty, count as
   * non-trainable in the summary, and a frozen BatchNormalization runs in inference mode.
   */
  public Model setTrainable(String name, boolean trainable) {
    Layer<?> layer = layer(name);
    if (layer instanceof ModelLayer nested) {
      // Keras' setter is recursive: every layer inside the nested model follows
      nested.model().setTrainable(trainable);
    }
    replaceLayer(layer.trainable(trainable));
    invalidate();
    return this;
  }

  /**
   * The model nested in this one as layer {@code name} (Keras' {@code model.get_layer(name)} on
   * a nested model): freeze or unfreeze its layers with its own {@code setTrainable}; the change
   * takes effect at this model's next {@code compile}, as in Keras. This model holds the nested
   * model's weights (read them from this model).
   */
  public Model nestedModel(String name) {
    Layer<?> layer = layer(name);
    if (!(layer instanceof ModelLayer nested)) {
      throw new IllegalArgumentException("Layer " + name + " of model " + this.name + " is a "
          + layer.className() + ", not a nested model");
    }
    invalidate();
    return nested.model();
  }

  /** Freezes or unfreezes every layer (Keras' {@code model.trainable = ...}). */
  public Model setTrainable(boolean trainable) {
    for (Layer<?> layer : layers()) {
      setTrainable(layer.name(), trainable);
    }
    return this;
  }

  /**
   * This model as a layer of another model (Keras calls a model on a tensor, or puts it in a
   * Sequential). The same object is returned each time, so applying the model twice shares its
   * weights.
   */
  public ModelLayer asLayer() {
    if (asLayer == null) {
      asLayer = new ModelLayer(null, this);
    }
    return asLayer;
  }

  /** Keras' {@code model(x)} in the functional API: this model applied as a layer. */
  public KerasTensor apply(KerasTensor... inputs) {
    return asLayer().apply(inputs);
  }

  /** Whether this model's weights exist in a graph (built, trained, loaded or set). */
  public boolean hasWeights() {
    checkState(!closed, "model %s has been closed; its weights are gone", name);
    return graph != null || !pendingWeights.isEmpty();
  }

  /** The model's inputs: names (placeholder names, SavedModel input keys) and shapes. */
  public abstract List<ModelInput> inputs();

  /** The nodes whose outputs are the model's outputs, in order. */
  public abstract List<Integer> outputs();

  /** The input's shape, batch first ({@code (None, 28, 28, 1)}), for a single-input model. */
  public Shape inputShape() {
    return singleInput().shape();
  }

  /** The input's name, for a single-input model. */
  public String inputName() {
    return singleInput().name();
  }

  private ModelInput singleInput() {
    List<ModelInput> inputs = inputs();
    checkState(inputs.size() == 1, "model %s has %s inputs %s; name them", name, inputs.size(),
        inputs.stream().map(ModelInput::name).toList());
    return inputs.get(0);
  }

  /** The output layers' names (the keys of multi-output losses, metrics and predictions). */
  public List<String> outputNames() {
    List<Node> nodes = nodes();
    return outputs().stream().map(i -> nodes.get(i).name()).toList();
  }

  /** The model's name ({@code sequential}). */
  public String name() {
    return name;
  }

  /** The output's shape, batch first, for a single-output model. */
  public Shape outputShape() {
    List<Shape> shapes = outputShapes();
    checkState(shapes.size() == 1, "model %s has %s outputs %s", name, shapes.size(),
        outputNames());
    return shapes.get(0);
  }

  /** Every output's shape, batch first. */
  public List<Shape> outputShapes() {
    List<Node> nodes = nodes();
    checkState(!nodes.isEmpty(), "model %s has no layers", name);
    return outputs().stream().map(i -> nodes.get(i).outputShape()).toList();
  }

  /** Keras' {@code compile}: sets the optimizer, loss and metrics and builds the graph. */
  public void compile(Optimizer optimizer, Loss loss, Metric... metrics) {
    checkArgument(loss != null, "compile needs a loss");
    Map<String, Loss> losses = new LinkedHashMap<>();
    Map<String, List<Metric>> perOutput = new LinkedHashMap<>();
    for (String output : outputNames()) {
      losses.put(output, loss);
      perOutput.put(output, List.of(metrics));
    }
    compile(optimizer, losses, Map.of(), perOutput);
  }

  /**
   * Keras' {@code compile} for several outputs: a loss per output name, optional loss weights
   * (default 1; the total loss is the weighted sum) and metrics per output. Logs then hold
   * {@code loss}, {@code <output>_loss} and {@code <output>_<metric>}.
   */
  public void compile(Optimizer optimizer, Map<String, Loss> losses,
      Map<String, Double> lossWeights, Map<String, List<Metric>> metrics) {
    checkArgument(optimizer != null, "compile needs an optimizer");
    List<String> outputs = outputNames();
    for (String key : losses.keySet()) {
      checkArgument(outputs.contains(key), "compile got a loss for \"%s\", but the outputs"
          + " are %s", key, outputs);
    }
    for (String key : lossWeights.keySet()) {
      checkArgument(outputs.contains(key), "compile got a loss weight for \"%s\", but the"
          + " outputs are %s", key, outputs);
    }
    for (String key : metrics.keySet()) {
      checkArgument(outputs.contains(key), "compile got metrics for \"%s\", but the outputs"
          + " are %s", key, outputs);
    }
    List<Shape> shapes = outputShapes();
    List<CompileConfig.OutputSpec> specs = new ArrayList<>();
    for (int i = 0; i < outputs.size(); i++) {
      String output = outputs.get(i);
      Loss loss = losses.get(output);
      checkArgument(loss != null, "compile needs a loss for output %s", output);
      List<Metric> resolved = new ArrayList<>();
      for (Metric given : metrics.getOrDefault(output, List.of())) {
        checkArgument(given != null, "metrics must not be null");
        checkArgument(!given.name().equals("loss"), "a metric cannot be called \"loss\"");
        Metric metric = given;
        if (given.isWeighted() && resolved.stream().anyMatch(m -> !m.isWeighted()
            && m.name().equals(given.name()))) {
          metric = given.named("weighted_" + given.name()); // as Keras names it
        }
        String name = metric.name();
        checkArgument(resolved.stream().noneMatch(m -> m.name().equals(name)),
            "metric %s is given twice", name);
        Metric concrete = metric.resolve(shapes.get(i), loss.labels());
        resolved.add(metric.isWeighted() && !concrete.isWeighted() ? concrete.weighted()
            : concrete);
      }
      specs.add(new CompileConfig.OutputSpec(output, loss, lossWeights.getOrDefault(output, 1.0),
          resolved));
    }
    // Keras wraps the optimizer for float16 computation
    Optimizer effective = computesInFloat16(this) && !(optimizer instanceof LossScaleOptimizer)
        ? LossScaleOptimizer.of(optimizer) : optimizer;
    rebuild(new CompileConfig(effective, specs), true);
  }

  /** Whether any layer, nested ones too, computes in float16 ({@code mixed_float16}). */
  private static boolean computesInFloat16(Model model) {
    for (Layer<?> layer : model.layers()) {
      if (layer instanceof ModelLayer nested ? computesInFloat16(nested.model())
          : layer.computeType() == TFloat16.class) {
        return true;
      }
    }
    return false;
  }

  /** Keras' {@code compile} with names: {@code compile("adam", "mse", "mae")}. */
  public void compile(String optimizer, String loss, String... metrics) {
    compile(Optimizer.of(optimizer), loss, metrics);
  }

  /**
   * Keras' {@code compile(optimizer=Adam(1e-5), loss="...", metrics=[...])}: a configured
   * optimizer with the loss and metrics by name.
   */
  public void compile(Optimizer optimizer, String loss, String... metrics) {
    Metric[] resolved = new Metric[metrics.length];
    for (int i = 0; i < metrics.length; i++) {
      resolved[i] = Metric.of(metrics[i]);
    }
    compile(optimizer, Loss.of(loss), resolved);
  }

  /** Keras' {@code fit} with its defaults (1 epoch, batch 32). */
  public History fit(NdArray<?> x, NdArray<?> y) {
    return fit(x, y, Fit.defaults());
  }

  /** Keras' {@code fit}: trains on {@code x, y}; returns the per-epoch history. */
  public History fit(NdArray<?> x, NdArray<?> y, Fit fit) {
    return fit(single(inputs().size(), "input", x), single(outputs().size(), "output", y), fit);
  }

  /** Keras' {@code fit} for several inputs or outputs, keyed by input and output names. */
  public History fit(Map<String, ? extends NdArray<?>> x, Map<String, ? extends NdArray<?>> y,
      Fit fit) {
    return Trainer.fit(this, compiledGraph("fit"), x, y, fit);
  }

  /**
   * Keras' {@code fit} on a dataset (its {@code fit_generator}): image folders, augmenting
   * generators, anything that yields batches. {@code Fit.stepsPerEpoch}, {@code
   * Fit.validationData(Dataset)} and {@code Fit.validationSteps} work as in Keras; the batch
   * size is the dataset's.
   */
  public History fit(Dataset data, Fit fit) {
    return Trainer.fit(this, compiledGraph("fit"), data, fit);
  }

  /** Keras' {@code evaluate} on a whole pass of a dataset, with a progress bar. */
  public Map<String, Double> evaluate(Dataset data) {
    return evaluate(data, null, 1);
  }

  /** Keras' {@code evaluate} on {@code steps} batches of a dataset (null: a whole pass). */
  public Map<String, Double> evaluate(Dataset data, Integer steps, int verbose) {
    return Trainer.evaluate(this, compiledGraph("evaluate"), data, steps, verbose, System.out);
  }

  /** Keras' {@code predict} on a whole pass of a dataset, silently; labels are ignored. */
  public FloatNdArray predict(Dataset data) {
    checkState(outputs().size() == 1, "model %s has %s outputs %s: use predict(Dataset, ...)",
        name, outputs().size(), outputNames());
    return predict(data, null, 0).values().iterator().next();
  }

  /** Keras' {@code predict} on {@code steps} batches of a dataset, by output name. */
  public Map<String, FloatNdArray> predict(Dataset data, Integer steps, int verbose) {
    return Trainer.predict(this, graph(), data, steps, verbose, System.out);
  }

  /** The single array keyed by position 0, for models of one input or output. */
  private static Map<String, NdArray<?>> single(int count, String what, NdArray<?> array) {
    checkArgument(count == 1, "the model has %s %ss: pass a map keyed by %s name", count, what,
        what);
    Map<String, NdArray<?>> map = new LinkedHashMap<>();
    map.put("", array);
    return map;
  }

  /** Keras' {@code evaluate} (batch 32, progress bar): loss, then each metric. */
  public Map<String, Double> evaluate(NdArray<?> x, NdArray<?> y) {
    return evaluate(x, y, Fit.DEFAULT_BATCH_SIZE, 1);
  }

  /** Keras' {@code evaluate} with a batch size and verbosity (0 silent, 1 progress bar). */
  public Map<String, Double> evaluate(NdArray<?> x, NdArray<?> y, int batchSize, int verbose) {
    return evaluate(single(inputs().size(), "input", x), single(outputs().size(), "output", y),
        batchSize, verbose);
  }

  /** Keras' {@code evaluate} with options: batch size, verbosity, sample weights. */
  public Map<String, Double> evaluate(NdArray<?> x, NdArray<?> y, Evaluate options) {
    return evaluate(single(inputs().size(), "input", x), single(outputs().size(), "output", y),
        options);
  }

  /** Keras' {@code evaluate} with options, for several inputs or outputs keyed by name. */
  public Map<String, Double> evaluate(Map<String, ? extends NdArray<?>> x,
      Map<String, ? extends NdArray<?>> y, Evaluate options) {
    return Trainer.evaluate(this, compiledGraph("evaluate"), x, y, options);
  }

  /** Keras' {@code evaluate} for several inputs or outputs, keyed by name. */
  public Map<String, Double> evaluate(Map<String, ? extends NdArray<?>> x,
      Map<String, ? extends NdArray<?>> y, int batchSize, int verbose) {
    checkArgument(batchSize >= 1, "batch_size must be >= 1, got %s", batchSize);
    return Trainer.evaluate(this, compiledGraph("evaluate"), x, y, batchSize, verbose,
        System.out);
  }

  /**
   * Keras' {@code predict}, in batches of 32, silently (a serving call should not print; use
   * {@link #predict(NdArray, int, int)} for a progress bar). Dropout is never applied.
   */
  public FloatNdArray predict(NdArray<?> x) {
    return predict(x, Fit.DEFAULT_BATCH_SIZE, 0);
  }

  public FloatNdArray predict(NdArray<?> x, int batchSize, int verbose) {
    return predict(x, Predict.defaults().batchSize(batchSize).verbose(verbose));
  }

  /** Keras' {@code predict} for several inputs or outputs: outputs keyed by output name. */
  public Map<String, FloatNdArray> predict(Map<String, ? extends NdArray<?>> x, int batchSize,
      int verbose) {
    return predict(x, Predict.defaults().batchSize(batchSize).verbose(verbose));
  }

  /** Keras' {@code predict} with options: batch size, verbosity. */
  public FloatNdArray predict(NdArray<?> x, Predict options) {
    checkState(outputs().size() == 1, "model %s has %s outputs %s: use predict(Map, ...)", name,
        outputs().size(), outputNames());
    return predict(single(inputs().size(), "input", x), options).values().iterator().next();
  }

  /** Keras' {@code predict} with options, for several inputs or outputs keyed by name. */
  public Map<String, FloatNdArray> predict(Map<String, ? extends NdArray<?>> x,
      Predict options) {
    return Trainer.predict(this, graph(), x, options.batchSize(), options.verbose(),
        options.out());
  }

  /**
   * Keras' {@code train_on_batch(x, y)}: one training step on {@code x, y} as one batch.
   * Returns the loss and metrics over all batches given to {@code trainOnBatch} and {@code
   * testOnBatch} since the last {@link #resetMetrics} (or {@code fit}, {@code evaluate}), as
   * Keras 3's metrics accumulate.
   */
  public Map<String, Double> trainOnBatch(NdArray<?> x, NdArray<?> y) {
    return Trainer.trainOnBatch(this, compiledGraph("train_on_batch"),
        single(inputs().size(), "input", x), single(outputs().size(), "output", y), null, null);
  }

  /** Keras' {@code train_on_batch(x, y, sample_weight=...)}. */
  public Map<String, Double> trainOnBatch(NdArray<?> x, NdArray<?> y, NdArray<?> sampleWeight) {
    checkArgument(sampleWeight != null, "sample_weight must not be null");
    return Trainer.trainOnBatch(this, compiledGraph("train_on_batch"),
        single(inputs().size(), "input", x), single(outputs().size(), "output", y),
        sampleWeight, null);
  }

  /** Keras' {@code train_on_batch(x, y, class_weight=...)}. */
  public Map<String, Double> trainOnBatch(NdArray<?> x, NdArray<?> y,
      Map<Integer, ? extends Number> classWeight) {
    checkArgument(classWeight != null, "class_weight must not be null");
    Map<Integer, Double> weights = new LinkedHashMap<>();
    classWeight.forEach((k, v) -> weights.put(k, v.doubleValue()));
    return Trainer.trainOnBatch(this, compiledGraph("train_on_batch"),
        single(inputs().size(), "input", x), single(outputs().size(), "output", y), null,
        weights);
  }

  /** Keras' {@code test_on_batch(x, y)}: loss and metrics, accumulated as for trainOnBatch. */
  public Map<String, Double> testOnBatch(NdArray<?> x, NdArray<?> y) {
    return Trainer.testOnBatch(this, compiledGraph("test_on_batch"),
        single(inputs().size(), "input", x), single(outputs().size(), "output", y), null);
  }

  /** Keras' {@code test_on_batch(x, y, sample_weight=...)}. */
  public Map<String, Double> testOnBatch(NdArray<?> x, NdArray<?> y, NdArray<?> sampleWeight) {
    checkArgument(sampleWeight != null, "sample_weight must not be null");
    return Trainer.testOnBatch(this, compiledGraph("test_on_batch"),
        single(inputs().size(), "input", x), single(outputs().size(), "output", y),
        sampleWeight);
  }

  /** Keras' {@code predict_on_batch(x)}: the output for {@code x} as one batch. */
  public FloatNdArray predictOnBatch(NdArray<?> x) {
    long samples = x.shape().numDimensions() == 0 ? 1 : x.shape().get(0);
    return predict(x, (int) Math.max(1, Math.min(Integer.MAX_VALUE, samples)), 0);
  }

  /** Keras' {@code reset_metrics()}: the next trainOnBatch or testOnBatch starts new logs. */
  public void resetMetrics() {
    if (graph != null) {
      graph.resetBatchLogs();
    }
  }

  /**
   * Keras' {@code model(x, training=...)}: the outputs for {@code x} as one batch, in training
   * mode (Dropout active, no weight update) or inference mode.
   */
  public FloatNdArray call(NdArray<?> x, boolean training) {
    ModelGraph g = graph();
    if (training && !g.hasTrainingPass()) {
      rebuild(compileConfig, true);
      g = graph;
    }
    return Trainer.call(this, g, single(inputs().size(), "input", x), training).get(0);
  }

  /** Keras' {@code summary()}: prints the layer table. */
  public void summary() {
    summary(System.out);
  }

  public void summary(PrintStream out) {
    out.print(ModelSummary.of(this));
    out.flush();
  }

  /** The optimizer's variable count for the summary, or null before the first step. */
  ModelGraph.OptimizerSize optimizerSize() {
    return graph == null || compileConfig == null || closed ? null : graph().optimizerSize();
  }

  /** Total number of weights' scalars (a layer applied twice counts once). */
  public long countParams() {
    long total = 0;
    Set<String> seen = new java.util.HashSet<>();
    for (Node node : nodes()) {
      if (seen.add(node.name())) {
        total += node.layer().countParams(node.inputShapes());
      }
    }
    return total;
  }

  /** The weights by name ({@code conv2d/kernel}), in layer order, as copies. */
  public Map<String, FloatNdArray> weights() {
    ModelGraph g = graph();
    Map<String, FloatNdArray> weights = new LinkedHashMap<>();
    g.read(g.weightNames()).forEach((key, value) ->
        weights.put(key, NdArrays.wrap(value.shape(), DataBuffers.of(value.floats(), true, false))));
    return weights;
  }

  /** Keras' {@code get_weights()}: the weights in layer order. */
  public List<FloatNdArray> getWeights() {
    return new ArrayList<>(weights().values());
  }

  /** The names of the weights ({@code conv2d/kernel}), in layer order, without a graph. */
  public List<String> weightNames() {
    checkState(!closed, "model %s has been closed; its weights are gone", name);
    return List.copyOf(ModelGraph.weightSpecs(nodes()).keySet());
  }

  /**
   * Keras' {@code set_weights()}: one array per weight, in layer order, shapes must match. Before
   * the model's graph exists the arrays become its initial values (no random ones are drawn).
   */
  public void setWeights(List<? extends FloatNdArray> weights) {
    checkState(!closed, "model %s has been closed; its weights are gone", name);
    Map<String, WeightSpec> specs = ModelGraph.weightSpecs(nodes());
    List<String> names = new ArrayList<>(specs.keySet());
    checkArgument(weights.size() == names.size(),
        "model %s has %s weights %s, got %s arrays", name, names.size(), names, weights.size());
    Map<String, HostValue> values = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      FloatNdArray w = weights.get(i);
      Shape expected = specs.get(names.get(i)).shape();
      checkArgument(w.shape().equals(expected), "weight %s of model %s has shape %s, got %s",
          names.get(i), name, expected, w.shape());
      values.put(names.get(i), HostValue.of(w.shape(), Data.toFloatArray(w)));
    }
    if (graph == null || stale) {
      pendingWeights = values;
    } else {
      graph.write(values);
    }
  }

  /**
   * Keras' {@code model.export(dir)}: writes the inference graph (Dropout off) and the current
   * weights as a TensorFlow SavedModel with tag {@code serve} and signatures
   * {@code serving_default} and {@code serve} (input keyed by {@link #inputName()}, output
   * {@code output_0}, batch dimension unknown), which Python's {@code tf.saved_model.load}, TF
   * Serving and {@code SavedModels.load} read. Written to a temporary directory and moved into
   * place; an existing directory is replaced.
   */
  public void save(Path dir) {
    ModelStore.get().exportSavedModel(this, dir);
  }

  /**
   * Keras' {@code model.save("model.keras")}: writes the architecture and current weights as a
   * Keras 3 {@code .keras} archive that Python's {@code keras.models.load_model} opens, atomically.
   * Needs the {@code jeras-savedmodels} module on the classpath.
   */
  public void saveKeras(Path path) {
    ModelStore.get().saveKeras(this, path);
  }

  /**
   * Keras' {@code model.load_weights(path)} for Keras files: a Keras 3 {@code .weights.h5}, a
   * Keras 2 {@code save_weights} {@code .h5}, or the weights of a {@code .keras} or whole-model
   * {@code .h5} file, into this model built in Java with the same architecture. Layers are
   * matched as Keras matches them; on a mismatch nothing changes and the error names the first
   * layer that does not fit and both shapes.
   */
  public void loadKerasWeights(Path path) {
    ModelStore.get().loadKerasWeights(this, path);
  }

  /** The seed this model's graph was built with (initial weights and Dropout masks). */
  public long graphSeed() {
    if (seed == null) {
      seed = Jeras.nextSeed();
    }
    return seed;
  }

  /**
   * Keras' {@code save_weights}: writes the weights to {@code path} (a Jeras checkpoint file,
   * written atomically). Needs the {@code jeras-savedmodels} module on the classpath.
   */
  public void saveWeights(Path path) {
    ModelStore.get().write(state(false, 0), path);
  }

  /**
   * Keras' {@code load_weights}: reads weights saved by {@link #saveWeights} or
   * {@link #saveCheckpoint}. The file must hold exactly this model's weights with the same
   * shapes; otherwise nothing is changed and the error names the file and every mismatch.
   */
  public void loadWeights(Path path) {
    ModelState state = ModelStore.get().read(path);
    ModelGraph g = graph();
    g.write(Checkpoints.matching(path, "weight", state.weights(), g.read(g.weightNames())));
  }

  /**
   * Writes a checkpoint to resume training from: weights, optimizer state (slots, learning
   * rate, iteration count) and {@code epochsCompleted}. The model must be compiled.
   */
  public void saveCheckpoint(Path path, int epochsCompleted) {
    checkState(isCompiled(), "saveCheckpoint needs a compiled model (the optimizer's state is"
        + " part of the checkpoint); use saveWeights for weights alone");
    ModelStore.get().write(state(true, epochsCompleted), path);
  }

  /**
   * Restores a checkpoint written by {@link #saveCheckpoint} into this compiled model (same
   * layers, same optimizer) and returns the number of epochs it had completed: pass it to
   * {@code Fit.initialEpoch} to continue. On any mismatch nothing is changed.
   */
  public int loadCheckpoint(Path path) {
    checkState(isCompiled(), "loadCheckpoint needs a model compiled with the optimizer the"
        + " checkpoint was trained with");
    ModelState state = ModelStore.get().read(path);
    if (!state.hasOptimizerState()) {
      throw new IllegalArgumentException("Checkpoint " + path + " holds weights only (written by"
          + " saveWeights); use loadWeights, or a checkpoint from saveCheckpoint/ModelCheckpoint"
          + " to resume training");
    }
    String optimizer = compileConfig.optimizer().name();
    if (!state.optimizer().equals(optimizer)) {
      throw new IllegalArgumentException("Checkpoint " + path + " was trained with optimizer "
          + state.optimizer() + ", but the model is compiled with " + optimizer);
    }
    ModelGraph g = graph();
    Map<String, HostValue> values = new LinkedHashMap<>(
        Checkpoints.matching(path, "weight", state.weights(), g.read(g.weightNames())));
    values.putAll(Checkpoints.matching(path, "optimizer variable", state.optimizerState(),
        g.read(g.optimizerVariableNames())));
    g.write(values);
    return state.epoch();
  }

  private ModelState state(boolean withOptimizer, int epoch) {
    ModelGraph g = graph();
    List<String> layers = new ArrayList<>();
    for (Node node : nodes()) {
      layers.add(node.name() + " (" + node.layer().className() + ")");
    }
    return new ModelState(name, layers,
        withOptimizer ? compileConfig.optimizer().name() : null, epoch,
        g.read(g.weightNames()),
        withOptimizer ? g.read(g.optimizerVariableNames()) : Map.of());
  }

  /**
   * The learning rate of the optimizer's next step (Keras' {@code
   * model.optimizer.learning_rate}): a variable of the graph, or with a schedule its value at the
   * current iteration.
   */
  public double learningRate() {
    return compiledGraph("learningRate").currentLearningRate();
  }

  /**
   * Sets the learning rate for the following steps (Keras'
   * {@code model.optimizer.learning_rate = ...}); nothing in the graph is rebuilt. Fails when
   * the optimizer's rate follows a schedule.
   */
  public void setLearningRate(double learningRate) {
    checkArgument(learningRate >= 0 && Double.isFinite(learningRate),
        "learning rate must be a non-negative number, got %s", learningRate);
    ModelGraph g = compiledGraph("setLearningRate");
    if (g.scheduledLearningRate()) {
      throw new IllegalStateException("This optimizer was created with a `LearningRateSchedule`"
          + " object as its `learning_rate` constructor argument, hence its learning rate is not"
          + " settable. If you need the learning rate to be settable, you should instantiate the"
          + " optimizer with a float `learning_rate` argument.");
    }
    g.write(Map.of(g.learningRateName(),
        HostValue.of(Shape.scalar(), new float[] {(float) learningRate})));
  }

  /** Steps the optimizer has taken (Keras' {@code optimizer.iterations}). */
  public long iterations() {
    ModelGraph g = compiledGraph("iterations");
    String name = g.iterationName();
    return g.read(List.of(name)).get(name).longs()[0];
  }

  /** Whether {@code compile} has been called. */
  public boolean isCompiled() {
    return compileConfig != null;
  }

  /** The optimizer, loss and metrics given to {@code compile}, or null. */
  public CompileConfig compileConfig() {
    return compileConfig;
  }

  /** The loss' name for output {@code index}, for messages. */
  public String lossName(int index) {
    return compileConfig == null ? "no loss" : compileConfig.lossName(index);
  }

  /**
   * The model's graph (built now if needed): compiled, or only the inference pass while the
   * model is not compiled. For tools that run TensorFlow directly.
   */
  public ModelGraph graph() {
    checkState(!closed, "model %s has been closed", name);
    if (graph == null || stale) {
      rebuild(compileConfig, compileConfig != null);
    }
    return graph;
  }

  private ModelGraph compiledGraph(String call) {
    checkState(compileConfig != null,
        "You must call compile() before using the model: %s needs a loss and an optimizer", call);
    return graph();
  }

  /** Marks the graph as out of date (a layer was added); it is rebuilt on next use. */
  protected void invalidate() {
    stale = true;
  }

  private void rebuild(CompileConfig config, boolean withTraining) {
    checkState(!closed, "model %s has been closed", name);
    List<Node> nodes = nodes();
    checkState(!nodes.isEmpty(), "model %s has no layers", name);
    // the weights carry over by name: the old graph's, or those set before any graph existed
    Map<String, HostValue> carried = new LinkedHashMap<>();
    if (graph != null) {
      carried.putAll(graph.read(graph.weightNames()));
    }
    carried.putAll(pendingWeights);
    ModelGraph next = withTraining
        ? ModelGraph.build(nodes, inputs(), outputs(), config, graphSeed(),
            Jeras.sessionOptions(), carried)
        : ModelGraph.buildInference(nodes, inputs(), outputs(), graphSeed(),
            Jeras.sessionOptions(), carried);
    if (graph != null) {
      graph.close();
    }
    graph = next;
    pendingWeights = Map.of();
    compileConfig = config;
    stale = false;
  }

  /** Releases the model's TensorFlow graph and session. */
  @Override
  public void close() {
    closed = true;
    if (graph != null) {
      graph.close();
      graph = null;
    }
  }
}
