package io.jeras.trainers;

import io.jeras.Jeras;
import io.jeras.callbacks.Callback;
import io.jeras.callbacks.CallbackList;
import io.jeras.callbacks.History;
import io.jeras.callbacks.ProgbarLogger;
import io.jeras.callbacks.TrainingParams;
import io.jeras.data.ArrayData;
import io.jeras.models.Model;
import io.jeras.models.ModelInput;
import io.jeras.utils.Shapes;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

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

  private static List<String> inputNames(Model model) {
    return model.inputs().stream().map(ModelInput::name).toList();
  }

  /** Keras' {@code fit}: trains {@code model}'s graph on {@code x, y}. */
  public static History fit(Model model, ModelGraph graph, Map<String, ? extends NdArray<?>> x,
      Map<String, ? extends NdArray<?>> y, Fit fit) {
    Arrays train = data(model, graph, x, y);
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

    History history = new History();
    List<Callback> all = new ArrayList<>();
    if (fit.verbose() > 0) {
      all.add(new ProgbarLogger(fit.out()));
    }
    all.addAll(fit.callbacks());
    all.add(history);
    CallbackList callbacks = new CallbackList(all);
    long shuffleSeed = fit.seed() != null ? fit.seed() : Jeras.nextSeed();
    List<String> keys = graph.logKeys();

    try (EpochIterator batches = new EpochIterator(train.x(), train.y(), fit.batchSize())) {
      callbacks.setModel(model);
      callbacks.setParams(new TrainingParams(fit.epochs(), batches.steps(), fit.verbose()));
      model.stopTraining(false);
      model.takeResumeEpoch();
      callbacks.onTrainBegin(Map.of());
      Integer resumed = model.takeResumeEpoch();
      int initialEpoch = resumed != null ? Math.max(resumed, fit.initialEpoch())
          : fit.initialEpoch();
      Map<String, Double> epochLogs = Map.of();
      for (int epoch = initialEpoch; epoch < fit.epochs(); epoch++) {
        callbacks.onEpochBegin(epoch, Map.of());
        // each epoch's order depends only on the seed and the epoch, so a resumed run
        // shuffles exactly as an uninterrupted one
        batches.startEpoch(fit.shuffle()
            ? permutation(train.size(), new Random(shuffleSeed ^ (0x9E3779B97F4A7C15L * (epoch + 1))))
            : null);
        RunningMeans means = new RunningMeans(keys);
        for (int step = 0; step < batches.steps(); step++) {
          callbacks.onTrainBatchBegin(step, Map.of());
          try (EpochIterator.Batch batch = batches.next()) {
            means.add(graph.trainStep(batch.x(), batch.y()), batch.size());
          }
          callbacks.onTrainBatchEnd(step, means.logs(""));
          if (model.stopTraining()) {
            break;
          }
        }
        epochLogs = new LinkedHashMap<>(means.logs(""));
        if (validation != null && (epoch + 1) % fit.validationFreq() == 0) {
          epochLogs.putAll(evaluate(graph, validation, fit.effectiveValidationBatchSize(),
              callbacks, "val_"));
        }
        callbacks.onEpochEnd(epoch, epochLogs);
        if (model.stopTraining()) {
          break;
        }
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
    Arrays data = data(model, graph, x, y);
    List<Callback> all = new ArrayList<>();
    if (verbose > 0) {
      all.add(new ProgbarLogger(out));
    }
    CallbackList callbacks = new CallbackList(all);
    callbacks.setModel(model);
    callbacks.setParams(new TrainingParams(1, steps(data.size(), batchSize), verbose));
    return evaluate(graph, data, batchSize, callbacks, "");
  }

  private static Map<String, Double> evaluate(ModelGraph graph, Arrays data, int batchSize,
      CallbackList callbacks, String prefix) {
    RunningMeans means = new RunningMeans(graph.logKeys());
    try (EpochIterator batches = new EpochIterator(data.x(), data.y(), batchSize)) {
      callbacks.onTestBegin(Map.of());
      batches.startEpoch(null);
      for (int step = 0; step < batches.steps(); step++) {
        callbacks.onTestBatchBegin(step, Map.of());
        try (EpochIterator.Batch batch = batches.next()) {
          means.add(graph.testStep(batch.x(), batch.y()), batch.size());
        }
        callbacks.onTestBatchEnd(step, means.logs(""));
      }
      callbacks.onTestEnd(means.logs(""));
    }
    return means.logs(prefix);
  }

  /** Keras' {@code predict}: every output for every sample, in inference mode, by output name. */
  public static Map<String, FloatNdArray> predict(Model model, ModelGraph graph,
      Map<String, ? extends NdArray<?>> x, int batchSize, int verbose, PrintStream out) {
    List<ArrayData> xs = DataAdapter.inputs(x, inputNames(model), graph.inputShapes());
    int samples = xs.get(0).size();
    List<Shape> outputShapes = graph.outputShapes();
    List<float[]> results = new ArrayList<>();
    for (Shape shape : outputShapes) {
      results.add(new float[Math.multiplyExact(samples,
          Math.toIntExact(Shapes.sampleSize(shape)))]);
    }
    List<Callback> all = new ArrayList<>();
    if (verbose > 0) {
      all.add(new ProgbarLogger(out));
    }
    CallbackList callbacks = new CallbackList(all);
    callbacks.setModel(model);
    try (EpochIterator batches = new EpochIterator(xs, List.of(), batchSize)) {
      callbacks.setParams(new TrainingParams(1, batches.steps(), verbose));
      callbacks.onPredictBegin(Map.of());
      batches.startEpoch(null);
      int[] offsets = new int[outputShapes.size()];
      for (int step = 0; step < batches.steps(); step++) {
        callbacks.onPredictBatchBegin(step, Map.of());
        try (EpochIterator.Batch batch = batches.next()) {
          List<float[]> outputs = graph.predictStep(batch.x(), false);
          for (int i = 0; i < outputs.size(); i++) {
            System.arraycopy(outputs.get(i), 0, results.get(i), offsets[i], outputs.get(i).length);
            offsets[i] += outputs.get(i).length;
          }
        }
        callbacks.onPredictBatchEnd(step, Map.of());
      }
      callbacks.onPredictEnd(Map.of());
    }
    Map<String, FloatNdArray> named = new LinkedHashMap<>();
    for (int i = 0; i < outputShapes.size(); i++) {
      named.put(graph.outputNames().get(i), wrap(results.get(i), samples, outputShapes.get(i)));
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

  private static int steps(int samples, int batchSize) {
    return (samples + batchSize - 1) / batchSize;
  }

  private static int[] permutation(int n, Random random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
