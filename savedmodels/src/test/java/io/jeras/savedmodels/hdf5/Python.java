package io.jeras.savedmodels.hdf5;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the Python helper scripts of the tests (h5py, Keras) in a subprocess. */
final class Python {

  /** Result of one run: exit code and the merged stdout/stderr. */
  record Result(int exitCode, String output) {
  }

  private Python() {
  }

  /** The venv with h5py 3.12 / Keras 3.8 (system property {@code jeras.python}). */
  static Path standard() {
    return interpreter("jeras.python", ".cache/jeras/venv/bin/python");
  }

  /** The venv with the latest Keras (system property {@code jeras.python.latest}). */
  static Path latest() {
    return interpreter("jeras.python.latest", ".cache/jeras/venv-latest/bin/python");
  }

  /** The latest-Keras venv, or null when it is not installed. */
  static Path latestIfPresent() {
    Path p = configured("jeras.python.latest", ".cache/jeras/venv-latest/bin/python");
    return Files.isExecutable(p) ? p : null;
  }

  private static Path configured(String property, String fallback) {
    String value = System.getProperty(property);
    return value != null && !value.isBlank() ? Path.of(value)
        : Path.of(System.getProperty("user.home"), fallback);
  }

  private static Path interpreter(String property, String fallback) {
    Path p = configured(property, fallback);
    if (!Files.isExecutable(p)) {
      throw new IllegalStateException("no Python interpreter at " + p + " (run"
          + " savedmodels/python/venv.sh, or set -D" + property + ")");
    }
    return p;
  }

  /** Copies a script from the test resources into {@code dir}. */
  static Path script(String name, Path dir) throws IOException {
    Path target = dir.resolve(name);
    try (InputStream in = Python.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("test resource " + name + " is missing");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  /** Runs {@code python script args...} and waits up to {@code timeoutSeconds}. */
  static Result run(Path python, Path script, long timeoutSeconds, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(python.toString());
    command.add(script.toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "3");
    pb.environment().put("PYTHONIOENCODING", "utf-8");
    Path log = Files.createTempFile("python", ".log");
    try {
      pb.redirectOutput(log.toFile());
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timeout after " + timeoutSeconds + " s: " + command
            + "\n" + Files.readString(log, StandardCharsets.UTF_8));
      }
      return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
