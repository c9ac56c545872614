package io.jeras.savedmodels.keras;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jeras.data.Data;
import io.jeras.layers.WeightSpec;
import io.jeras.models.Model;
import io.jeras.savedmodels.hdf5.Hdf5Writer;
import io.jeras.savedmodels.keras.mappings.LayerMapping;
import io.jeras.savedmodels.keras.mappings.LayerMappings;
import io.jeras.utils.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Writes a Keras 3 {@code .keras} archive, as {@code model.save("model.keras")} does:
 * {@code metadata.json}, {@code config.json} and {@code model.weights.h5} (each layer's weights
 * at its place, {@code layers/<class>[_n]/vars/<i>}, written by Jeras' own HDF5 writer). The
 * archive is assembled in a temporary file and moved into place.
 */
final class KerasArchive {
  /** The Keras release whose file format this writes. */
  static final String KERAS_FORMAT_VERSION = "3.8.0";
  private static final ObjectMapper JSON = new ObjectMapper();

  private KerasArchive() {}

  static void write(Model model, Path path) {
    ObjectNode config = ModelWriter.config(model);
    Map<String, FloatNdArray> values = model.weights();
    Path weights = null;
    try {
      weights = Files.createTempFile("jeras-keras-weights", ".h5");
      writeWeights(model, values, weights);
      Path h5 = weights;
      AtomicFiles.write(path, out -> zip(out, config, h5));
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + path + ": " + e.getMessage(), e);
    } finally {
      if (weights != null) {
        try {
          Files.deleteIfExists(weights);
        } catch (IOException e) {
          // a temporary file
        }
      }
    }
  }

  private static void zip(OutputStream out, ObjectNode config, Path weights) throws IOException {
    ObjectNode metadata = JSON.createObjectNode();
    metadata.put("keras_version", KERAS_FORMAT_VERSION);
    metadata.put("date_saved", LocalDateTime.now().format(
        DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss")));
    metadata.put("written_by", "Jeras");
    ZipOutputStream zip = new ZipOutputStream(out);
    zip.putNextEntry(new ZipEntry("metadata.json"));
    zip.write(JSON.writeValueAsBytes(metadata));
    zip.closeEntry();
    zip.putNextEntry(new ZipEntry("config.json"));
    zip.write(JSON.writeValueAsBytes(config));
    zip.closeEntry();
    zip.putNextEntry(new ZipEntry("model.weights.h5"));
    Files.copy(weights, zip);
    zip.closeEntry();
    zip.finish();
  }

  /** Every layer's weights at its Keras 3 place, in Keras' order. */
  static void writeWeights(Model model, Map<String, FloatNdArray> values, Path file)
      throws IOException {
    try (Hdf5Writer h5 = Hdf5Writer.create(file)) {
      Hdf5Writer.Group root = h5.root();
      Hdf5Writer.Group layers = root.group("layers");
      for (WeightLayout.Entry entry : WeightLayout.entries(model)) {
        Hdf5Writer.Group group = layers;
        String[] parts = entry.kerasPath().split("/");
        for (int i = 1; i < parts.length; i++) { // parts[0] is "layers"
          group = group.groupIfAbsent(parts[i]);
        }
        Hdf5Writer.Group vars = group.group("vars");
        vars.attribute("name", entry.name());
        int i = 0;
        for (WeightSpec spec : entry.specs()) {
          FloatNdArray value = values.get(entry.prefix() + "/" + spec.name());
          long[] shape = value.shape().asArray();
          String name = Integer.toString(i++);
          LayerMapping mapping = LayerMappings.forLayer(entry.layer());
          if (mapping != null && mapping.int64Weights().contains(spec.name())) {
            float[] floats = Data.toFloatArray(value);
            long[] longs = new long[floats.length];
            for (int k = 0; k < floats.length; k++) {
              longs[k] = Math.round(floats[k]);
            }
            vars.dataset(name, shape, longs);
          } else {
            vars.dataset(name, shape, Data.toFloatArray(value));
          }
        }
      }
      root.group("vars");
    }
  }
}
