package io.jeras.trainers;

import io.jeras.data.ArrayData;
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
  /** One batch: inputs, labels (null when predicting) and the number of samples. */
  record Batch(TFloat32 x, TFloat32 y, int size) implements AutoCloseable {
    @Override
    public void close() {
      x.close();
      if (y != null) {
        y.close();
      }
    }
  }

  private static final ThreadFactory DAEMON = runnable -> {
    Thread thread = new Thread(runnable, "jeras-batches");
    thread.setDaemon(true);
    return thread;
  };

  private final ArrayData x;
  private final ArrayData y;
  private final int batchSize;
  private final int steps;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(DAEMON);
  private int[] order;
  private Future<Batch> next;
  private int nextStep;

  EpochIterator(ArrayData x, ArrayData y, int batchSize) {
    this.x = x;
    this.y = y;
    this.batchSize = batchSize;
    this.steps = (x.size() + batchSize - 1) / batchSize;
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
    int to = Math.min(from + batchSize, x.size());
    int[] currentOrder = order;
    nextStep++;
    next = executor.submit(() -> {
      TFloat32 xs = x.batch(currentOrder, from, to);
      try {
        return new Batch(xs, y == null ? null : y.batch(currentOrder, from, to), to - from);
      } catch (RuntimeException e) {
        xs.close();
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
