package io.jeras.saving;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * The file formats of the {@code jeras-savedmodels} module: checkpoints of {@link ModelState}s
 * and SavedModel export. The DSL knows no file formats: the implementation comes
 * from the {@code jeras-savedmodels} module, found with {@link ServiceLoader}.
 */
public interface ModelStore {

  /** Writes {@code state} to {@code path} atomically (a crash leaves any previous file intact). */
  void write(ModelState state, Path path);

  /** Reads the state in {@code path}; a missing, truncated or foreign file fails naming it. */
  ModelState read(Path path);

  /**
   * Exports {@code model}'s inference graph and current weights as a TensorFlow SavedModel in
   * {@code dir}, atomically (written elsewhere and moved into place).
   */
  void exportSavedModel(io.jeras.models.Model model, Path dir);

  /** Writes {@code model} as a Keras 3 {@code .keras} archive, atomically. */
  void saveKeras(io.jeras.models.Model model, Path path);

  /** Reads a Keras weights file (or a whole model file's weights) into {@code model}. */
  void loadKerasWeights(io.jeras.models.Model model, Path path);

  /** The store on the classpath. */
  static ModelStore get() {
    Iterator<ModelStore> stores = ServiceLoader.load(ModelStore.class).iterator();
    if (!stores.hasNext()) {
      throw new IllegalStateException("Saving and loading checkpoints needs the jeras-savedmodels"
          + " module on the classpath (Maven artifact io.jeras:jeras-savedmodels)");
    }
    return stores.next();
  }
}
