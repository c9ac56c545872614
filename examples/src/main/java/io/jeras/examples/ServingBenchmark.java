package io.jeras.examples;

import io.jeras.data.Data;
import io.jeras.examples.benchmarks.Benchmarks;
import io.jeras.examples.benchmarks.Worker;
import io.jeras.models.Sequential;
import io.jeras.savedmodels.LoadedModel;
import io.jeras.savedmodels.SavedModels;
import io.jeras.savedmodels.serving.DynamicBatcher;
import io.jeras.savedmodels.serving.ModelVersions;
import io.jeras.savedmodels.serving.RestServer;
import io.jeras.utils.AtomicFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Serving under load, loopback only: {@code --clients} threads each sending one-image requests
 * (the benchmark CNN's SavedModel) to the in-process {@code LoadedModel} and to the REST server,
 * each without and with dynamic batching: requests per second, p50 and p99 latency, and the
 * batcher's mean batch. With {@code --soak N}, then N requests to the batching server with the
 * process' resident memory every tenth of them.
 *
 * <pre>
 * java -jar jeras-examples.jar serving-benchmark [--clients 8] [--requests 4000] [--soak 0]
 * </pre>
 */
public final class ServingBenchmark {
  private ServingBenchmark() {}

  /** One request of the load: returns when answered; throws when it failed. */
  private interface Call {
    void run() throws Exception;
  }

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv, List.of("clients", "requests", "soak"));
    int clients = args.getInt("clients", 8);
    int requests = args.getInt("requests", 4000);
    int soak = args.getInt("soak", 0);
    System.out.printf(Locale.ROOT, "CPU: %s (%d cores; %s)%n", Benchmarks.cpuModel(),
        Runtime.getRuntime().availableProcessors(), Benchmarks.cpuFeatures());
    Path dir = Files.createTempDirectory("jeras-serving-benchmark");
    try {
      Path base = dir.resolve("cnn");
      try (Sequential model = FashionMnistCnn.model()) {
        model.save(base.resolve("1"));
      }
      float[] pixels = new float[784];
      Random random = new Random(3);
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = random.nextFloat();
      }
      String body = "{\"instances\": [" + json(pixels) + "]}";
      System.out.printf(Locale.ROOT, "%d clients, %d requests of one 28x28x1 image each%n",
          clients, requests);
      System.out.printf(Locale.ROOT, "%-34s %10s %9s %9s %11s%n", "", "requests/s", "p50 ms",
          "p99 ms", "mean batch");
      try (LoadedModel model = SavedModels.load(base.resolve("1"))) {
        String inputName = model.signature("serving_default").inputs().keySet().iterator()
            .next();
        Map<String, Object> input = Map.of(inputName, Data.floats(pixels, 1, 28, 28, 1));
        report("in-process, no batching", load(clients, requests,
            () -> model.call("serving_default", input)), null);
        try (DynamicBatcher batcher = new DynamicBatcher(model,
            DynamicBatcher.Options.defaults())) {
          report("in-process, dynamic batching", load(clients, requests,
              () -> batcher.predict("serving_default", input)), batcher.stats());
        }
      }
      for (boolean batching : new boolean[] {false, true}) {
        try (ModelVersions versions = new ModelVersions(base, batching
                ? DynamicBatcher.Options.defaults() : null, Duration.ZERO);
            RestServer server = new RestServer("cnn", versions, 0, 64, 64L << 20)) {
          HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
              .build();
          HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
              + server.port() + "/v1/models/cnn:predict"))
              .POST(HttpRequest.BodyPublishers.ofString(body)).build();
          Call call = () -> {
            HttpResponse<String> response = http.send(request,
                HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
              throw new IllegalStateException(response.body());
            }
          };
          DynamicBatcher.Stats before;
          try (ModelVersions.Lease lease = versions.acquire()) {
            before = lease.version().batcher().map(DynamicBatcher::stats).orElse(null);
          }
          double[] figures = load(clients, requests, call);
          DynamicBatcher.Stats after;
          try (ModelVersions.Lease lease = versions.acquire()) {
            after = lease.version().batcher().map(DynamicBatcher::stats).orElse(null);
          }
          report("REST server, " + (batching ? "dynamic batching" : "no batching"), figures,
              after == null ? null : new DynamicBatcher.Stats(after.batches() - before.batches(),
                  after.requests() - before.requests(), after.samples() - before.samples()));
          if (batching && soak > 0) {
            soak(clients, soak, call);
          }
        }
      }
    } finally {
      AtomicFiles.deleteTree(dir);
    }
  }

  private static void report(String what, double[] figures, DynamicBatcher.Stats stats) {
    System.out.printf(Locale.ROOT, "%-34s %10.0f %9.3f %9.3f %11s%n", what, figures[0],
        figures[1], figures[2], stats == null || stats.batches() == 0 ? "-"
            : String.format(Locale.ROOT, "%.2f", (double) stats.samples() / stats.batches()));
  }

  /** Warm-up, then {@code requests} calls from {@code clients} threads: rate, p50, p99. */
  private static double[] load(int clients, int requests, Call call) throws Exception {
    run(clients, Math.max(clients, requests / 10), call);
    long start = System.nanoTime();
    long[] nanos = run(clients, requests, call);
    double seconds = (System.nanoTime() - start) / 1e9;
    Arrays.sort(nanos);
    return new double[] {requests / seconds, nanos[nanos.length / 2] / 1e6,
        nanos[(int) (nanos.length * 0.99)] / 1e6};
  }

  private static long[] run(int clients, int requests, Call call) throws Exception {
    long[] nanos = new long[requests];
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        done.add(pool.submit(() -> {
          for (int i = client; i < requests; i += clients) {
            long t = System.nanoTime();
            call.run();
            nanos[i] = System.nanoTime() - t;
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return nanos;
  }

  private static void soak(int clients, int requests, Call call) throws Exception {
    int step = Math.max(1, requests / 10);
    List<Double> rss = new ArrayList<>();
    for (int done = 0; done < requests; done += step) {
      run(clients, Math.min(step, requests - done), call);
      rss.add(Worker.rssMb());
    }
    // the heap grows to its working size first; the second half says whether memory leaks
    double half = rss.get(rss.size() / 2 - 1);
    System.out.printf(Locale.ROOT, "soak: %d requests, resident memory MB after each tenth: %s;"
        + " over the second half %+.2f%%%n", requests, rss.stream()
        .map(v -> String.format(Locale.ROOT, "%.0f", v)).toList(),
        100 * (rss.get(rss.size() - 1) - half) / half);
  }

  private static String json(float[] pixels) {
    StringBuilder b = new StringBuilder("[");
    for (int y = 0; y < 28; y++) {
      b.append(y == 0 ? "[" : ", [");
      for (int x = 0; x < 28; x++) {
        b.append(x == 0 ? "[" : ", [").append(pixels[y * 28 + x]).append(']');
      }
      b.append(']');
    }
    return b.append(']').toString();
  }
}
