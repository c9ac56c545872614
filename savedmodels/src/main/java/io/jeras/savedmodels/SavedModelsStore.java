package io.jeras.savedmodels;

import io.jeras.models.Model;
import io.jeras.savedmodels.keras.KerasModels;
import io.jeras.saving.ModelState;
import io.jeras.saving.ModelStore;
import java.nio.file.Path;

/** This module's file formats, as the DSL finds them through {@link ModelStore#get()}. */
public final class SavedModelsStore implements ModelStore {

  @Override
  public void write(ModelState state, Path path) {
    CheckpointFile.write(state, path);
  }

  @Override
  public ModelState read(Path path) {
    return CheckpointFile.read(path);
  }

  @Override
  public void exportSavedModel(Model model, Path dir) {
    SavedModelExport.export(model, dir);
  }

  @Override
  public void saveKeras(Model model, Path path) {
    KerasModels.save(model, path);
  }

  @Override
  public void loadKerasWeights(Model model, Path path) {
    KerasModels.loadWeights(model, path);
  }
}
