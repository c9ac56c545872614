package io.jeras.savedmodels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jeras.bridge.HostValue;
import io.jeras.input.InvalidInputException;
import io.jeras.saving.ModelState;
import io.jeras.utils.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The Jeras checkpoint file: a zip holding {@code checkpoint.json} (format, model, layers,
 * optimizer, epochs completed, the list of variables) and one NumPy {@code .npy} array per
 * variable, {@code weights/<name>.npy} and {@code optimizer/<name>.npy}. That makes it an
 * {@code .npz}: {@code numpy.load(path)["weights/conv2d/kernel.npy"]} reads a weight in Python.
 *
 * <p>Written to a temporary file beside the target and moved into place, so a crash leaves any
 * previous checkpoint intact. Reading checks every entry's CRC and size (a truncated or corrupt
 * file fails naming itself) and that the arrays match the variable list.
 */
public final class CheckpointFile {
  /** The value of {@code format} in {@code checkpoint.json}. */
  public static final String FORMAT = "jeras-checkpoint";
  public static final int VERSION = 1;
  static final String METADATA = "checkpoint.json";
  private static final String WEIGHTS = "weights/";
  private static final String OPTIMIZER = "optimizer/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private CheckpointFile() {}

  /** Writes {@code state} to {@code path} atomically. */
  public static void write(ModelState state, Path path) {
    if (Files.isDirectory(path)) {
      throw new IllegalArgumentException("Please specify a file path for the checkpoint; " + path
          + " is a directory");
    }
    AtomicFiles.write(path, out -> {
      ZipOutputStream zip = new ZipOutputStream(out);
      zip.putNextEntry(new ZipEntry(METADATA));
      zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(metadata(state)));
      zip.closeEntry();
      writeArrays(zip, WEIGHTS, state.weights());
      writeArrays(zip, OPTIMIZER, state.optimizerState());
      zip.finish();
    });
  }

  private static void writeArrays(ZipOutputStream zip, String group, Map<String, HostValue> values)
      throws IOException {
    for (Map.Entry<String, HostValue> e : values.entrySet()) {
      zip.putNextEntry(new ZipEntry(group + e.getKey() + ".npy"));
      Npy.write(e.getValue(), zip);
      zip.closeEntry();
    }
  }

  private static ObjectNode metadata(ModelState state) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    root.put("model", state.model());
    ArrayNode layers = root.putArray("layers");
    state.layers().forEach(layers::add);
    if (state.optimizer() == null) {
      root.putNull("optimizer");
    } else {
      root.put("optimizer", state.optimizer());
    }
    root.put("epoch", state.epoch());
    ArrayNode variables = root.putArray("variables");
    addVariables(variables, WEIGHTS, state.weights());
    addVariables(variables, OPTIMIZER, state.optimizerState());
    return root;
  }

  private static void addVariables(ArrayNode variables, String group,
      Map<String, HostValue> values) {
    values.forEach((name, value) -> {
      ObjectNode variable = variables.addObject();
      variable.put("entry", group + name + ".npy");
      variable.put("dtype", value.floats() != null ? "float32" : "int64");
      ArrayNode shape = variable.putArray("shape");
      for (long d : value.shape().asArray()) {
        shape.add(d);
      }
    });
  }

  /** Reads and checks the checkpoint in {@code path}. */
  public static ModelState read(Path path) {
    if (Files.isDirectory(path)) {
      throw new InvalidInputException(path.toString(), "a directory, not a Jeras"
          + " checkpoint file");
    }
    JsonNode metadata = null;
    Map<String, HostValue> arrays = new HashMap<>();
    try (ZipInputStream zip =
        new ZipInputStream(new BufferedInputStream(Files.newInputStream(path)))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        if (entry.getName().equals(METADATA)) {
          metadata = JSON.readTree(zip.readAllBytes());
        } else if (entry.getName().endsWith(".npy")) {
          arrays.put(entry.getName(), Npy.read(zip, path + "!" + entry.getName()));
          drain(zip);
        }
      }
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("Checkpoint " + path + " does not exist", e);
    } catch (InvalidInputException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      // ZipInputStream's report of an entry name that is not valid UTF-8
      throw new InvalidInputException(path.toString(), "a corrupt zip entry (" + e.getMessage()
          + ")", e);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(path.toString(), METADATA + " is not valid JSON ("
          + e.getOriginalMessage() + ")", e);
    } catch (EOFException | ZipException e) {
      throw new InvalidInputException(path.toString(), "truncated or corrupt ("
          + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read checkpoint " + path + ": " + e.getMessage(), e);
    }
    if (metadata == null) {
      throw new InvalidInputException(path.toString(), "not a Jeras checkpoint: it"
          + " has no " + METADATA + (arrays.isEmpty() ? " (and is not a zip file)" : ""));
    }
    return state(path, metadata, arrays);
  }

  private static void drain(InputStream in) throws IOException {
    byte[] buffer = new byte[8192];
    while (in.read(buffer) >= 0) {
      // reading to the end makes ZipInputStream check the entry's size and CRC
    }
  }

  private static ModelState state(Path path, JsonNode metadata, Map<String, HostValue> arrays) {
    if (!FORMAT.equals(metadata.path("format").asText())
        || metadata.path("version").asInt() != VERSION) {
      throw new InvalidInputException(path.toString(), "not a Jeras checkpoint of"
          + " version " + VERSION + ": " + METADATA + " says format="
          + metadata.path("format") + ", version=" + metadata.path("version"));
    }
    Map<String, HostValue> weights = new LinkedHashMap<>();
    Map<String, HostValue> optimizer = new LinkedHashMap<>();
    for (JsonNode variable : metadata.path("variables")) {
      String entry = variable.path("entry").asText();
      HostValue value = arrays.get(entry);
      if (value == null) {
        throw new InvalidInputException(path.toString(), "incomplete: it lists "
            + entry + " but does not hold it");
      }
      String dtype = value.floats() != null ? "float32" : "int64";
      List<Long> shape = new ArrayList<>();
      variable.path("shape").forEach(d -> shape.add(d.asLong()));
      List<Long> actual = new ArrayList<>();
      for (long d : value.shape().asArray()) {
        actual.add(d);
      }
      if (!dtype.equals(variable.path("dtype").asText()) || !shape.equals(actual)) {
        throw new InvalidInputException(path.toString(), "inconsistent: " + entry
            + " is listed as " + variable.path("dtype").asText() + shape + " but holds " + value);
      }
      String name = entry.substring(entry.indexOf('/') + 1, entry.length() - ".npy".length());
      (entry.startsWith(WEIGHTS) ? weights : optimizer).put(name, value);
    }
    List<String> layers = new ArrayList<>();
    metadata.path("layers").forEach(l -> layers.add(l.asText()));
    JsonNode optimizerName = metadata.path("optimizer");
    return new ModelState(metadata.path("model").asText(), layers,
        optimizerName.isNull() || optimizerName.isMissingNode() ? null : optimizerName.asText(),
        metadata.path("epoch").asInt(), weights, optimizer);
  }
}
