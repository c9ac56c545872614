package io.jeras.savedmodels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The process' resident memory (VmRSS in Linux's {@code /proc/self/status}), sampled along a
 * loop after a full garbage collection, and what the samples say about growth: the median of
 * the last quarter against the median of the first, and the least-squares slope per iteration.
 * Medians, because RSS jumps by tens of MB and back as the JIT's arenas and glibc's malloc
 * arenas grow and are trimmed.
 *
 * <p>Before each sample, freed native memory is handed back to the system ({@code
 * malloc_trim(0)}, through JavaCPP's {@code Pointer.trimMemory}, which TensorFlow Java's
 * bindings ship; private, so called by reflection, and skipped if absent). Without it RSS also
 * counts memory malloc keeps after a free, and a loop that follows one which freed a few hundred
 * MB reuses that memory first: a leak in it shows at a quarter of its size.
 */
final class ResidentMemory {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Method TRIM = trimMethod();

  private final List<Integer> iterations = new ArrayList<>();
  private final List<Long> kilobytes = new ArrayList<>();

  /** Whether this platform reports resident memory (Linux). */
  static boolean available() {
    return Files.isReadable(STATUS);
  }

  /** Resident memory now, in kB. */
  static long kilobytes() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("no VmRSS in " + STATUS);
  }

  private static Method trimMethod() {
    try {
      Method trim = Class.forName("org.bytedeco.javacpp.Pointer").getDeclaredMethod("trimMemory");
      trim.setAccessible(true);
      return trim;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** Returns the memory malloc holds free to the system, where it can. */
  static void trim() {
    if (TRIM != null) {
      try {
        TRIM.invoke(null);
      } catch (ReflectiveOperationException e) {
        // not trimmed: the samples are noisier, not wrong
      }
    }
  }

  /**
   * Ends a warm-up: collects and trims once without sampling, so the first sample does not
   * count the garbage of the whole warm-up that the JVM has not yet handed back.
   */
  void warmedUp() {
    System.gc();
    trim();
  }

  /**
   * Collects Java garbage (so unreachable Java objects, and the native memory of any
   * TensorFlow Java object they hold, are not counted), trims malloc's free memory, samples.
   */
  void sample(int iteration) {
    System.gc();
    System.gc();
    trim();
    iterations.add(iteration);
    kilobytes.add(kilobytes());
  }

  int size() {
    return kilobytes.size();
  }

  /** Median of the first quarter of the samples, in MB. */
  double firstQuarterMb() {
    return medianMb(0, quarter());
  }

  /** Median of the last quarter of the samples, in MB. */
  double lastQuarterMb() {
    return medianMb(kilobytes.size() - quarter(), kilobytes.size());
  }

  /** {@link #lastQuarterMb} minus {@link #firstQuarterMb}. */
  double growthMb() {
    return lastQuarterMb() - firstQuarterMb();
  }

  /** The least-squares slope of resident memory over the iterations, in bytes per iteration. */
  double slopeBytesPerIteration() {
    int n = kilobytes.size();
    double meanX = iterations.stream().mapToDouble(i -> i).average().orElseThrow();
    double meanY = kilobytes.stream().mapToDouble(k -> k).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < n; i++) {
      double dx = iterations.get(i) - meanX;
      sxy += dx * (kilobytes.get(i) - meanY);
      sxx += dx * dx;
    }
    return sxy / sxx * 1024;
  }

  private int quarter() {
    return Math.max(1, kilobytes.size() / 4);
  }

  private double medianMb(int from, int to) {
    long[] sorted = kilobytes.subList(from, to).stream().mapToLong(Long::longValue).sorted()
        .toArray();
    int n = sorted.length;
    double kb = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    return kb / 1024;
  }

  /** The figures and every sample, for assertion messages and the test's output. */
  String report() {
    StringBuilder samples = new StringBuilder();
    for (int i = 0; i < kilobytes.size(); i++) {
      samples.append(i == 0 ? "" : " ").append(iterations.get(i)).append(':')
          .append(Math.round(kilobytes.get(i) / 1024.0));
    }
    return String.format("RSS first quarter %.1f MB, last quarter %.1f MB, growth %.1f MB,"
        + " slope %.1f kB/iteration; samples (iteration:MB) %s", firstQuarterMb(),
        lastQuarterMb(), growthMb(), slopeBytesPerIteration() / 1024, samples);
  }
}
