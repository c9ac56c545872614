package io.jeras.savedmodels;

import static io.jeras.activations.Activations.RELU;
import static io.jeras.activations.Activations.SOFTMAX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jeras.Jeras;
import io.jeras.data.Data;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Input;
import io.jeras.layers.pooling.MaxPooling2D;
import io.jeras.layers.reshaping.Flatten;
import io.jeras.models.Sequential;
import io.jeras.trainers.Fit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Every native TensorFlow resource Jeras opens is closed: a SavedModel loaded, used and closed
 * 1,000 times, and a model built, trained, used and closed 200 times, leave resident memory
 * flat; closing a loaded model while another thread predicts through it fails that thread's
 * call cleanly instead of crashing the JVM.
 *
 * <p>Resident memory (Linux only; skipped elsewhere) is sampled every few iterations once a
 * warm-up (the first 20% of the iterations: the JIT, TensorFlow's kernels and thread pools,
 * malloc's arenas) is over, each sample after a full GC and a {@code malloc_trim} (see {@link
 * ResidentMemory}). Even when nothing leaks it moves by 10 to 20 MB from sample to sample, so
 * the tests compare the medians of the first and last quarters of the samples and bound the
 * least-squares slope.
 *
 * <p>The bounds are set against a real leak: {@code -Djeras.test.leakNativeResources=true}
 * keeps every model open instead of closing it (held in a list, as a cache that forgets to
 * close would hold it). Measured on a 2-core Linux machine, whole class in one JVM:
 *
 * <pre>
 *                       closed (passes)        left open (fails)         bounds
 * load/predict x1,000   -1.0 MB, 9.3 kB/it     239.1 MB,   420.5 kB/it   48 MB,  48 kB/it
 * train/predict x200     0.6 MB, 0.5 kB/it     165.4 MB, 1,481.1 kB/it   40 MB, 300 kB/it
 * </pre>
 *
 * (growth of the median between the first and last quarters, then the slope). One SavedModel
 * left open, this small MLP's graph, session and variables, costs about 0.4 MB; one trained
 * model about 1.5 MB. The closed loops also stay flat with JavaCPP's GC-driven freeing turned
 * off ({@code -Dsurefire.argLine="-Xmx4g -Dorg.bytedeco.javacpp.nopointergc=true"}: 5.9 MB,
 * 8.2 kB/iter and 2.5 MB, 19.0 kB/iter), so Jeras closes what it opens rather than leaving it
 * to the garbage collector. The class takes about 100 s there (1,000 loads 57 s, 200
 * trainings 28 s).
 *
 * <p>Before LoadedModel's close waited for runs in flight, the thread test failed every time
 * ("close() has been called on the Graph", "Run call was cancelled") and once crashed the JVM
 * (SIGSEGV in TensorFlow's executor, on the int8/uint64 inputs' direct C API path).
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
class NativeResourcesTest {
  /** Keeps every model open instead of closing it, to check that the bounds catch a leak. */
  private static final boolean LEAK = Boolean.getBoolean("jeras.test.leakNativeResources");

  @TempDir
  static Path dir;

  static Path savedModel;
  static FloatNdArray oneSample;

  @BeforeAll
  static void exportSmallModel() {
    Jeras.setRandomSeed(7);
    savedModel = dir.resolve("mlp");
    try (Sequential model = Sequential.of(Input.of(6).name("features"),
        Dense.of(16).activation(RELU), Dense.of(3).activation(SOFTMAX))) {
      model.save(savedModel);
    }
    oneSample = SavedModelExportTest.random(1, 1, 6);
  }

  /**
   * Load (a SavedModel Jeras exported: a Keras-written one takes about 300 ms to load, too slow
   * for 1,000 loads here), one prediction, close: 1,000 times.
   */
  @Test
  void loadPredictClose_1000Times_keepsResidentMemoryFlat() {
    assumeTrue(ResidentMemory.available(), "resident memory is read from Linux's /proc");
    int iterations = 1000;
    ResidentMemory rss = cycles(iterations, 20, () -> SavedModels.load(savedModel), model ->
        assertThat(model.predict(oneSample).shape().asArray()).containsExactly(1, 3));
    System.out.println("NativeResourcesTest load/predict/close x" + iterations + ": "
        + rss.report());
    assertThat(rss.growthMb()).as(rss.report()).isLessThan(48);
    assertThat(rss.slopeBytesPerIteration()).as(rss.report()).isLessThan(48 * 1024);
  }

