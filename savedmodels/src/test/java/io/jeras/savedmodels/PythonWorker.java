package io.jeras.savedmodels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A long-lived Python script from {@code savedmodels/python} answering one JSON command per
 * line (TensorFlow is imported once for many models). Its answers are the lines starting with
 * "@@ "; everything else it prints goes to a log, shown when a command fails.
 */
final class PythonWorker implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final BufferedReader out;
  private final Writer in;
  private final Path log;

  private PythonWorker(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8));
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
  }

  /** Starts {@code script} with the python of the TensorFlow 2.18 venv, or the newest one. */
  static PythonWorker start(String script, boolean latest, String... args) throws IOException,
      InterruptedException {
    String python = latest ? PythonChecks.latestPython() : PythonChecks.python();
    Path log = Files.createTempFile("python-worker", ".log");
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(python,
        PythonChecks.PYTHON_DIR.resolve(script).toString()));
    command.addAll(java.util.List.of(args));
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    return new PythonWorker(process, log);
  }

  /** Sends {@code command} and waits for its answer; a Python exception fails with its trace. */
  JsonNode call(Object command) throws IOException {
    in.write(JSON.writeValueAsString(command) + "\n");
    in.flush();
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("@@ ")) {
        JsonNode answer = JSON.readTree(line.substring(3));
        if (answer.has("error")) {
          throw new AssertionError("Python failed on " + command + ": "
              + answer.get("trace").asText());
        }
        return answer;
      }
    }
    throw new AssertionError("the Python worker stopped:\n" + tail());
  }

  private String tail() throws IOException {
    String text = Files.readString(log);
    return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    in.close();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    Files.deleteIfExists(log);
  }
}
