package io.jeras.savedmodels;

import static org.assertj.core.api.Assertions.assertThat;

import io.jeras.models.Sequential;
import io.jeras.savedmodels.keras.KerasModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Importing an .h5 file prints nothing from the libraries underneath (jHDF logs through SLF4J,
 * which Jeras binds to java.util.logging), and what they log can be switched on through
 * java.util.logging's configuration. Each case runs in a fresh JVM, since SLF4J and
 * java.util.logging initialize once per process.
 */
class DependencyLoggingTest {
  @TempDir
  Path dir;

  /** Imports the .h5 fixture given as the argument and says so. */
  public static void main(String[] args) {
    try (Sequential model = KerasModels.loadSequential(Path.of(args[0]))) {
      System.out.println("imported " + model.name());
    }
  }

  @Test
  void h5Import_printsNothingFromSlf4jOrJhdf() throws Exception {
    String output = importInChildJvm(List.of());

    assertThat(output).contains("imported cnn");
    assertThat(output).doesNotContain("SLF4J").doesNotContain("StaticLoggerBinder")
        .doesNotContain("jhdf").doesNotContain("jHDF");
  }

  @Test
  void jhdfsLogging_turnsOnThroughJavaUtilLoggingsConfiguration() throws Exception {
    Path config = dir.resolve("logging.properties");
    Files.writeString(config, """
        handlers=java.util.logging.ConsoleHandler
        java.util.logging.ConsoleHandler.level=ALL
        io.jhdf.level=INFO
        """);

    String output = importInChildJvm(List.of("-Djava.util.logging.config.file=" + config));

    // jHDF's INFO lines: its version, and its opening of the (memory-mapped) file
    assertThat(output).contains("imported cnn").contains("jHDF version")
        .contains("Reading HDF5 file").doesNotContain("SLF4J");
  }

  private String importInChildJvm(List<String> jvmOptions) throws IOException,
      InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(DependencyLoggingTest.class.getName());
    command.add(Fixtures.dir("tf2.18").resolve("cnn.h5").toString());
    Path log = dir.resolve("output-" + System.nanoTime() + ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    Process process = builder.start();
    assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("the child JVM finished").isTrue();
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
