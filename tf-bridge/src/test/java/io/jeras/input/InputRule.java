package io.jeras.input;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The rule every fuzz test enforces on a reader of outside bytes: the input either reads or the
 * reader throws an {@link InvalidInputException} whose message names the input. Anything else
 * (another exception, an {@link OutOfMemoryError}, a {@link StackOverflowError}) propagates, and
 * Jazzer records the input as a finding; a JVM crash or a hang ends the fuzzing run.
 */
public final class InputRule {
  /** What a fuzz test reads. */
  @FunctionalInterface
  public interface Reader {
    void read() throws Exception;
  }

  private InputRule() {}

  /** Runs {@code reader}, which reads the input named {@code source}, under the rule. */
  public static void check(String source, Reader reader) throws Exception {
    try {
      reader.read();
    } catch (InvalidInputException e) {
      if (!e.getMessage().contains(source)) {
        throw new AssertionError("the message does not name " + source + ": " + e.getMessage(),
            e);
      }
      if (e.problem() == null || e.problem().isBlank()) {
        throw new AssertionError("the exception says nothing about what was wrong", e);
      }
    }
  }

  /**
   * Writes {@code bytes} to {@code name} (a relative path) in a temporary directory removed
   * afterwards, and reads that file under the rule.
   */
  public static void checkFile(String name, byte[] bytes, FileReader reader) throws Exception {
    Path dir = Files.createTempDirectory("jeras-fuzz");
    Path file = dir.resolve(name);
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, bytes);
      check(file.toString(), () -> reader.read(file));
    } finally {
      delete(dir);
    }
  }

  /** What a fuzz test reads from a file. */
  @FunctionalInterface
  public interface FileReader {
    void read(Path file) throws Exception;
  }

  private static void delete(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.deleteIfExists(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
