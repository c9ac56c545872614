package io.jeras.trainers;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.Jeras;
import io.jeras.callbacks.Callback;
import io.jeras.callbacks.CallbackList;
import io.jeras.callbacks.FitRun;
import io.jeras.callbacks.History;
import io.jeras.callbacks.ProgbarLogger;
import io.jeras.callbacks.TrainingParams;
import io.jeras.data.ArrayData;
import io.jeras.data.Dataset;
import io.jeras.models.Model;
import io.jeras.models.ModelInput;
import io.jeras.utils.Shapes;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The training, evaluation and prediction loops over a {@link ModelGraph} (Keras' {@code
 * Trainer.fit/evaluate/predict}): batching, shuffling, running means, callbacks and progress.
 */
public final class Trainer {
  private Trainer() {}

  /** A model's data, checked: inputs in model order, labels in output order. */
  private record Arrays(List<ArrayData> x, List<ArrayData> y) {
    int size() {
      return x.get(0).size();
    }

    Arrays slice(int from, int to) {
      return new Arrays(x.stream().map(a -> a.slice(from, to)).toList(),
          y.stream().map(a -> a.slice(from, to)).toList());
    }
  }

  private static Arrays data(Model model, ModelGraph graph, Map<String, ? extends NdArray<?>> x,
      Map<String, ? extends NdArray<?>> y) {
    List<ArrayData> xs = DataAdapter.inputs(x, inputNames(model), graph.inputShapes());
    List<String> losses = new ArrayList<>();
    for (int i = 0; i < graph.outputNames().size(); i++) {
      losses.add(model.lossName(i));
    }
    List<ArrayData> ys = DataAdapter.labels(y, graph.outputNames(), graph.labelShapes(),
        graph.outputShapes(), xs.get(0).size(), losses);
    return new Arrays(xs, ys);
  }

  /**
   * {@code data} with Keras' sample weights (given, or from class weights) after the labels,
   * where the graph's steps take them.
   */
  private static Arrays weighted(Arrays data, NdArray<?> sampleWeight,
      Map<Integer, Double> classWeight) {
    ArrayData weights;
    if (sampleWeight != null) {
      weights = DataAdapter.sampleWeights(sampleWeight, data.size());
    } else if (classWeight != null) {
      checkArgument(data.y().size() == 1,
          "`class_weight` is only supported for Models with a single output.");
      weights = DataAdapter.classWeights(data.y().get(0), classWeight);
    } else {
      return data;
    }
    List<ArrayData> labelsAndWeights = new ArrayList<>(data.y());
    labelsAndWeights.add(weights);
    return new Arrays(data.x(), labelsAndWeights);
  }

  private static List<String> inputNames(Model model) {
    return model.inputs().stream().map(ModelInput::name).toList();
  }

  /** Keras' {@code fit}: trains {@code model}'s graph on {@code x, y}. */
  public static History fit(Model model, ModelGraph graph, Map<String, ? extends NdArray<?>> x,
      Map<String, ? extends NdArray<?>> y, Fit fit) {
    checkArgument(fit.stepsPerEpoch() == null, "steps_per_epoch is for datasets; with arrays"
        + " every epoch covers all samples in batches of batch_size");
    Arrays train = weighted(data(model, graph, x, y), fit.sampleWeight(), fit.classWeight());
    graph.resetBatchLogs();
    Arrays validation = null;
    if (fit.validationSplit() > 0) {
      int splitAt = (int) Math.floor(train.size() * (1.0 - fit.validationSplit()));
      if (splitAt == 0 || splitAt == train.size()) {
        throw new IllegalArgumentException("Training data contains " + train.size()
            + " samples, which is not sufficient to split it into a validation and training set"
            + " as specified by validation_split=" + fit.validationSplit());
      }
      validation = train.slice(splitAt, train.size());
      train = train.slice(0, splitAt);
    } else if (fit.validationX() != null) {
      validation = data(model, graph, fit.validationX(), fit.validationY());
    }
    long shuffleSeed = fit.seed() != null ? fit.seed() : Jeras.nextSeed();
    BatchSource trainSource = new BatchSource.Arrays(train.x(), train.y(), fit.batchSize(),
        fit.shuffle(), shuffleSeed);
    BatchSource validationSource = validation == null ? null : new BatchSource.Arrays(
        validation.x(), validation.y(), fit.effectiveValidationBatchSize(), false, 0);
    return run(model, graph, fit, trainSource, validationSource);
  }