  /** Build a small CNN, compile, fit one epoch (2 steps of 32), predict, close: 200 times. */
  @Test
  void trainPredictClose_200Times_keepsResidentMemoryFlat() {
    assumeTrue(ResidentMemory.available(), "resident memory is read from Linux's /proc");
    int iterations = 200;
    FloatNdArray x = SavedModelExportTest.random(2, 64, 28, 28, 1);
    int[] y = new int[64];
    for (int i = 0; i < y.length; i++) {
      y[i] = i % 10;
    }
    int[] seed = {0};
    ResidentMemory rss = cycles(iterations, 5, () -> {
      Jeras.setRandomSeed(++seed[0]);
      Sequential model = Sequential.of(Conv2D.of(4, 3).activation(RELU).inputShape(28, 28, 1),
          MaxPooling2D.of(2), Flatten.of(), Dense.of(10).activation(SOFTMAX));
      model.compile("adam", "sparse_categorical_crossentropy");
      return model;
    }, model -> {
      double loss = model.fit(x, Data.ints(y), Fit.epochs(1).batchSize(32).verbose(0))
          .history().get("loss").get(0);
      assertThat(loss).isFinite();
      assertThat(model.predict(x).shape().asArray()).containsExactly(64, 10);
    });
    System.out.println("NativeResourcesTest build/fit/predict/close x" + iterations + ": "
        + rss.report());
    assertThat(rss.growthMb()).as(rss.report()).isLessThan(40);
    assertThat(rss.slopeBytesPerIteration()).as(rss.report()).isLessThan(300 * 1024);
  }

  /**
   * Opens, uses and closes a resource {@code iterations} times (or keeps every one open, with
   * {@code -Djeras.test.leakNativeResources=true}, to show the bounds catch a leak), sampling
   * resident memory every {@code sampleEvery} iterations after the first fifth.
   */
  private static <T extends AutoCloseable> ResidentMemory cycles(int iterations, int sampleEvery,
      Supplier<T> open, Consumer<T> use) {
    int warmUp = iterations / 5;
    ResidentMemory rss = new ResidentMemory();
    List<T> leaked = new ArrayList<>();
    try {
      for (int i = 1; i <= iterations; i++) {
        T resource = open.get();
        try {
          use.accept(resource);
        } finally {
          if (LEAK) {
            leaked.add(resource);
          } else {
            close(resource);
          }
        }
        if (i == warmUp) {
          rss.warmedUp();
        } else if (i > warmUp && i % sampleEvery == 0) {
          rss.sample(i);
        }
      }
    } finally {
      leaked.forEach(NativeResourcesTest::close);
    }
    return rss;
  }

  private static void close(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A thread predicts in a loop while another closes the model: the predicting thread's next
   * call fails with "has been closed" (never a crash), through TensorFlow Java's session runner
   * (float inputs) and through Jeras' direct C API path (int8/int16/uint32/uint64 inputs).
   */
  @Test
  void closingWhileAnotherThreadPredicts_failsThatThreadsCallCleanly() throws Exception {
    closeWhilePredicting(() -> SavedModels.load(savedModel),
        model -> model.predict(oneSample));
    Path serving = Fixtures.dir("serving");
    JsonNode rare = new ObjectMapper().readTree(serving.resolve("signatures.json").toFile())
        .get("signatures").get("rare_dtypes").get("inputs");
    Map<String, Object> inputs = new LinkedHashMap<>();
    rare.fields().forEachRemaining(e ->
        inputs.put(e.getKey(), ServingSignaturesTest.ndArray(e.getValue())));
    closeWhilePredicting(() -> SavedModels.load(serving.resolve("signatures")),
        model -> model.call("rare_dtypes", inputs));
  }

  private static void closeWhilePredicting(Supplier<LoadedModel> load,
      Consumer<LoadedModel> predict) throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      for (int round = 0; round < 20; round++) {
        LoadedModel model = load.get();
        AtomicInteger calls = new AtomicInteger();
        Future<Throwable> ended = pool.submit(() -> {
          try {
            while (true) {
              predict.accept(model);
              calls.incrementAndGet();
            }
          } catch (Throwable t) {
            return t;
          }
        });
        // close after 1 to 5 calls, so the close lands at different points of a call
        int after = 1 + round % 5;
        while (calls.get() < after && !ended.isDone()) {
          Thread.onSpinWait();
        }
        model.close();
        Throwable failure = ended.get(60, TimeUnit.SECONDS);
        assertThat(failure).as("round %s", round).isInstanceOf(RuntimeException.class)
            .hasMessageContaining("has been closed");
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
