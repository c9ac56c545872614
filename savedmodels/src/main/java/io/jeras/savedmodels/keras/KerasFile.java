package io.jeras.savedmodels.keras;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jeras.input.InvalidInputException;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Group;
import io.jhdf.exceptions.HdfException;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * An opened Keras file, whatever its name says: the format is decided by its first bytes. A zip
 * is a Keras 3 {@code .keras} archive ({@code config.json}, {@code metadata.json},
 * {@code model.weights.h5}); an HDF5 file is a whole Keras 2 model (a {@code model_config}
 * attribute and a {@code model_weights} group), a Keras 3 weights file ({@code layers/...}) or a
 * Keras 2 weights file ({@code layer_names}). Close it to release the HDF5 file and the
 * temporary copy of an archive's weights.
 */
final class KerasFile implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] ZIP = {'P', 'K', 3, 4};
  private static final byte[] EMPTY_ZIP = {'P', 'K', 5, 6};
  private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  /**
   * jHDF's logger. jHDF logs every file it opens, lists and closes at INFO through SLF4J, which
   * Jeras binds to java.util.logging; its level is WARNING unless the logging configuration sets
   * {@code io.jhdf.level}. Held here because java.util.logging forgets the level of a logger
   * nothing references.
   */
  private static final java.util.logging.Logger JHDF_LOG = quietJhdf();

  /** How the weights are laid out. */
  enum Layout {
    /** By each layer's place: {@code layers/<class>[_n]/vars/<i>} (Keras 3). */
    KERAS3,
    /** By layer name: {@code layer_names}, {@code weight_names} (Keras 2, and Keras 3's .h5). */
    LEGACY
  }

  private final Path path;
  private final JsonNode config;
  private final String kerasVersion;
  private final HdfFile h5;
  private final Group weights;
  private final Layout layout;
  private final Path temporary;
  /** Sharded weights (Keras 3.10+ {@code .weights.json}): each vars group's shard files. */
  private final Map<String, List<HdfFile>> shards;

  private static java.util.logging.Logger quietJhdf() {
    java.util.logging.Logger log = java.util.logging.Logger.getLogger("io.jhdf");
    if (log.getLevel() == null
        && java.util.logging.LogManager.getLogManager().getProperty("io.jhdf.level") == null) {
      log.setLevel(java.util.logging.Level.WARNING);
    }
    return log;
  }

  private KerasFile(Path path, JsonNode config, String kerasVersion, HdfFile h5, Group weights,
      Layout layout, Path temporary) {
    this(path, config, kerasVersion, h5, weights, layout, temporary, Map.of());
  }

  private KerasFile(Path path, JsonNode config, String kerasVersion, HdfFile h5, Group weights,
      Layout layout, Path temporary, Map<String, List<HdfFile>> shards) {
    this.path = path;
    this.config = config;
    this.kerasVersion = kerasVersion;
    this.h5 = h5;
    this.weights = weights;
    this.layout = layout;
    this.temporary = temporary;
    this.shards = shards;
  }

  /** Opens {@code path}; fails naming it when it is not a Keras file. */
  static KerasFile open(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException("Keras model file " + path + " does not exist");
    }
    byte[] head = head(path);
    if (startsWith(head, ZIP) || startsWith(head, EMPTY_ZIP)) {
      return archive(path);
    }
    if (startsWith(head, HDF5)) {
      return hdf5(path);
    }
    if (head.length > 0 && head[0] == '{') {
      return shardIndex(path);
    }
    throw new IllegalArgumentException(path + " is not a Keras file: expected a .keras archive"
        + " (a zip) or an HDF5 .h5 file, but it starts with bytes "
        + HexFormat.ofDelimiter(" ").formatHex(head));
  }

  private static byte[] head(Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      return in.readNBytes(8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + path, e);
    }
  }

  private static boolean startsWith(byte[] head, byte[] magic) {
    return head.length >= magic.length
        && Arrays.equals(Arrays.copyOf(head, magic.length), magic);
  }

  private static KerasFile archive(Path path) {
    JsonNode config;
    JsonNode metadata;
    Path weights = null;
    try (ZipFile zip = new ZipFile(path.toFile())) {
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        String entry = e.nextElement().getName();
        if (entry.startsWith("/") || entry.startsWith("\\") || entry.matches("^[A-Za-z]:.*")
            || List.of(entry.split("[/\\\\]")).contains("..")) {
          throw new IllegalArgumentException("Keras file " + path + " holds an unsafe entry \""
              + entry + "\" (absolute path or ..); refusing to read it");
        }
      }
      config = json(zip, "config.json", path);
      metadata = zip.getEntry("metadata.json") == null ? null
          : json(zip, "metadata.json", path);
      ZipEntry entry = zip.getEntry("model.weights.h5");
      if (entry == null) {
        String shards = zip.getEntry("model.weights.json") != null
            ? " (its weights are sharded into several files, which Jeras does not read yet)"
            : "";
        throw new IllegalArgumentException("Keras file " + path + " has no model.weights.h5"
            + shards);
      }
      // a file, not bytes: the weights of a large model exceed what one array holds
      weights = Files.createTempFile("jeras-keras-weights", ".h5");
      try (InputStream in = zip.getInputStream(entry)) {
        Files.copy(in, weights, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      // the file was readable (its first bytes were): what fails now is its content, a broken
      // zip or compressed data that ends early
      deleteQuietly(weights);
      throw new InvalidInputException(path.toString(), "not a readable .keras archive (a broken"
          + " zip: " + e + ")", e);
    } catch (RuntimeException e) {
      deleteQuietly(weights);
      throw e;
    }
    try {
      HdfFile h5 = openHdf5(weights);
      String version = metadata == null ? "" : metadata.path("keras_version").asText("");
      return new KerasFile(path, config, version, h5, h5, Layout.KERAS3, weights);
    } catch (HdfException e) {
      deleteQuietly(weights);
      throw new IllegalArgumentException("The weights in " + path + " (model.weights.h5) are"
          + " not a readable HDF5 file: " + e.getMessage(), e);
    }
  }

  private static JsonNode json(ZipFile zip, String name, Path path) throws IOException {
    ZipEntry entry = zip.getEntry(name);
    if (entry == null) {
      throw new IllegalArgumentException("Keras file " + path + " has no " + name);
    }
    try (InputStream in = zip.getInputStream(entry)) {
      return JSON.readTree(in);
    } catch (JsonProcessingException e) {
      throw invalidJson(path, name, e.getOriginalMessage(), e);
    } catch (CharConversionException e) {
      throw invalidJson(path, name, e.getMessage(), e);
    }
  }

  private static InvalidInputException invalidJson(Path path, String name, String detail,
      Exception cause) {
    String problem = name + " in " + path + " is not valid JSON: " + detail;
    return new InvalidInputException(path.toString(), problem, problem, cause);
  }

  /**
   * Opens an HDF5 file memory-mapped. jHDF then reads each structure as a slice of the file, so
   * a size a corrupt file declares past its end fails that read at once; through a file channel
   * jHDF first allocates a buffer of the declared size (gigabytes for a few corrupt bytes).
   * A file over 2 GiB, more than one buffer maps, is read through a channel.
   */
  static HdfFile openHdf5(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size > Integer.MAX_VALUE) {
        return new HdfFile(file);
      }
      return HdfFile.fromByteBuffer(channel.map(FileChannel.MapMode.READ_ONLY, 0, size));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
  }

  private static KerasFile hdf5(Path path) {
    HdfFile h5;
    try {
      h5 = openHdf5(path);
    } catch (HdfException e) {
      throw new IllegalArgumentException(path + " is not a readable HDF5 file: "
          + e.getMessage(), e);
    }
    try {
      String version = attribute(h5, "keras_version");
      Attribute modelConfig = h5.getAttribute("model_config");
      if (modelConfig != null) {
        JsonNode config;
        try {
          config = JSON.readTree(attributeString(modelConfig));
        } catch (JsonProcessingException e) {
          throw new IllegalArgumentException("The model_config of " + path + " is not valid"
              + " JSON: " + e.getOriginalMessage(), e);
        }
        if (!(h5.getChild("model_weights") instanceof Group weights)) {
          throw new IllegalArgumentException(path + " holds a model_config but no"
              + " model_weights group");
        }
        String weightsVersion = attribute(weights, "keras_version");
        return new KerasFile(path, config, version.isEmpty() ? weightsVersion : version, h5,
            weights, Layout.LEGACY, null);
      }
      if (h5.getAttribute("layer_names") != null) {
        return new KerasFile(path, null, version, h5, h5, Layout.LEGACY, null);
      }
      if (h5.getChildren().containsKey("layers") || h5.getChildren().containsKey("vars")
          || h5.getChildren().containsKey("_layer_checkpoint_dependencies")) {
        return new KerasFile(path, null, version, h5, h5, Layout.KERAS3, null);
      }
      throw new IllegalArgumentException(path + " is an HDF5 file but not a Keras one: it has"
          + " no model_config, no layer_names and no layers group");
    } catch (RuntimeException e) {
      h5.close();
      if (e instanceof IllegalArgumentException) {
        throw e;
      }
      throw new IllegalArgumentException(path + " is not a readable Keras .h5 file: "
          + e.getMessage(), e);
    }
  }

  /**
   * Keras 3.10+'s sharded weights: a {@code .weights.json} index whose {@code weight_map} names,
   * for each {@code /layers/.../vars} group, the shard files (beside the index) holding it.
   */
  private static KerasFile shardIndex(Path path) {
    JsonNode index;
    try {
      index = JSON.readTree(path.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(path + " is neither a Keras file nor a readable"
          + " sharded-weights index: " + e.getMessage(), e);
    }
    JsonNode map = index.path("weight_map");
    if (!map.isObject()) {
      throw new IllegalArgumentException(path + " is JSON but not a Keras sharded-weights"
          + " index (it has no weight_map)");
    }
    Map<String, HdfFile> opened = new LinkedHashMap<>();
    Map<String, List<HdfFile>> shards = new LinkedHashMap<>();
    try {
      for (var it = map.fields(); it.hasNext(); ) {
        var entry = it.next();
        List<HdfFile> files = new ArrayList<>();
        for (JsonNode shard : entry.getValue()) {
          String name = shard.asText();
          if (name.contains("/") || name.contains("\\") || name.equals("..")) {
            throw new IllegalArgumentException(path + " names a shard outside its folder: "
                + name);
          }
          Path file = path.resolveSibling(name);
          if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(path + " names shard " + name
                + ", which does not exist beside it");
          }
          files.add(opened.computeIfAbsent(name, n -> openHdf5(file)));
        }
        shards.put(entry.getKey().replaceFirst("^/", ""), files);
      }
    } catch (RuntimeException e) {
      opened.values().forEach(HdfFile::close);
      throw e;
    }
    HdfFile first = opened.isEmpty() ? null : opened.values().iterator().next();
    if (first == null) {
      throw new IllegalArgumentException(path + " lists no weight shards");
    }
    return new KerasFile(path, null, "", first, first, Layout.KERAS3, null, shards);
  }

  /** The groups holding the weights at {@code varsPath} (one, several shards, or none). */
  List<Group> vars(String varsPath) {
    if (shards.isEmpty()) {
      return KerasWeights.keras3Group(weights, varsPath);
    }
    List<Group> groups = new ArrayList<>();
    for (HdfFile shard : shards.getOrDefault(varsPath, List.of())) {
      groups.addAll(KerasWeights.keras3Group(shard, varsPath));
    }
    return groups;
  }

  private static String attribute(Group group, String name) {
    Attribute attribute = group.getAttribute(name);
    return attribute == null ? "" : attributeString(attribute);
  }

  private static String attributeString(Attribute attribute) {
    Object data = attribute.getData();
    return data instanceof String[] strings ? strings[0] : String.valueOf(data);
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // a temporary file; nothing else to do
      }
    }
  }

  /** Where the weights are, for messages: the file, or the entry of an archive. */
  String weightsSource() {
    return temporary == null ? path.toString() : "model.weights.h5 in " + path;
  }

  Path path() {
    return path;
  }

  /** The model config, or null for a weights-only file. */
  JsonNode config() {
    return config;
  }

  /** The Keras version that wrote the file ("" if it does not say). */
  String kerasVersion() {
    return kerasVersion;
  }

  /** Whether Keras 2 (or older) wrote the file. */
  boolean keras2() {
    return kerasVersion.matches("[12]\\..*");
  }

  Group weights() {
    return weights;
  }

  Layout layout() {
    return layout;
  }

  @Override
  public void close() {
    if (shards.isEmpty()) {
      h5.close();
    }
    shards.values().stream().flatMap(List::stream).distinct().forEach(HdfFile::close);
    deleteQuietly(temporary);
  }
}
