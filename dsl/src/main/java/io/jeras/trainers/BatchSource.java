package io.jeras.trainers;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.data.ArrayData;
import io.jeras.data.DataBatch;
import io.jeras.data.Dataset;
import io.jeras.data.Shuffling;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Where the loops get their batches, as tensors in the model's input and output order: arrays
 * in memory (cut and shuffled here) or a {@link Dataset} (read pass by pass).
 */
abstract class BatchSource implements AutoCloseable {

  /** Batches per epoch. */
  abstract int steps();

  /** Prepares epoch {@code epoch}. */
  abstract void startEpoch(int epoch);

  /** The next batch (the caller closes it), or null when the data ran out. */
  abstract EpochIterator.Batch next();

  @Override
  public abstract void close();

  /** What the model takes: names and shapes of inputs and labels, losses for messages. */
  record Spec(List<String> inputNames, List<Shape> inputShapes, List<String> outputNames,
      List<Shape> labelShapes, List<Shape> outputShapes, List<String> lossNames) {}

  /** Arrays in memory, shuffled per epoch with a seed that depends only on the epoch. */
  static final class Arrays extends BatchSource {
    private final EpochIterator batches;
    private final int samples;
    private final boolean shuffle;
    private final long seed;

    Arrays(List<ArrayData> x, List<ArrayData> y, int batchSize, boolean shuffle, long seed) {
      this.batches = new EpochIterator(x, y, batchSize);
      this.samples = x.get(0).size();
      this.shuffle = shuffle;
      this.seed = seed;
    }

    @Override
    int steps() {
      return batches.steps();
    }

    @Override
    void startEpoch(int epoch) {
      // each epoch's order depends only on the seed and the epoch, so a resumed run
      // shuffles exactly as an uninterrupted one
      batches.startEpoch(shuffle
          ? Shuffling.permutation(samples, new Random(Shuffling.passSeed(seed, epoch))) : null);
    }

    @Override
    EpochIterator.Batch next() {
      return batches.next();
    }

    @Override
    public void close() {
      batches.close();
    }
  }

  /**
   * A {@link Dataset}. With a number of steps per epoch, training reads one pass across epochs
   * (Keras' {@code steps_per_epoch}); otherwise every epoch opens a new pass. Each batch is
   * checked against the model like arrays are.
   */
  static final class Passes extends BatchSource {
    private final Dataset dataset;
    private final Spec spec;
    private final boolean withLabels;
    private final boolean continuing;
    private final int steps;
    private Dataset.Pass pass;
    private int passes;
    private Map<Integer, Double> classWeight;

    /**
     * @param steps batches per epoch, or null for whole passes
     * @param withLabels whether batches must hold labels (not when predicting)
     * @param continuing whether one pass continues across epochs when {@code steps} is given
     */
    Passes(Dataset dataset, Spec spec, Integer steps, boolean withLabels, boolean continuing,
        String what) {
      this.dataset = dataset;
      this.spec = spec;
      this.withLabels = withLabels;
      long cardinality = dataset.cardinality();
      if (steps == null && cardinality < 0) {
        throw new IllegalArgumentException("When providing an infinite dataset, you must specify"
            + " the number of steps to run (" + what + ")");
      }
      this.steps = steps != null ? steps : Math.toIntExact(cardinality);
      this.continuing = continuing && steps != null;
    }

    /**
     * Keras' {@code class_weight} on a dataset: each batch gets sample weights from its labels
     * (after the labels, where the graph's steps take them).
     */
    Passes classWeight(Map<Integer, Double> classWeight) {
      this.classWeight = classWeight;
      return this;
    }

    @Override
    int steps() {
      return steps;
    }

    @Override
    void startEpoch(int epoch) {
      if (pass == null || !continuing) {
        if (pass != null) {
          pass.close();
        }
        pass = dataset.pass(passes++);
      }
    }

    @Override
    EpochIterator.Batch next() {
      if (!pass.hasNext()) {
        return null;
      }
      DataBatch batch = pass.next();
      List<ArrayData> xs = DataAdapter.inputs(batch.x(), spec.inputNames(), spec.inputShapes());
      int size = xs.get(0).size();
      List<ArrayData> ys = withLabels ? DataAdapter.labels(batch.y(), spec.outputNames(),
          spec.labelShapes(), spec.outputShapes(), size, spec.lossNames()) : List.of();
      if (withLabels && (classWeight != null || batch.sampleWeight() != null)) {
        checkArgument(classWeight == null || batch.sampleWeight() == null,
            "You cannot `class_weight` and `sample_weight` at the same time (the dataset's"
                + " batches carry sample weights).");
        ys = new ArrayList<>(ys);
        ys.add(classWeight != null ? DataAdapter.classWeights(ys.get(0), classWeight)
            : DataAdapter.sampleWeights(batch.sampleWeight(), size));
      }
      List<TFloat32> xt = new ArrayList<>();
      List<TFloat32> yt = new ArrayList<>();
      try {
        for (ArrayData data : xs) {
          xt.add(data.batch(null, 0, size));
        }
        for (ArrayData data : ys) {
          yt.add(data.batch(null, 0, size));
        }
        pass.recycle(batch);
      } catch (RuntimeException e) {
        xt.forEach(TFloat32::close);
        yt.forEach(TFloat32::close);
        throw e;
      }
      return new EpochIterator.Batch(xt, yt, size);
    }

    @Override
    public void close() {
      if (pass != null) {
        pass.close();
        pass = null;
      }
    }
  }
}
