package io.jeras.savedmodels.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import io.jeras.savedmodels.hdf5.Hdf5Writer.DataType;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams three 800 MB float32 datasets (2.4 GB file, data beyond the 2 GiB offset) and checks
 * values near the start, the end and the 2 GiB boundary through h5py. Runs only when asked,
 * with {@code -Dhdf5.bigFile=true} (it needs 2.5 GB of free space in the temp directory; took
 * 2.4 to 5.4 s on a 2-core machine).
 */
@EnabledIfSystemProperty(named = "hdf5.bigFile", matches = "true")
class BigFileTest {

  static final int DATASETS = 3;
  static final int ROWS = 50_000;
  static final int COLS = 4_000; // 200 million values, 800 MB per dataset
  static final int CHUNK = 4_000_000;

  @TempDir
  Path dir;

  @Test
  void streamsMoreThanTwoGigabytesAndH5pyReadsTheLastValues() throws Exception {
    Path python = Python.standard();
    Path file = dir.resolve("big.h5");
    long t0 = System.nanoTime();
    float[] chunk = new float[CHUNK];
    long n = (long) ROWS * COLS;
    try (Hdf5Writer h5 = Hdf5Writer.create(file)) {
      Hdf5Writer.Group big = h5.root().group("big");
      for (int k = 0; k < DATASETS; k++) {
        try (Hdf5Writer.DatasetStream s = big.datasetStream(Integer.toString(k),
            DataType.FLOAT32, new long[] {ROWS, COLS})) {
          for (long start = 0; start < n; start += CHUNK) {
            int len = (int) Math.min(CHUNK, n - start);
            for (int i = 0; i < len; i++) {
              chunk[i] = k * 1_000_000 + (int) ((start + i) % 1_000_003);
            }
            s.write(chunk, 0, len);
          }
        }
      }
    }
    long t1 = System.nanoTime();
    try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
      c.force(true); // the time to disk, not only to the page cache
    }
    long t1Synced = System.nanoTime();
    long size = Files.size(file);
    assertThat(size).isGreaterThan(2_100_000_000L);
    Python.Result result = Python.run(python, Python.script("check_big.py", dir), 600,
        file.toString(), Integer.toString(DATASETS), Integer.toString(ROWS),
        Integer.toString(COLS));
    long t2 = System.nanoTime();
    System.out.printf("BigFileTest: %.2f GB written in %.1f s (%.0f MB/s), on disk after "
        + "%.1f s, h5py check %.1f s%n%s", size / 1e9, (t1 - t0) / 1e9,
        size / 1e6 / ((t1 - t0) / 1e9), (t1Synced - t0) / 1e9, (t2 - t1Synced) / 1e9,
        result.output());
    assertThat(result.exitCode()).as("check_big.py output:\n%s", result.output()).isZero();
    Files.delete(file);
  }
}
