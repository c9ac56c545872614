package io.jeras.data;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a sequence of tasks (one per batch: decode, resize, augment) on background threads,
 * at most {@code depth} ahead of the consumer, and hands the results back in order: the input
 * pipeline of a {@link Dataset}, so that training waits for Java only when Java is slower.
 *
 * <p>A task's exception is rethrown to the consumer (with its cause), never lost on a worker
 * thread; {@link #close()} cancels what is pending and stops the threads, whether the pass
 * ended, training stopped early or failed.
 *
 * @param <T> what a task produces
 */
public final class Prefetcher<T> implements Iterator<T>, AutoCloseable {
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final Iterator<Callable<T>> tasks;
  private final ExecutorService executor;
  private final Deque<Future<T>> pending = new ArrayDeque<>();
  private final int depth;

  /**
   * @param tasks the work, in output order
   * @param threads worker threads
   * @param depth how many results may be computed ahead of the consumer
   */
  public Prefetcher(Iterator<Callable<T>> tasks, int threads, int depth) {
    this.tasks = tasks;
    this.depth = Math.max(1, depth);
    int pool = POOLS.incrementAndGet();
    AtomicInteger count = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(Math.max(1, threads), runnable -> {
      Thread thread = new Thread(runnable, "jeras-pipeline-" + pool + "-"
          + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    fill();
  }

  private void fill() {
    while (pending.size() < depth && tasks.hasNext()) {
      pending.add(executor.submit(tasks.next()));
    }
  }

  @Override
  public boolean hasNext() {
    return !pending.isEmpty();
  }

  @Override
  public T next() {
    if (pending.isEmpty()) {
      throw new NoSuchElementException();
    }
    Future<T> head = pending.removeFirst();
    fill();
    try {
      return head.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("interrupted while waiting for the input pipeline", e);
    } catch (ExecutionException e) {
      close();
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("the input pipeline failed: " + cause, cause);
    }
  }

  @Override
  public void close() {
    pending.forEach(future -> future.cancel(true));
    pending.clear();
    executor.shutdownNow();
  }
}