  /**
   * Keras' {@code fit} on a dataset (its {@code fit_generator}): {@code Fit.stepsPerEpoch}
   * batches per epoch from one continuing pass, or a whole pass per epoch; validation on
   * {@code Fit.validationData(Dataset)} for {@code Fit.validationSteps} batches or a whole pass.
   */
  public static History fit(Model model, ModelGraph graph, Dataset train, Fit fit) {
    checkArgument(fit.validationSplit() == 0, "validation_split is only supported for arrays,"
        + " not for datasets; pass validationData(dataset) instead");
    checkArgument(fit.sampleWeight() == null, "`sample_weight` argument is not supported when"
        + " using a dataset: its batches carry their weights (DataBatch.sampleWeight,"
        + " Datasets.fromArrays(x, y, sampleWeight, batchSize))");
    checkArgument(fit.classWeight() == null || graph.outputNames().size() == 1,
        "`class_weight` is only supported for Models with a single output.");
    BatchSource.Spec spec = spec(model, graph);
    BatchSource trainSource = new BatchSource.Passes(train, spec, fit.stepsPerEpoch(), true,
        true, "steps_per_epoch").classWeight(fit.classWeight());
    BatchSource validationSource = null;
    try {
      if (fit.validationDataset() != null) {
        validationSource = new BatchSource.Passes(fit.validationDataset(), spec,
            fit.validationSteps(), true, false, "validation_steps");
      } else if (fit.validationX() != null) {
        Arrays validation = data(model, graph, fit.validationX(), fit.validationY());
        validationSource = new BatchSource.Arrays(validation.x(), validation.y(),
            fit.effectiveValidationBatchSize(), false, 0);
      }
    } catch (RuntimeException e) {
      trainSource.close();
      throw e;
    }
    return run(model, graph, fit, trainSource, validationSource);
  }

  private static BatchSource.Spec spec(Model model, ModelGraph graph) {
    List<String> losses = new ArrayList<>();
    for (int i = 0; i < graph.outputNames().size(); i++) {
      losses.add(model.lossName(i));
    }
    return new BatchSource.Spec(inputNames(model), graph.inputShapes(), graph.outputNames(),
        graph.labelShapes(), graph.outputShapes(), losses);
  }

  /** The epoch loop, whatever feeds it. */
  private static History run(Model model, ModelGraph graph, Fit fit, BatchSource train,
      BatchSource validation) {
    return run(model, graph, fit, train, validation, () -> { });
  }

  /**
   * A training step of one's own ({@link TrainStep}) on arrays: the epoch loop on {@code graph}
   * (built by {@link ModelGraph#buildCustom}), with {@code model} as the callbacks' model and
   * {@code beforeEpochEnd} run before the callbacks see each epoch's end (it copies the
   * trained weights into the step's models).
   */
  static History fitCustom(Model model, ModelGraph graph, List<ArrayData> x, List<ArrayData> y,
      Fit fit, Runnable beforeEpochEnd) {
    checkArgument(fit.validationSplit() == 0 && fit.validationX() == null
            && fit.validationDataset() == null,
        "a training step of one's own has no test step: validation is not supported");
    checkArgument(fit.sampleWeight() == null && fit.classWeight() == null,
        "sample and class weights are for compiled losses; a training step of one's own"
            + " weighs its losses itself");
    checkArgument(fit.stepsPerEpoch() == null, "steps_per_epoch is for datasets; with arrays"
        + " every epoch covers all samples in batches of batch_size");
    long shuffleSeed = fit.seed() != null ? fit.seed() : Jeras.nextSeed();
    return run(model, graph, fit, new BatchSource.Arrays(x, y, fit.batchSize(), fit.shuffle(),
        shuffleSeed), null, beforeEpochEnd);
  }

