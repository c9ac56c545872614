package io.jeras.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README.md's "Use Jeras in your project" works as written: its {@code pom.xml} and its Java
 * program, taken from the README itself, build with Maven against the Jeras artifacts this
 * build just packaged and run, training one epoch and printing evaluate's loss and accuracy.
 *
 * <p>The user's local repository is only read. The Jeras artifacts (the parent pom and the
 * {@code target/*.jar} and {@code pom.xml} of tf-bridge, dsl and savedmodels, which a reactor
 * {@code mvn verify} packages before this module since examples depends on them) go into a
 * temporary local repository; a settings file puts the user's local repository first as a
 * {@code file:} repository for everything else (copied from there, Maven Central as fallback).
 * Skipped when the jars are not there (e.g. {@code mvn test}, which packages nothing).
 */
class ReadmeConsumerProjectTest {
  private static final String SECTION = "## Use Jeras in your project";
  private static final List<String> MODULES = List.of("tf-bridge", "dsl", "savedmodels");

  @TempDir
  Path dir;

  @Test
  void readmesPomAndProgram_buildAndRunAgainstTheBuiltArtifacts() throws Exception {
    Path root = Path.of("").toAbsolutePath().getParent();
    String version = System.getProperty("jeras.version", "0.1.0-SNAPSHOT");
    for (String module : MODULES) {
      assumeTrue(Files.exists(jar(root, module, version)), "no " + jar(root, module, version)
          + " (run mvn package or verify)");
    }
    String section = section(Files.readString(root.resolve("README.md")));
    String pom = block(section, "xml");
    String program = block(section, "java");

    Path repository = dir.resolve("repository");
    install(root.resolve("pom.xml"), null, repository, "jeras-parent", version);
    for (String module : MODULES) {
      install(root.resolve(module).resolve("pom.xml"), jar(root, module, version), repository,
          "jeras-" + module, version);
    }
    Path project = dir.resolve("first-model");
    Files.createDirectories(project);
    Files.writeString(project.resolve("pom.xml"), pom);
    Matcher pkg = Pattern.compile("(?m)^package ([\\w.]+);").matcher(program);
    Matcher cls = Pattern.compile("(?m)^public (?:final )?class (\\w+)").matcher(program);
    assertThat(cls.find()).as("the README's program declares a public class").isTrue();
    String packageName = pkg.find() ? pkg.group(1) : "";
    String mainClass = packageName.isEmpty() ? cls.group(1) : packageName + "." + cls.group(1);
    Path source = project.resolve("src/main/java").resolve(packageName.replace('.', '/'))
        .resolve(cls.group(1) + ".java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, program);
    Path settings = dir.resolve("settings.xml");
    Files.writeString(settings, settings(userRepository()));

    run(project, List.of(mvn(), "-B", "-q", "-s", settings.toString(),
        "-Dmaven.repo.local=" + repository, "package"));
    String output = run(project, List.of(java(), "-cp",
        "target/classes" + File.pathSeparator + "target/lib/*", mainClass));

    Matcher evaluate = Pattern.compile("(?m)^evaluate: \\{(.*)}$").matcher(output);
    assertThat(evaluate.find()).as(output).isTrue();
    assertThat(value(evaluate.group(1), "loss")).as("loss").isBetween(0.0, 1.0);
    assertThat(value(evaluate.group(1), "accuracy")).as("accuracy").isBetween(0.7, 1.0);
    assertThat(output).doesNotContain("SLF4J");
  }

  /** {@code name}'s value in a printed {@code Map<String, Double>}. */
  private static double value(String map, String name) {
    Matcher m = Pattern.compile("(?:^|, )" + name + "=([-\\d.Ee]+)").matcher(map);
    assertThat(m.find()).as(name + " in {" + map + "}").isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static Path jar(Path root, String module, String version) {
    return root.resolve(module).resolve("target").resolve("jeras-" + module + "-" + version
        + ".jar");
  }

  /** The README's section, up to the next second-level heading. */
  private static String section(String readme) {
    int start = readme.indexOf(SECTION);
    assertThat(start).as("README.md has \"" + SECTION + "\"").isNotNegative();
    int end = readme.indexOf("\n## ", start + SECTION.length());
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  /** The section's first fenced block of {@code language}. */
  private static String block(String section, String language) {
    Matcher m = Pattern.compile("(?s)\n```" + language + "\n(.*?)\n```").matcher(section);
    assertThat(m.find()).as("a ```" + language + " block in the README's section").isTrue();
    return m.group(1) + "\n";
  }

  /** Lays a pom (and a jar) out in {@code repository} as {@code mvn install} would. */
  private static void install(Path pom, Path jar, Path repository, String artifactId,
      String version) throws IOException {
    Path to = repository.resolve("io/jeras").resolve(artifactId).resolve(version);
    Files.createDirectories(to);
    String name = artifactId + "-" + version;
    Files.copy(pom, to.resolve(name + ".pom"), StandardCopyOption.REPLACE_EXISTING);
    if (jar != null) {
      Files.copy(jar, to.resolve(name + ".jar"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The repository Maven running this build uses (surefire passes it), else ~/.m2's. */
  private static Path userRepository() {
    String configured = System.getProperty("jeras.userRepository", "");
    return configured.isEmpty() || configured.contains("${")
        ? Path.of(System.getProperty("user.home"), ".m2", "repository")
        : Path.of(configured);
  }

  /**
   * Settings whose first repository is the user's local repository, releases only, so that
   * io.jeras snapshots come from the temporary repository alone.
   */
  private static String settings(Path userRepository) {
    String repository = """
            <id>user-local-repository</id>
            <url>%s</url>
            <releases><enabled>true</enabled></releases>
            <snapshots><enabled>false</enabled></snapshots>
        """.formatted(userRepository.toUri());
    return """
        <settings>
          <profiles>
            <profile>
              <id>user-local-repository</id>
              <repositories>
                <repository>
        %s        </repository>
              </repositories>
              <pluginRepositories>
                <pluginRepository>
        %s        </pluginRepository>
              </pluginRepositories>
            </profile>
          </profiles>
          <activeProfiles>
            <activeProfile>user-local-repository</activeProfile>
          </activeProfiles>
        </settings>
        """.formatted(repository, repository);
  }

  private static String mvn() {
    String home = System.getProperty("jeras.mavenHome", "");
    if (!home.isEmpty() && !home.contains("${")) {
      Path mvn = Path.of(home, "bin", "mvn");
      if (Files.isExecutable(mvn)) {
        return mvn.toString();
      }
    }
    return "mvn";
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private String run(Path workingDir, List<String> command) throws IOException,
      InterruptedException {
    Path log = dir.resolve("output-" + System.nanoTime() + ".txt");
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(
        workingDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("TF_CPP_MIN_LOG_LEVEL", "2");
    Process process = builder.start();
    boolean finished = process.waitFor(5, TimeUnit.MINUTES);
    if (!finished) {
      process.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(finished).as("%s finished in 5 minutes:%n%s", command, output).isTrue();
    assertThat(process.exitValue()).as("%s:%n%s", command, output).isZero();
    return output;
  }
}
