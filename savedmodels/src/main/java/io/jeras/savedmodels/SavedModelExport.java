package io.jeras.savedmodels;

import io.jeras.Jeras;
import io.jeras.bridge.SavedModelWriter;
import io.jeras.models.Model;
import io.jeras.trainers.ModelGraph;
import io.jeras.utils.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;

/**
 * Exports a model as a SavedModel: a fresh graph holding only the weights and the inference
 * pass (Dropout is the identity there), the model's current weights, tag {@code serve} and the
 * signatures Keras 3's {@code model.export} writes, {@code serving_default} and {@code serve}.
 */
final class SavedModelExport {
  static final List<String> SIGNATURES = List.of("serving_default", "serve");
  static final List<String> TAGS = List.of("serve");

  private SavedModelExport() {}

  static void export(Model model, Path dir) {
    model.nodes().stream().filter(n -> n.layer() instanceof TFSMLayer).findFirst()
        .ifPresent(n -> {
          throw new IllegalArgumentException("Model " + model.name() + " cannot be exported:"
              + " layer " + n.name() + " is a TFSMLayer, whose SavedModel variables Jeras does"
              + " not re-export. Export the Jeras layers alone, or import the base with"
              + " KerasModels.load so its weights become the model's own.");
        });
    Path target = dir.toAbsolutePath();
    Path parent = target.getParent();
    Path temp = null;
    try (ModelGraph graph = ModelGraph.buildInference(model.nodes(), model.inputs(),
        model.outputs(), model.graphSeed(), Jeras.sessionOptions())) {
      graph.write(model.graph().read(model.graph().weightNames()));
      Files.createDirectories(parent);
      temp = Files.createTempDirectory(parent, "." + target.getFileName() + ".");
      Path staging = temp.resolve("model");
      Map<String, Operand<?>> inputs = new LinkedHashMap<>();
      for (int i = 0; i < model.inputs().size(); i++) {
        inputs.put(model.inputs().get(i).name(), graph.inputs().get(i));
      }
      Map<String, Operand<?>> outputs = new LinkedHashMap<>();
      for (int i = 0; i < graph.outputs().size(); i++) {
        outputs.put("output_" + i, graph.outputs().get(i));
      }
      SavedModelWriter.write(graph.runtime(), graph.variableStore(),
          SavedModelWriter.sameSignatures(SIGNATURES, inputs, outputs), TAGS, staging);
      replace(staging, target);
    } catch (IOException e) {
      throw new UncheckedIOException("could not export SavedModel to " + dir + ": "
          + e.getMessage(), e);
    } finally {
      if (temp != null) {
        AtomicFiles.deleteTree(temp);
      }
    }
  }

  /** Moves {@code staging} to {@code target}, replacing an existing directory. */
  private static void replace(Path staging, Path target) throws IOException {
    if (!Files.exists(target)) {
      AtomicFiles.moveIntoPlace(staging, target);
      return;
    }
    if (!Files.isDirectory(target)) {
      throw new IllegalArgumentException("cannot export a SavedModel to " + target
          + ": a file of that name exists");
    }
    Path old = staging.resolveSibling("previous");
    Files.move(target, old);
    AtomicFiles.moveIntoPlace(staging, target);
  }
}
