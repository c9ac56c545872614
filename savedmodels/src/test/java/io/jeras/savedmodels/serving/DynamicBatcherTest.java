package io.jeras.savedmodels.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jeras.savedmodels.LoadedModel;
import io.jeras.savedmodels.SavedModels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;

class DynamicBatcherTest {
  static LoadedModel model;

  @BeforeAll
  static void load() {
    model = SavedModels.load(RestServerTest.fixture());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  /** Rows of request {@code r}: distinct values, so a mixed-up split shows. */
  static float[][] rows(int r, int n) {
    float[][] x = new float[n][2];
    for (int i = 0; i < n; i++) {
      x[i][0] = r + 0.01f * i;
      x[i][1] = -r;
    }
    return x;
  }

  /**
   * 8 threads x 25 requests of 1-3 rows: each caller gets exactly what calling alone gives, and
   * the batcher ran fewer session runs than requests.
   */
  @Test
  void concurrentRequests_areJoinedAndEachGetsItsOwnRows() throws Exception {
    try (DynamicBatcher batcher = new DynamicBatcher(model, DynamicBatcher.Options.defaults()
        .maxBatchSize(16).batchTimeout(Duration.ofMillis(5)))) {
      ExecutorService clients = Executors.newFixedThreadPool(8);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        done.add(clients.submit(() -> {
          for (int k = 0; k < 25; k++) {
            int r = thread * 100 + k;
            float[][] x = rows(r, 1 + r % 3);
            Map<String, NdArray<?>> got = batcher.predict("mixed_outputs", Map.of("x", x));
            Map<String, NdArray<?>> alone = model.call("mixed_outputs", Map.of("x", x));
            FloatNdArray a = (FloatNdArray) got.get("probs");
            FloatNdArray b = (FloatNdArray) alone.get("probs");
            assertThat(a.shape()).isEqualTo(b.shape());
            for (int i = 0; i < x.length; i++) {
              for (int j = 0; j < 3; j++) {
                assertThat(a.getFloat(i, j)).isEqualTo(b.getFloat(i, j));
              }
            }
            assertThat(got.get("class_id").shape().get(0)).isEqualTo(x.length);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      clients.shutdown();
      DynamicBatcher.Stats stats = batcher.stats();
      assertThat(stats.requests()).isEqualTo(200);
      assertThat(stats.batches()).isLessThan(200);
    }
  }

  @Test
  void aFullQueue_refusesAtOnce_andAWaitTooLong_timesOut() throws Exception {
    // a batch timeout far longer than the request timeout: queued requests expire
    try (DynamicBatcher batcher = new DynamicBatcher(model, DynamicBatcher.Options.defaults()
        .maxBatchSize(1000).batchTimeout(Duration.ofSeconds(2)).maxQueuedRequests(3)
        .requestTimeout(Duration.ofMillis(200)))) {
      List<CompletableFuture<Map<String, NdArray<?>>>> queued = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        queued.add(batcher.submit("mixed_outputs", Map.of("x", rows(i, 1))));
      }
      assertThatThrownBy(() -> batcher.submit("mixed_outputs", Map.of("x", rows(9, 1))))
          .isInstanceOf(DynamicBatcher.Overloaded.class)
          .hasMessageContaining("3 requests waiting");
      long start = System.nanoTime();
      for (CompletableFuture<Map<String, NdArray<?>>> f : queued) {
        assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(TimeoutException.class);
      }
      // failed at their own timeout, not at the end of the 2 s batch window
      assertThat((System.nanoTime() - start) / 1e6).isLessThan(1500);
    }
  }

  @Test
  void aBadRequest_failsAlone_beforeItIsQueued() {
    try (DynamicBatcher batcher = new DynamicBatcher(model, DynamicBatcher.Options.defaults())) {
      assertThatThrownBy(() -> batcher.submit("mixed_outputs", Map.of("x", new float[2][5])))
          .hasMessageContaining("expects shape (None, 2)");
      // unbatchable signatures run alone, in turn
      assertThat(batcher.predict("scalar", Map.of("factor", 2f, "x", new float[][] {{1, 2, 3}}))
          .get("total").getObject()).isEqualTo(12f);
    }
  }
}
