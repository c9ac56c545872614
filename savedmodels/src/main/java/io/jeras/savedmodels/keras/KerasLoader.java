package io.jeras.savedmodels.keras;

import io.jeras.input.InvalidInputException;
import io.jeras.layers.Layer;
import io.jeras.models.Model;
import io.jeras.models.Sequential;
import io.jhdf.exceptions.HdfException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Loads Keras files, with Java implementations for layer classes Jeras does not know (Keras'
 * {@code custom_objects}). {@link KerasModels#load} is a loader without any.
 *
 * <pre>{@code
 * Model model = KerasModels.loader()
 *     .customLayer("Lambda", config -> Activation.of("relu"))
 *     .load(Path.of("model.h5"));
 * }</pre>
 */
public final class KerasLoader {
  private static final System.Logger LOG = System.getLogger("io.jeras.savedmodels.keras");
  private final Map<String, Function<LayerConfig, Layer<?>>> custom = new LinkedHashMap<>();
  private Integer sequenceLength;

  KerasLoader() {}

  /**
   * Registers a Java implementation for Keras layer class {@code className} (its
   * {@code class_name} in the config, as the import error names it). The factory reads the
   * layer's options from its config; the layer's weights are read from the file in Keras' order.
   */
  public KerasLoader customLayer(String className, KerasLayerFactory factory) {
    if (className == null || className.isEmpty() || factory == null) {
      throw new IllegalArgumentException("customLayer needs a class name and a factory");
    }
    custom.put(className, factory::create);
    return this;
  }

  /**
   * The number of steps of inputs whose length the Keras model leaves open ({@code
   * Input(shape=(None,))}, a text model taking sequences of any length): Jeras unrolls
   * recurrent layers over a known number of steps, so the imported model takes sequences of
   * this length; pad shorter ones with 0 (masked by {@code Embedding(mask_zero=True)}, they
   * give what they give unpadded).
   */
  public KerasLoader sequenceLength(int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("sequenceLength must be >= 1, got " + steps);
    }
    this.sequenceLength = steps;
    return this;
  }

  /**
   * Loads a Keras model, architecture and weights: a {@code .keras} archive or a whole-model
   * {@code .h5} file (the format is read from the file's first bytes, not its name). A
   * Sequential model, or a functional chain, comes back as a {@link Sequential}; nested models
   * stay nested, each layer with its trainable flag.
   *
   * @throws KerasImportException listing every layer or option that cannot be imported
   */
  public Model load(Path path) {
    return reading(path, () -> loadModel(path));
  }

  private Model loadModel(Path path) {
    try (KerasFile file = KerasFile.open(path)) {
      if (file.config() == null) {
        throw new IllegalArgumentException(path + " holds weights only, no model config: build"
            + " the model in Java and call model.loadKerasWeights(path)");
      }
      ModelReader reader = new ModelReader(custom, file.keras2(), sequenceLength);
      Model model = reader.read(file.config());
      if (!reader.problems().isEmpty()) {
        if (model != null) {
          model.close();
        }
        throw new KerasImportException(path, reader.problems());
      }
      try {
        KerasWeights.assign(model, read(model, file));
      } catch (RuntimeException e) {
        model.close();
        throw e;
      }
      return model;
    }
  }

  /** Loads a Keras model that is a chain of layers, as a Sequential (to cut or extend it). */
  public Sequential loadSequential(Path path) {
    Model model = load(path);
    if (model instanceof Sequential sequential) {
      return sequential;
    }
    model.close();
    throw new IllegalArgumentException(path + " holds a functional model with branches or"
        + " several inputs or outputs, not a chain of layers; load it with load()");
  }

  /**
   * Keras' {@code load_weights}: reads a Keras weights file ({@code .weights.h5} of Keras 3,
   * {@code save_weights} {@code .h5} of Keras 2, or the weights of a {@code .keras} or whole
   * model {@code .h5}) into {@code model}, matched as Keras matches them. Nothing changes unless
   * every weight fits; the error names the first layer that does not, and both shapes.
   */
  public void loadWeights(Model model, Path path) {
    reading(path, () -> {
      try (KerasFile file = KerasFile.open(path)) {
        KerasWeights.assign(model, read(model, file));
      }
      return null;
    });
  }

  /**
   * Runs a read of {@code path} so that whatever the file holds ends in a value or an {@link
   * InvalidInputException} naming it: the checks of the import and of the layers it builds
   * throw {@link IllegalArgumentException}s, and the HDF5 library reports corrupt data with its
   * own exceptions, thrown from inside it on any malformed structure.
   */
  private static <T> T reading(Path path, Supplier<T> read) {
    try {
      return read.get();
    } catch (InvalidInputException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw invalid(path, e.getMessage(), e);
    } catch (HdfException e) {
      throw invalid(path, "its HDF5 data is corrupt or truncated (" + e.getMessage() + ")", e);
    } catch (RuntimeException e) {
      if (thrownByHdf5Reader(e)) {
        throw invalid(path, "its HDF5 data is corrupt or truncated (" + e + " in the HDF5"
            + " reader)", e);
      }
      throw e;
    } catch (OutOfMemoryError e) {
      // reading a file over 2 GiB through a channel, jHDF allocates a buffer as large as a
      // structure's declared size before reading it: a corrupt size fails that one allocation,
      // which holds nothing else
      if (thrownByHdf5Reader(e)) {
        throw invalid(path, "its HDF5 data declares a structure larger than the memory"
            + " available (" + e.getMessage() + ")", null);
      }
      throw e;
    }
  }

  /** Whether the first frame outside the JDK that threw {@code e} is jHDF's. */
  private static boolean thrownByHdf5Reader(Throwable e) {
    for (StackTraceElement frame : e.getStackTrace()) {
      String name = frame.getClassName();
      if (!name.startsWith("java.") && !name.startsWith("jdk.") && !name.startsWith("sun.")) {
        return name.startsWith("io.jhdf.");
      }
    }
    return false;
  }

  private static InvalidInputException invalid(Path path, String problem, Exception cause) {
    String source = path.toString();
    String message = problem != null && problem.contains(source) ? problem
        : source + ": " + problem;
    return new InvalidInputException(source, problem, message, cause);
  }

  private static Map<String, FloatNdArray> read(Model model, KerasFile file) {
    try {
      return file.layout() == KerasFile.Layout.KERAS3
          ? KerasWeights.keras3(model, file::vars,
              KerasWeights.usesCheckpointDependencies(file.weights()), file.path())
          : KerasWeights.legacy(model, file.weights(), file.path());
    } catch (HdfException e) {
      throw new InvalidInputException(file.path().toString(), "corrupt or truncated weights",
          "The weights (" + file.weightsSource() + ") are corrupt or truncated: "
              + e.getMessage(), e);
    }
  }
}
