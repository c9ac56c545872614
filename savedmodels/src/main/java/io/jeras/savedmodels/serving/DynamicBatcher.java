package io.jeras.savedmodels.serving;

import io.jeras.savedmodels.LoadedModel;
import io.jeras.savedmodels.LoadedModel.Prepared;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.tensorflow.ndarray.NdArray;

/**
 * Dynamic batching, as TF Serving's batching does it: concurrent requests to a model are
 * collected for up to {@code batchTimeout} or until {@code maxBatchSize} samples, run as one
 * session run, and each caller gets its own rows back. Requests are converted and checked on the
 * caller's thread first, so a bad request fails alone. The queue is bounded ({@code
 * maxQueuedRequests}: a full queue refuses at once with {@link Overloaded}, the back-pressure a
 * server turns into 503), and a request that waited longer than {@code requestTimeout} fails with
 * a {@link TimeoutException}. Signatures that cannot be batched, and requests larger than a batch,
 * run alone in their turn.
 */
public final class DynamicBatcher implements AutoCloseable {
  /** The batching parameters (TF Serving's names: max_batch_size, batch_timeout_micros, ...). */
  public record Options(int maxBatchSize, Duration batchTimeout, int maxQueuedRequests,
      Duration requestTimeout) {
    public Options {
      if (maxBatchSize < 1 || maxQueuedRequests < 1) {
        throw new IllegalArgumentException("maxBatchSize and maxQueuedRequests must be >= 1, got "
            + maxBatchSize + " and " + maxQueuedRequests);
      }
      if (batchTimeout.isNegative() || requestTimeout.isNegative()) {
        throw new IllegalArgumentException("timeouts must not be negative");
      }
    }

    /** TF Serving's defaults: 32 samples, 1 ms, 1,000 queued requests; 30 s per request. */
    public static Options defaults() {
      return new Options(32, Duration.ofMillis(1), 1000, Duration.ofSeconds(30));
    }

    public Options maxBatchSize(int samples) {
      return new Options(samples, batchTimeout, maxQueuedRequests, requestTimeout);
    }

    public Options batchTimeout(Duration timeout) {
      return new Options(maxBatchSize, timeout, maxQueuedRequests, requestTimeout);
    }

    public Options maxQueuedRequests(int requests) {
      return new Options(maxBatchSize, batchTimeout, requests, requestTimeout);
    }

    public Options requestTimeout(Duration timeout) {
      return new Options(maxBatchSize, batchTimeout, maxQueuedRequests, timeout);
    }
  }

  /** The queue is full: the caller should retry later (HTTP 503). */
  public static final class Overloaded extends RuntimeException {
    Overloaded(String message) {
      super(message);
    }
  }

  private record Pending(Prepared request, long enqueued,
      CompletableFuture<Map<String, NdArray<?>>> result) {}

  /** What the batcher has run so far: session runs, the requests and samples in them. */
  public record Stats(long batches, long requests, long samples) {}

  private final LoadedModel model;
  private final Options options;
  private final java.util.concurrent.atomic.AtomicLongArray counts =
      new java.util.concurrent.atomic.AtomicLongArray(3);
  private final Deque<Pending> queue = new ArrayDeque<>();
  private final Thread worker;
  private boolean closing;

  public DynamicBatcher(LoadedModel model, Options options) {
    this.model = model;
    this.options = options;
    this.worker = new Thread(this::work, "jeras-batcher");
    worker.setDaemon(true);
    worker.start();
  }

  /** Queues a call; the future completes with this request's outputs. */
  public CompletableFuture<Map<String, NdArray<?>>> submit(String signature,
      Map<String, ?> inputs) {
    Prepared request = model.prepare(signature, inputs);
    CompletableFuture<Map<String, NdArray<?>>> result = new CompletableFuture<>();
    synchronized (queue) {
      if (closing) {
        throw new IllegalStateException("the batcher is closed");
      }
      if (queue.size() >= options.maxQueuedRequests()) {
        throw new Overloaded("The batching queue is full (" + options.maxQueuedRequests()
            + " requests waiting); retry later");
      }
      queue.add(new Pending(request, System.nanoTime(), result));
      queue.notifyAll();
    }
    return result;
  }

