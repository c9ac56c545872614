package io.jeras.trainers;

import io.jeras.data.ArrayData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import org.tensorflow.types.TFloat32;

/**
 * Cuts one pass over in-memory samples into batch tensors, preparing the next batch on a
 * background thread while TensorFlow runs the current one (Keras' {@code EpochIterator}).
 *
 * <p>The last batch may be smaller, as in Keras. Closing it releases any tensor prepared ahead
 * and stops the thread; every tensor handed out belongs to the caller.
 */
final class EpochIterator implements AutoCloseable {
  /** One batch: a tensor per input, one per output's labels (none when predicting). */
  record Batch(List<TFloat32> x, List<TFloat32> y, int size) implements AutoCloseable {
    @Override
    public void close() {
      x.forEach(TFloat32::close);
      y.forEach(TFloat32::close);
    }
  }

  private static final ThreadFactory DAEMON = runnable -> {
    Thread thread = new Thread(runnable, "jeras-batches");
    thread.setDaemon(true);
    return thread;
  };

  private final List<ArrayData> x;
  private final List<ArrayData> y;
  private final int samples;
  private final int batchSize;
  private final int steps;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(DAEMON);
  private int[] order;
  private Future<Batch> next;
  private int nextStep;

  EpochIterator(List<ArrayData> x, List<ArrayData> y, int batchSize) {
    this.x = x;
    this.y = y;
    this.samples = x.get(0).size();
    this.batchSize = batchSize;
    this.steps = (samples + batchSize - 1) / batchSize;
  }

  /** Number of batches in one pass. */
  int steps() {
    return steps;
  }

  /** Starts a pass in {@code order} (null: the samples' own order). */
  void startEpoch(int[] order) {
    discardPending();
    this.order = order;
    this.nextStep = 0;
    prefetch();
  }

  /** The next batch of the pass; the caller closes it. */
  Batch next() {
    try {
      Batch batch = next.get();
      next = null;
      prefetch();
      return batch;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while preparing a batch", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("could not prepare a batch: " + e.getCause(), e.getCause());
    }
  }

  private void prefetch() {
    if (nextStep >= steps) {
      return;
    }
    int from = nextStep * batchSize;
    int to = Math.min(from + batchSize, samples);
    int[] currentOrder = order;
    nextStep++;
    next = executor.submit(() -> {
      List<TFloat32> xs = new ArrayList<>();
      List<TFloat32> ys = new ArrayList<>();
      try {
        for (ArrayData data : x) {
          xs.add(data.batch(currentOrder, from, to));
        }
        for (ArrayData data : y) {
          ys.add(data.batch(currentOrder, from, to));
        }
        return new Batch(xs, ys, to - from);
      } catch (RuntimeException e) {
        xs.forEach(TFloat32::close);
        ys.forEach(TFloat32::close);
        throw e;
      }
    });
  }

  private void discardPending() {
    if (next != null) {
      try {
        next.get().close();
      } catch (Exception ignored) {
        // a failed preparation has nothing to release
      }
      next = null;
    }
  }

  @Override
  public void close() {
    discardPending();
    executor.shutdownNow();
  }
}
