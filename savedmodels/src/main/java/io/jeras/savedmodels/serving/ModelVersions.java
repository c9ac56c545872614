package io.jeras.savedmodels.serving;

import io.jeras.savedmodels.LoadedModel;
import io.jeras.savedmodels.SavedModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The versions of one model in TF Serving's layout ({@code base/1}, {@code base/2}, ...: each a
 * SavedModel), serving the newest, as TF Serving's default version policy does. A poll (on a
 * background thread every {@code pollInterval}, TF Serving's {@code
 * file_system_poll_wait_seconds}) loads a newer version beside the current one and swaps it in:
 * requests that hold a {@link Lease} on the old version finish on it, and the old version is
 * closed when its last lease is returned; no request is dropped or failed by a swap.
 */
public final class ModelVersions implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("io.jeras.savedmodels.serving");
  /** One loaded version: its model and, when batching is on, its batcher. */
  public static final class Version {
    private final long number;
    private final LoadedModel model;
    private final DynamicBatcher batcher;
    private int leases;
    private boolean retired;

    private Version(long number, LoadedModel model, DynamicBatcher.Options batching) {
      this.number = number;
      this.model = model;
      this.batcher = batching == null ? null : new DynamicBatcher(model, batching);
    }

    /** The version number (the folder's name). */
    public long number() {
      return number;
    }

    /** The loaded SavedModel. */
    public LoadedModel model() {
      return model;
    }

    /** Its batcher, when batching is on. */
    public Optional<DynamicBatcher> batcher() {
      return Optional.ofNullable(batcher);
    }

    private void closeNow() {
      if (batcher != null) {
        batcher.close();
      }
      model.close();
    }
  }

  /** A version held for one request; closing it lets a retired version close. */
  public final class Lease implements AutoCloseable {
    private final Version version;
    private boolean returned;

    private Lease(Version version) {
      this.version = version;
    }

    public Version version() {
      return version;
    }

    @Override
    public void close() {
      synchronized (ModelVersions.this) {
        if (returned) {
          return;
        }
        returned = true;
        version.leases--;
        if (version.retired && version.leases == 0) {
          version.closeNow();
        }
      }
    }
  }

  private final Path base;
  private final DynamicBatcher.Options batching;
  private final Thread poller;
  private Version current;
  private boolean closed;

  /**
   * Loads the newest version under {@code base} and polls for newer ones every {@code
   * pollInterval} (zero: never; call {@link #poll()}). {@code batching} null: no batching.
   */
  public ModelVersions(Path base, DynamicBatcher.Options batching, Duration pollInterval) {
    this.base = base;
    this.batching = batching;
    if (!poll()) {
      throw new IllegalArgumentException("No model version under " + base + ": expected"
          + " numbered folders holding SavedModels (" + base.resolve("1") + ", ...)");
    }
    if (pollInterval.isZero()) {
      poller = null;
    } else {
      poller = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          try {
            Thread.sleep(pollInterval.toMillis());
            poll();
          } catch (InterruptedException e) {
            return;
          } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not load a new version of " + base
                + ": " + e.getMessage());
          }
        }
      }, "jeras-model-versions");
      poller.setDaemon(true);
      poller.start();
    }
  }

  /** The newest version number present under the base path, if any. */
  private Optional<Long> newestOnDisk() {
    try (Stream<Path> dirs = Files.list(base)) {
      return dirs.filter(d -> d.getFileName().toString().matches("\\d{1,18}"))
          .filter(d -> Files.isRegularFile(d.resolve("saved_model.pb"))
              || Files.isRegularFile(d.resolve("saved_model.pbtxt")))
          .map(d -> Long.parseLong(d.getFileName().toString()))
          .max(Long::compare);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not list the model versions in " + base, e);
    }
  }

  /**
   * Loads the newest version if it is newer than the one served, and swaps it in; returns
   * whether a version was loaded.
   */
  public boolean poll() {
    Optional<Long> newest = newestOnDisk();
    synchronized (this) {
      if (closed || newest.isEmpty() || current != null && newest.get() <= current.number) {
        return false;
      }
    }
    long number = newest.get();
    LoadedModel model = SavedModels.load(base.resolve(Long.toString(number)));
    Version loaded = new Version(number, model, batching);
    Version old;
    synchronized (this) {
      if (closed || current != null && number <= current.number) {
        loaded.closeNow();   // closed meanwhile, or another poll swapped this version in first
        return false;
      }
      old = current;
      current = loaded;
      if (old != null) {
        old.retired = true;
        if (old.leases == 0) {
          old.closeNow();
        }
      }
    }
    return true;
  }

  /** The version served now, held until the lease is closed. */
  public synchronized Lease acquire() {
    if (closed) {
      throw new IllegalStateException("the model versions of " + base + " are closed");
    }
    current.leases++;
    return new Lease(current);
  }

  /** The served version {@code number}, or an exception naming the one served. */
  public synchronized Lease acquire(long number) {
    if (closed || current.number != number) {
      throw new IllegalArgumentException("Version " + number + " of the model in " + base
          + " is not served; the served version is " + (closed ? "none" : current.number));
    }
    return acquire();
  }

  /** The number of the version served now. */
  public synchronized long currentVersion() {
    return current.number;
  }

  @Override
  public void close() {
    if (poller != null) {
      poller.interrupt();
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      current.retired = true;
      if (current.leases == 0) {
        current.closeNow();
      }
    }
  }
}