  /** {@link #submit} and wait: this request's outputs, or its failure rethrown. */
  public Map<String, NdArray<?>> predict(String signature, Map<String, ?> inputs) {
    CompletableFuture<Map<String, NdArray<?>>> result = submit(signature, inputs);
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a prediction", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    }
  }

  private void work() {
    while (true) {
      List<Pending> batch;
      try {
        batch = nextBatch();
      } catch (InterruptedException e) {
        return;
      }
      if (batch == null) {
        return;
      }
      if (batch.isEmpty()) {
        continue;
      }
      try {
        List<Map<String, NdArray<?>>> results = model.runTogether(
            batch.stream().map(Pending::request).toList());
        counts.incrementAndGet(0);
        counts.addAndGet(1, batch.size());
        counts.addAndGet(2, batch.stream().mapToInt(p -> p.request().samples()).sum());
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).result().complete(results.get(i));
        }
      } catch (RuntimeException e) {
        batch.forEach(p -> p.result().completeExceptionally(e));
      }
    }
  }

  /**
   * The next batch: the oldest request and the later ones that join it, up to maxBatchSize
   * samples, waiting at most batchTimeout for more; requests past their timeout fail. Null when
   * closed and drained.
   */
  private List<Pending> nextBatch() throws InterruptedException {
    synchronized (queue) {
      while (queue.isEmpty()) {
        if (closing) {
          return null;
        }
        queue.wait();
      }
      long deadline = System.nanoTime() + options.batchTimeout().toNanos();
      while (true) {
        expire();
        if (queue.isEmpty()) {
          return List.of();
        }
        List<Pending> batch = gather();
        int samples = batch.stream().mapToInt(p -> p.request().samples()).sum();
        long left = deadline - System.nanoTime();
        boolean full = samples >= options.maxBatchSize() || !batch.get(0).request().signature()
            .batchable();
        if (full || left <= 0 || closing) {
          queue.removeAll(batch);
          return batch;
        }
        long expiry = queue.peekFirst().enqueued() + options.requestTimeout().toNanos()
            - System.nanoTime();
        TimeUnit.NANOSECONDS.timedWait(queue, Math.max(1, Math.min(left, expiry + 1)));
      }
    }
  }

  /** The head and the queued requests that join it, within maxBatchSize samples. */
  private List<Pending> gather() {
    List<Pending> batch = new ArrayList<>();
    Pending head = queue.peekFirst();
    batch.add(head);
    int samples = head.request().samples();
    for (Pending p : queue) {
      if (p == head || !head.request().joinsWith(p.request())) {
        continue;
      }
      if (samples + p.request().samples() > options.maxBatchSize()) {
        break;
      }
      batch.add(p);
      samples += p.request().samples();
    }
    return batch;
  }

  private void expire() {
    long now = System.nanoTime();
    for (Iterator<Pending> it = queue.iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (now - p.enqueued() > options.requestTimeout().toNanos()) {
        it.remove();
        p.result().completeExceptionally(new TimeoutException("The request waited "
            + (now - p.enqueued()) / 1_000_000 + " ms in the batching queue, longer than its "
            + options.requestTimeout().toMillis() + " ms timeout"));
      }
    }
  }

  /** Batches, requests and samples run so far. */
  public Stats stats() {
    return new Stats(counts.get(0), counts.get(1), counts.get(2));
  }

  /** Stops taking requests, runs those queued, then stops the worker. */
  @Override
  public void close() {
    synchronized (queue) {
      closing = true;
      queue.notifyAll();
    }
    try {
      worker.join(TimeUnit.MINUTES.toMillis(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
