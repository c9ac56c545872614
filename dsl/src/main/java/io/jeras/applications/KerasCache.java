package io.jeras.applications;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where {@code keras.utils.get_file} keeps what {@code keras.applications} downloads: the
 * {@code models} folder of Keras' home, {@code $KERAS_HOME} or else {@code ~/.keras} (or
 * {@code /tmp/.keras} when that is not writable, as Keras decides). The Java system property
 * {@code keras.home} overrides Keras' home (tests point it at their own folder).
 */
public final class KerasCache {
  /** The Java system property that replaces Keras' home folder. */
  public static final String PROPERTY = "keras.home";

  private KerasCache() {}

  /** The folders searched, in order: the one Keras uses first. */
  public static List<Path> modelFolders() {
    List<Path> folders = new ArrayList<>();
    String property = System.getProperty(PROPERTY);
    if (property != null && !property.isEmpty()) {
      folders.add(Path.of(property).resolve("models"));
      return folders;
    }
    String env = System.getenv("KERAS_HOME");
    Path home;
    if (env != null) {
      home = Path.of(env);
    } else {
      Path user = Path.of(System.getProperty("user.home"));
      home = (Files.isWritable(user) ? user : Path.of("/tmp")).resolve(".keras");
    }
    // get_file downloads to /tmp/.keras when Keras' home is not writable (or does not exist)
    Path used = Files.isWritable(home) ? home : Path.of("/tmp", ".keras");
    folders.add(used.resolve("models"));
    if (!used.equals(home)) {
      folders.add(home.resolve("models"));
    }
    return folders;
  }

  /**
   * The cached file {@code fileName}, which Keras downloads from {@code url}; fails naming the
   * file, the folders searched and the address when it is not there (Jeras does not download).
   */
  public static Path find(String fileName, String url) {
    List<Path> folders = modelFolders();
    for (Path folder : folders) {
      Path file = folder.resolve(fileName);
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    throw new IllegalStateException("Keras' ImageNet weights file " + fileName + " is not in"
        + " Keras' cache folder " + (folders.size() == 1 ? folders.get(0) : folders) + ". Jeras"
        + " does not download: fetch it from " + url + " into " + folders.get(0) + " (Python's"
        + " keras.applications does so on first use), or point the Java system property "
        + PROPERTY + " (or $KERAS_HOME) at the Keras home folder holding models/" + fileName);
  }
}
