package io.jeras.savedmodels;

import static org.assertj.core.api.Assertions.assertThat;

import io.jeras.data.Data;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.index.Indices;

/** One loaded model, one session, 8 threads x 500 predictions. */
class ConcurrentPredictTest {

  private static long rssKilobytes() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  @Test
  void eightThreadsAgreeWithOneAndMemoryStaysFlat() throws Exception {
    Path fixtures = Fixtures.dir("tf2.18");
    FloatNdArray x = Fixtures.npy(fixtures.resolve("cnn.x0.npy"));
    try (LoadedModel model = SavedModels.load(fixtures.resolve("cnn/export"))) {
      List<float[]> single = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        single.add(Data.toFloatArray(model.predict(x.slice(Indices.range(i, i + 1)))));
      }
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        Runnable work = () -> {
          for (int call = 0; call < 500; call++) {
            int i = call % 16;
            float[] got = Data.toFloatArray(model.predict(x.slice(Indices.range(i, i + 1))));
            if (!java.util.Arrays.equals(got, single.get(i))) {
              throw new AssertionError("call " + call + " on sample " + i + " differs");
            }
          }
        };
        // Warm-up: the first rounds grow malloc's per-thread arenas, then RSS levels off
        // (it moves within ~12 MB as the JVM resizes its heap). A leak of 1 KB per call
        // would add 12 MB between the two windows of 12,000 calls each.
        for (int round = 0; round < 3; round++) {
          runAll(pool, work);
        }
        long[] rss = new long[6];
        for (int round = 0; round < rss.length; round++) {
          runAll(pool, work);
          System.gc();
          rss[round] = rssKilobytes();
        }
        long early = Math.max(rss[0], Math.max(rss[1], rss[2]));
        long late = Math.max(rss[3], Math.max(rss[4], rss[5]));
        assertThat(late - early).as("RSS growth in kB over 12,000 calls, rounds %s",
            java.util.Arrays.toString(rss)).isLessThan(8 * 1024);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static void runAll(ExecutorService pool, Runnable work) throws Exception {
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      futures.add(pool.submit(work));
    }
    for (Future<?> f : futures) {
      f.get();
    }
  }
}
