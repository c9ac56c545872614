package io.jeras.savedmodels;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Python scripts in {@code savedmodels/python} with the interpreter of the project's
 * virtualenv ({@code python/venv.sh} creates it with real TensorFlow and TensorBoard from PyPI).
 * A script that fails fails the test with its output.
 */
public final class PythonChecks {
  static final Path PYTHON_DIR = Path.of("python").toAbsolutePath();
  private static String interpreter;
  private static String latestInterpreter;

  private PythonChecks() {}

  /** The python of the TensorFlow 2.18 venv, created on first use. */
  static synchronized String python() throws IOException, InterruptedException {
    if (interpreter == null) {
      interpreter = venv("");
    }
    return interpreter;
  }

  /** The python of the newest-TensorFlow venv, created on first use. */
  static synchronized String latestPython() throws IOException, InterruptedException {
    if (latestInterpreter == null) {
      latestInterpreter = venv("latest");
    }
    return latestInterpreter;
  }

  private static String venv(String which) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("bash", PYTHON_DIR.resolve("venv.sh").toString(), which)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IllegalStateException("could not create the Python virtualenv " + which
          + " from " + PYTHON_DIR + " (needs python3 and PyPI)");
    }
    return out.trim();
  }

  /** Runs {@code script} with the TensorFlow 2.18 venv; returns its output, or fails with it. */
  public static String run(String script, String... args) throws IOException, InterruptedException {
    return run(python(), script, args);
  }

  /** Runs {@code script} with the newest-TensorFlow venv. */
  static String runLatest(String script, String... args) throws IOException, InterruptedException {
    return run(latestPython(), script, args);
  }

  private static String run(String python, String script, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(python);
    command.add(PYTHON_DIR.resolve(script).toString());
    command.addAll(List.of(args));
    Path log = Files.createTempFile("python-check", ".log");
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      boolean finished = process.waitFor(15, TimeUnit.MINUTES);
      String output = Files.readString(log);
      if (!finished) {
        process.destroyForcibly();
        throw new AssertionError(script + " did not finish in 15 minutes:\n" + output);
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(script + " failed (exit " + process.exitValue() + "):\n" + output);
      }
      return output;
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
