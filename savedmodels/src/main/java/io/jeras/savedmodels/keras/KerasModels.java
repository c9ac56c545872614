package io.jeras.savedmodels.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jeras.layers.Layer;
import io.jeras.models.Model;
import io.jeras.models.Sequential;
import java.nio.file.Path;

/**
 * Keras files, both ways. Reads Keras 3 {@code .keras} archives and Keras 2 {@code .h5} files
 * (whole models, and weights into a model built in Java) as trainable Jeras models, nested
 * models included; writes Keras 3 {@code .keras} archives that Python's
 * {@code keras.models.load_model} opens.
 *
 * <pre>{@code
 * Model model = KerasModels.load(Path.of("transfer.keras"));
 * model.nestedModel("vgg16").setTrainable(false);
 * ...
 * KerasModels.save(model, Path.of("fine-tuned.keras"));     // or model.saveKeras(path)
 * }</pre>
 *
 * <p>Every layer or option that cannot be imported is reported in one {@link
 * KerasImportException}, by root cause; Python code (a {@code Lambda}, a custom class) gets a
 * Java implementation through {@link #loader()}.
 */
public final class KerasModels {
  private KerasModels() {}

  /** A loader to register Java implementations of custom layer classes with. */
  public static KerasLoader loader() {
    return new KerasLoader();
  }

  /** Loads a {@code .keras} or {@code .h5} Keras model; see {@link KerasLoader#load}. */
  public static Model load(Path path) {
    return loader().load(path);
  }

  /** Loads a Keras model that is a chain of layers, as a Sequential. */
  public static Sequential loadSequential(Path path) {
    return loader().loadSequential(path);
  }

  /**
   * Keras' {@code model.save("model.keras")}: writes {@code model} (architecture and current
   * weights) as a Keras 3 {@code .keras} archive that Python's {@code keras.models.load_model}
   * opens, atomically (assembled elsewhere, then moved into place). Every layer must have a
   * Keras form; the error lists those that do not.
   */
  public static void save(Model model, Path path) {
    KerasArchive.write(model, path);
  }

  /**
   * One layer's entry in a Keras model config ({@code {"module": ..., "class_name": "Conv2D",
   * "config": {...}}}), as Keras 3 writes it.
   *
   * @throws IllegalArgumentException when the layer has no Keras form
   */
  public static ObjectNode layerConfig(Layer<?> layer) {
    return ModelWriter.layer(layer);
  }

  /**
   * The Jeras layer for one layer entry of a Keras model config, by the same rules as a whole
   * file: every key used or known not to change the computation.
   *
   * @throws KerasImportException listing what cannot be imported
   */
  public static Layer<?> layerFromConfig(JsonNode entry) {
    ModelReader reader = new ModelReader(java.util.Map.of(), false);
    Layer<?> layer = reader.layer(entry);
    if (!reader.problems().isEmpty()) {
      throw new KerasImportException(null, reader.problems());
    }
    return layer;
  }

  /** Keras' {@code model.load_weights(path)}; see {@link KerasLoader#loadWeights}. */
  public static void loadWeights(Model model, Path path) {
    loader().loadWeights(model, path);
  }
}