  private static History run(Model model, ModelGraph graph, Fit fit, BatchSource train,
      BatchSource validation, Runnable beforeEpochEnd) {
    History history = new History();
    List<Callback> all = new ArrayList<>();
    if (fit.verbose() > 0) {
      all.add(new ProgbarLogger(fit.out()));
    }
    all.addAll(fit.callbacks());
    all.add(history);
    CallbackList callbacks = new CallbackList(all);

    try (train; BatchSource closeValidation = validation) {
      callbacks.setModel(model);
      callbacks.setParams(new TrainingParams(fit.epochs(), train.steps(), fit.verbose()));
      FitRun run = new FitRun();
      callbacks.setRun(run);
      callbacks.onTrainBegin(Map.of());
      Integer resumed = run.resumeEpoch();
      int initialEpoch = resumed != null ? Math.max(resumed, fit.initialEpoch())
          : fit.initialEpoch();
      Map<String, Double> epochLogs = Map.of();
      for (int epoch = initialEpoch; epoch < fit.epochs(); epoch++) {
        callbacks.onEpochBegin(epoch, Map.of());
        train.startEpoch(epoch);
        RunningMeans means = graph.newLogs();
        boolean ranOut = false;
        for (int step = 0; step < train.steps(); step++) {
          callbacks.onTrainBatchBegin(step, Map.of());
          try (EpochIterator.Batch batch = train.next()) {
            if (batch == null) {
              ranOut = true;
              break;
            }
            means.add(graph.trainStep(batch.x(), batch.y()), batch.size());
          }
          callbacks.onTrainBatchEnd(step, means.logs(""));
          if (run.stopRequested()) {
            break;
          }
        }
        if (ranOut) {
          fit.out().println("UserWarning: Your input ran out of data; interrupting training."
              + " Make sure that your dataset or generator can generate at least"
              + " `steps_per_epoch * epochs` batches. You may need to use the `.repeat()`"
              + " function when building your dataset.");
          run.stopTraining();
          if (means.count() == 0) {
            break;
          }
        }
        epochLogs = new LinkedHashMap<>(means.logs(""));
        if (validation != null && (epoch + 1) % fit.validationFreq() == 0) {
          epochLogs.putAll(evaluate(graph, validation, callbacks, "val_"));
        }
        beforeEpochEnd.run();
        callbacks.onEpochEnd(epoch, epochLogs);
        if (run.stopRequested()) {
          break;
        }
      }
      if (fit.epochs() > 0) {
        graph.finalizeWeights(); // Keras' finalize_variable_values (use_ema: the averages)
      }
      callbacks.onTrainEnd(epochLogs);
    } finally {
      closeResources(all);
    }
    return history;
  }

