package io.jeras.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PrefetcherTest {
  /** {@code n} tasks, each sleeping {@code millis} then returning its index. */
  private static Iterator<Callable<Integer>> tasks(int n, long millis) {
    return IntStream.range(0, n).<Callable<Integer>>mapToObj(i -> () -> {
      Thread.sleep(millis);
      return i;
    }).iterator();
  }

  private static List<Integer> drain(Prefetcher<Integer> prefetcher, long consumerMillis)
      throws InterruptedException {
    List<Integer> got = new ArrayList<>();
    while (prefetcher.hasNext()) {
      got.add(prefetcher.next());
      Thread.sleep(consumerMillis);
    }
    return got;
  }

  @Test
  void aPipelineSlowerThanItsConsumer_growsToItsMostThreads() throws Exception {
    try (Prefetcher<Integer> prefetcher = new Prefetcher<>(tasks(40, 30), 1, 3, 4)) {
      assertThat(drain(prefetcher, 0)).isEqualTo(IntStream.range(0, 40).boxed().toList());
      assertThat(prefetcher.threads()).isEqualTo(3);
    }
  }

  @Test
  void aPipelineFasterThanItsConsumer_keepsOneThread() throws Exception {
    try (Prefetcher<Integer> prefetcher = new Prefetcher<>(tasks(20, 0), 1, 3, 4)) {
      assertThat(drain(prefetcher, 30)).isEqualTo(IntStream.range(0, 20).boxed().toList());
      assertThat(prefetcher.threads()).isEqualTo(1);
    }
  }

  @Test
  void aFailingTask_isRethrownToTheConsumer() {
    Iterator<Callable<Integer>> failing = List.<Callable<Integer>>of(() -> 1, () -> {
      throw new IllegalArgumentException("bad image");
    }).iterator();
    try (Prefetcher<Integer> prefetcher = new Prefetcher<>(failing, 2, 2)) {
      assertThat(prefetcher.next()).isEqualTo(1);
      assertThatThrownBy(prefetcher::next).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("bad image");
    }
  }
}
