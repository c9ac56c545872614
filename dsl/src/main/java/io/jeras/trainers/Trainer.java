package io.jeras.trainers;

import io.jeras.Jeras;
import io.jeras.callbacks.Callback;
import io.jeras.callbacks.CallbackList;
import io.jeras.callbacks.History;
import io.jeras.callbacks.ProgbarLogger;
import io.jeras.callbacks.TrainingParams;
import io.jeras.data.ArrayData;
import io.jeras.models.Model;
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
import org.tensorflow.types.TFloat32;

/**
 * The training, evaluation and prediction loops over a {@link ModelGraph} (Keras' {@code
 * Trainer.fit/evaluate/predict}): batching, shuffling, running means, callbacks and progress.
 */
public final class Trainer {
  private Trainer() {}

  /** Keras' {@code fit}: trains {@code model}'s graph on {@code x, y}. */
  public static History fit(Model model, ModelGraph graph, NdArray<?> x, NdArray<?> y, Fit fit) {
    ArrayData xs = DataAdapter.inputs(x, graph.inputShape());
    ArrayData ys = DataAdapter.labels(y, graph.labelShape(), xs.size(), model.lossName(),
        graph.outputShape());
    ArrayData valX = null;
    ArrayData valY = null;
    if (fit.validationSplit() > 0) {
      int splitAt = (int) Math.floor(xs.size() * (1.0 - fit.validationSplit()));
      if (splitAt == 0 || splitAt == xs.size()) {
        throw new IllegalArgumentException("validation_split=" + fit.validationSplit()
            + " leaves no samples for " + (splitAt == 0 ? "training" : "validation") + " out of "
            + xs.size());
      }
      valX = xs.slice(splitAt, xs.size());
      valY = ys.slice(splitAt, ys.size());
      xs = xs.slice(0, splitAt);
      ys = ys.slice(0, splitAt);
    } else if (fit.validationX() != null) {
      valX = DataAdapter.inputs(fit.validationX(), graph.inputShape());
      valY = DataAdapter.labels(fit.validationY(), graph.labelShape(), valX.size(),
          model.lossName(), graph.outputShape());
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

    try (EpochIterator batches = new EpochIterator(xs, ys, fit.batchSize())) {
      callbacks.setModel(model);
      callbacks.setParams(new TrainingParams(fit.epochs(), batches.steps(), fit.verbose()));
      model.stopTraining(false);
      model.takeResumeEpoch();
      callbacks.onTrainBegin(Map.of());
      Integer resumed = model.takeResumeEpoch();
      int initialEpoch = resumed != null ? Math.max(resumed, fit.initialEpoch()) : fit.initialEpoch();
      Map<String, Double> epochLogs = Map.of();
      for (int epoch = initialEpoch; epoch < fit.epochs(); epoch++) {
        callbacks.onEpochBegin(epoch, Map.of());
        // each epoch's order depends only on the seed and the epoch, so a resumed run
        // shuffles exactly as an uninterrupted one
        batches.startEpoch(fit.shuffle()
            ? permutation(xs.size(), new Random(shuffleSeed ^ (0x9E3779B97F4A7C15L * (epoch + 1))))
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
        if (valX != null && (epoch + 1) % fit.validationFreq() == 0) {
          epochLogs.putAll(evaluate(graph, valX, valY, fit.effectiveValidationBatchSize(),
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
  public static Map<String, Double> evaluate(Model model, ModelGraph graph, NdArray<?> x,
      NdArray<?> y, int batchSize, int verbose, PrintStream out) {
    ArrayData xs = DataAdapter.inputs(x, graph.inputShape());
    ArrayData ys = DataAdapter.labels(y, graph.labelShape(), xs.size(), model.lossName(),
        graph.outputShape());
    List<Callback> all = new ArrayList<>();
    if (verbose > 0) {
      all.add(new ProgbarLogger(out));
    }
    CallbackList callbacks = new CallbackList(all);
    callbacks.setModel(model);
    callbacks.setParams(new TrainingParams(1, steps(xs.size(), batchSize), verbose));
    return evaluate(graph, xs, ys, batchSize, callbacks, "");
  }

  private static Map<String, Double> evaluate(ModelGraph graph, ArrayData x, ArrayData y,
      int batchSize, CallbackList callbacks, String prefix) {
    RunningMeans means = new RunningMeans(graph.logKeys());
    try (EpochIterator batches = new EpochIterator(x, y, batchSize)) {
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

  /** Keras' {@code predict}: the model's outputs for every sample, in inference mode. */
  public static FloatNdArray predict(Model model, ModelGraph graph, NdArray<?> x, int batchSize,
      int verbose, PrintStream out) {
    ArrayData xs = DataAdapter.inputs(x, graph.inputShape());
    Shape outputShape = graph.outputShape();
    int outputSize = Math.toIntExact(io.jeras.utils.Shapes.sampleSize(outputShape));
    float[] result = new float[Math.multiplyExact(xs.size(), outputSize)];
    List<Callback> all = new ArrayList<>();
    if (verbose > 0) {
      all.add(new ProgbarLogger(out));
    }
    CallbackList callbacks = new CallbackList(all);
    callbacks.setModel(model);
    try (EpochIterator batches = new EpochIterator(xs, null, batchSize)) {
      callbacks.setParams(new TrainingParams(1, batches.steps(), verbose));
      callbacks.onPredictBegin(Map.of());
      batches.startEpoch(null);
      int offset = 0;
      for (int step = 0; step < batches.steps(); step++) {
        callbacks.onPredictBatchBegin(step, Map.of());
        try (EpochIterator.Batch batch = batches.next()) {
          float[] out1 = graph.predictStep(batch.x());
          System.arraycopy(out1, 0, result, offset, out1.length);
          offset += out1.length;
        }
        callbacks.onPredictBatchEnd(step, Map.of());
      }
      callbacks.onPredictEnd(Map.of());
    }
    Shape shape = Shape.of(xs.size()).append(io.jeras.utils.Shapes.sampleShape(outputShape));
    return NdArrays.wrap(shape, DataBuffers.of(result, false, false));
  }

  /** The outputs for {@code x} as one batch, in training or inference mode. */
  public static FloatNdArray call(ModelGraph graph, NdArray<?> x, boolean training) {
    ArrayData xs = DataAdapter.inputs(x, graph.inputShape());
    float[] values;
    try (TFloat32 batch = xs.batch(null, 0, xs.size())) {
      values = graph.predictStep(batch, training);
    }
    Shape shape = Shape.of(xs.size()).append(io.jeras.utils.Shapes.sampleShape(graph.outputShape()));
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