  /** Closes callbacks that hold resources (event files), however training ended. */
  private static void closeResources(List<Callback> callbacks) {
    RuntimeException failure = null;
    for (Callback callback : callbacks) {
      if (callback instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          if (failure == null) {
            failure = new IllegalStateException("could not close " + callback, e);
          }
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Keras' {@code evaluate}: the loss and metrics over all of {@code x, y}. */
  public static Map<String, Double> evaluate(Model model, ModelGraph graph,
      Map<String, ? extends NdArray<?>> x, Map<String, ? extends NdArray<?>> y, int batchSize,
      int verbose, PrintStream out) {
    return evaluate(model, graph, x, y, Evaluate.defaults().batchSize(batchSize)
        .verbose(verbose).out(out));
  }

  /** Keras' {@code evaluate} with its options (batch size, verbosity, sample weights). */
  public static Map<String, Double> evaluate(Model model, ModelGraph graph,
      Map<String, ? extends NdArray<?>> x, Map<String, ? extends NdArray<?>> y,
      Evaluate options) {
    int batchSize = options.batchSize();
    int verbose = options.verbose();
    PrintStream out = options.out();
    Arrays data = weighted(data(model, graph, x, y), options.sampleWeight(), null);
    graph.resetBatchLogs();
    try (BatchSource source = new BatchSource.Arrays(data.x(), data.y(), batchSize, false, 0)) {
      return evaluate(graph, source, progress(model, source.steps(), verbose, out), "");
    }
  }

  /** Keras' {@code evaluate} on a dataset: a whole pass, or {@code steps} batches of one. */
  public static Map<String, Double> evaluate(Model model, ModelGraph graph, Dataset data,
      Integer steps, int verbose, PrintStream out) {
    try (BatchSource source = new BatchSource.Passes(data, spec(model, graph), steps, true,
        false, "steps")) {
      return evaluate(graph, source, progress(model, source.steps(), verbose, out), "");
    }
  }

  private static CallbackList progress(Model model, int steps, int verbose, PrintStream out) {
    List<Callback> all = new ArrayList<>();
    if (verbose > 0) {
      all.add(new ProgbarLogger(out));
    }
    CallbackList callbacks = new CallbackList(all);
    callbacks.setModel(model);
    callbacks.setParams(new TrainingParams(1, steps, verbose));
    return callbacks;
  }

  private static Map<String, Double> evaluate(ModelGraph graph, BatchSource batches,
      CallbackList callbacks, String prefix) {
    RunningMeans means = graph.newLogs();
    callbacks.onTestBegin(Map.of());
    batches.startEpoch(0);
    for (int step = 0; step < batches.steps(); step++) {
      callbacks.onTestBatchBegin(step, Map.of());
      try (EpochIterator.Batch batch = batches.next()) {
        if (batch == null) {
          break;
        }
        means.add(graph.testStep(batch.x(), batch.y()), batch.size());
      }
      callbacks.onTestBatchEnd(step, means.logs(""));
    }
    callbacks.onTestEnd(means.logs(""));
    return means.logs(prefix);
  }

  /**
   * Keras' {@code train_on_batch}: one training step on all of {@code x, y} as one batch;
   * returns the loss and metrics over every batch given to {@code trainOnBatch} or {@code
   * testOnBatch} since the last {@code resetMetrics} (or {@code fit}, {@code evaluate}), as
   * Keras 3's metric objects keep them.
   */
  public static Map<String, Double> trainOnBatch(Model model, ModelGraph graph,
      Map<String, ? extends NdArray<?>> x, Map<String, ? extends NdArray<?>> y,
      NdArray<?> sampleWeight, Map<Integer, Double> classWeight) {
    checkArgument(sampleWeight == null || classWeight == null,
        "You cannot `class_weight` and `sample_weight` at the same time.");
    Arrays data = weighted(data(model, graph, x, y), sampleWeight, classWeight);
    try (EpochIterator.Batch batch = wholeBatch(data)) {
      RunningMeans logs = graph.batchLogs();
      logs.add(graph.trainStep(batch.x(), batch.y()), batch.size());
      return logs.logs("");
    }
  }

  /** Keras' {@code test_on_batch}: as {@link #trainOnBatch}, without training. */
  public static Map<String, Double> testOnBatch(Model model, ModelGraph graph,
      Map<String, ? extends NdArray<?>> x, Map<String, ? extends NdArray<?>> y,
      NdArray<?> sampleWeight) {
    Arrays data = weighted(data(model, graph, x, y), sampleWeight, null);
    try (EpochIterator.Batch batch = wholeBatch(data)) {
      RunningMeans logs = graph.batchLogs();
      logs.add(graph.testStep(batch.x(), batch.y()), batch.size());
      return logs.logs("");
    }
  }

  /** All samples of {@code data} as one batch of tensors. */
  private static EpochIterator.Batch wholeBatch(Arrays data) {
    List<TFloat32> xs = new ArrayList<>();
    List<TFloat32> ys = new ArrayList<>();
    try {
      data.x().forEach(a -> xs.add(a.batch(null, 0, a.size())));
      data.y().forEach(a -> ys.add(a.batch(null, 0, a.size())));
      return new EpochIterator.Batch(xs, ys, data.size());
    } catch (RuntimeException e) {
      xs.forEach(TFloat32::close);
      ys.forEach(TFloat32::close);
      throw e;
    }
  }

  /** Keras' {@code predict}: every output for every sample, in inference mode, by output name. */
  public static Map<String, FloatNdArray> predict(Model model, ModelGraph graph,
      Map<String, ? extends NdArray<?>> x, int batchSize, int verbose, PrintStream out) {
    List<ArrayData> xs = DataAdapter.inputs(x, inputNames(model), graph.inputShapes());
    try (BatchSource source = new BatchSource.Arrays(xs, List.of(), batchSize, false, 0)) {
      return predict(model, graph, source, verbose, out);
    }
  }

  /** Keras' {@code predict} on a dataset (labels, if any, are ignored). */
  public static Map<String, FloatNdArray> predict(Model model, ModelGraph graph, Dataset data,
      Integer steps, int verbose, PrintStream out) {
    try (BatchSource source = new BatchSource.Passes(data, spec(model, graph), steps, false,
        false, "steps")) {
      return predict(model, graph, source, verbose, out);
    }
  }

  private static Map<String, FloatNdArray> predict(Model model, ModelGraph graph,
      BatchSource batches, int verbose, PrintStream out) {
    List<Shape> outputShapes = graph.outputShapes();
    List<List<float[]>> results = new ArrayList<>();
    outputShapes.forEach(shape -> results.add(new ArrayList<>()));
    int samples = 0;
    CallbackList callbacks = progress(model, batches.steps(), verbose, out);
    callbacks.onPredictBegin(Map.of());
    batches.startEpoch(0);
    for (int step = 0; step < batches.steps(); step++) {
      callbacks.onPredictBatchBegin(step, Map.of());
      try (EpochIterator.Batch batch = batches.next()) {
        if (batch == null) {
          break;
        }
        List<float[]> outputs = graph.predictStep(batch.x(), false);
        for (int i = 0; i < outputs.size(); i++) {
          results.get(i).add(outputs.get(i));
        }
        samples += batch.size();
      }
      callbacks.onPredictBatchEnd(step, Map.of());
    }
    callbacks.onPredictEnd(Map.of());
    Map<String, FloatNdArray> named = new LinkedHashMap<>();
    for (int i = 0; i < outputShapes.size(); i++) {
      float[] all = new float[Math.multiplyExact(samples,
          Math.toIntExact(Shapes.sampleSize(outputShapes.get(i))))];
      int offset = 0;
      for (float[] part : results.get(i)) {
        System.arraycopy(part, 0, all, offset, part.length);
        offset += part.length;
      }
      named.put(graph.outputNames().get(i), wrap(all, samples, outputShapes.get(i)));
    }
    return named;
  }

  /** The outputs for {@code x} as one batch, in training or inference mode. */
  public static List<FloatNdArray> call(Model model, ModelGraph graph,
      Map<String, ? extends NdArray<?>> x, boolean training) {
    List<ArrayData> xs = DataAdapter.inputs(x, inputNames(model), graph.inputShapes());
    int samples = xs.get(0).size();
    List<org.tensorflow.types.TFloat32> tensors = new ArrayList<>();
    List<float[]> values;
    try {
      for (ArrayData data : xs) {
        tensors.add(data.batch(null, 0, samples));
      }
      values = graph.predictStep(tensors, training);
    } finally {
      tensors.forEach(org.tensorflow.types.TFloat32::close);
    }
    List<FloatNdArray> outputs = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      outputs.add(wrap(values.get(i), samples, graph.outputShapes().get(i)));
    }
    return outputs;
  }

  private static FloatNdArray wrap(float[] values, int samples, Shape outputShape) {
    Shape shape = Shape.of(samples).append(Shapes.sampleShape(outputShape));
    return NdArrays.wrap(shape, DataBuffers.of(values, false, false));
  }

}
