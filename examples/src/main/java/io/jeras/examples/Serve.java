package io.jeras.examples;

import io.jeras.savedmodels.serving.DynamicBatcher;
import io.jeras.savedmodels.serving.ModelVersions;
import io.jeras.savedmodels.serving.RestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A TF Serving-compatible REST server for one model in TF Serving's layout ({@code base/1},
 * {@code base/2}, ...), with TF Serving's flag names (as {@code --flag value} or {@code
 * --flag=value}):
 *
 * <pre>
 * java -jar jeras-examples.jar serve --model_name NAME --model_base_path DIR
 *     [--rest_api_port 8501] [--enable_batching true] [--max_batch_size 32]
 *     [--batch_timeout_micros 1000] [--max_enqueued_batches 1000]
 *     [--file_system_poll_wait_seconds 1] [--rest_api_num_threads 64]
 *     [--max_body_bytes 67108864]
 * </pre>
 */
public final class Serve {
  private Serve() {}

  public static void main(String[] argv) throws Exception {
    List<String> split = new ArrayList<>();
    for (String arg : argv) {
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        split.add(arg.substring(0, eq));
        split.add(arg.substring(eq + 1));
      } else {
        split.add(arg);
      }
    }
    Args args = new Args(split.toArray(new String[0]), List.of("model_name", "model_base_path",
        "rest_api_port", "enable_batching", "max_batch_size", "batch_timeout_micros",
        "max_enqueued_batches", "file_system_poll_wait_seconds", "rest_api_num_threads",
        "max_body_bytes"));
    String name = args.get("model_name", null);
    String basePath = args.get("model_base_path", null);
    if (name == null || basePath == null) {
      throw new IllegalArgumentException("serve needs --model_name and --model_base_path");
    }
    DynamicBatcher.Options batching = Boolean.parseBoolean(args.get("enable_batching", "false"))
        ? DynamicBatcher.Options.defaults().maxBatchSize(args.getInt("max_batch_size", 32))
            .batchTimeout(Duration.ofNanos(1000L * args.getInt("batch_timeout_micros", 1000)))
            .maxQueuedRequests(args.getInt("max_enqueued_batches", 1000))
        : null;
    ModelVersions versions = new ModelVersions(Path.of(basePath), batching,
        Duration.ofSeconds(args.getInt("file_system_poll_wait_seconds", 1)));
    RestServer server = new RestServer(name, versions, args.getInt("rest_api_port", 8501),
        args.getInt("rest_api_num_threads", 64),
        Long.parseLong(args.get("max_body_bytes", Long.toString(64L << 20))));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      versions.close();
    }));
    System.out.println("Serving model \"" + name + "\" version " + versions.currentVersion()
        + " from " + basePath + " on http://0.0.0.0:" + server.port() + "/v1/models/" + name
        + (batching == null ? "" : " with dynamic batching (" + batching.maxBatchSize()
        + " samples, " + batching.batchTimeout().toNanos() / 1000 + " us)"));
    Thread.currentThread().join();
  }
}
