package io.jeras.applications;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.activations.Activations;
import io.jeras.layers.KerasTensor;
import io.jeras.layers.core.Activation;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Input;
import io.jeras.layers.pooling.GlobalAveragePooling2D;
import io.jeras.layers.pooling.GlobalMaxPooling2D;
import io.jeras.models.Functional;
import io.jeras.models.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import lombok.With;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * What every {@code keras.applications} constructor takes, as an immutable builder: each setter
 * returns a new builder, {@link #build()} makes the model. The defaults are Keras' except for
 * the weights: Jeras does not download, so a model starts from its initializers (Keras'
 * {@code weights=None}) unless {@link #imagenetWeights()} (the file Keras downloads, read from
 * Keras' cache folder) or {@link #weights(Path)} (any Keras weights file) says otherwise.
 *
 * <pre>{@code
 * Model model = Applications.vgg16().includeTop(false).inputShape(150, 150, 3).pooling("avg")
 *     .weights(Path.of("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5")).build();
 * }</pre>
 *
 * <p>The layers, their names, their order and their weights are Keras' own, so the weight
 * files of {@code keras.applications} (Keras 2 {@code .h5} files, matched by the order of the
 * layers holding weights) and Keras 3 weight files of the same architecture load as they load
 * in Keras. Arguments are checked as Keras checks them, with Keras' messages.
 *
 * @param <B> the family's builder type, so that setters chain
 */
public abstract class ApplicationBuilder<B extends ApplicationBuilder<B>> {
  /** Keras' UserWarnings about arguments (Keras prints them through Python's warnings). */
  static final System.Logger LOG = System.getLogger("io.jeras.applications");
  /** Keras' error for a {@code weights} argument that is not a file. */
  private static final String WEIGHTS_MESSAGE = "The `weights` argument should be either `None`"
      + " (random initialization), 'imagenet' (pre-training on ImageNet), or the path to the"
      + " weights file to be loaded.  Received: weights=%s";

  /**
   * The arguments every architecture has.
   *
   * @param includeTop whether the classifier is included
   * @param imagenet whether Keras' ImageNet weights are loaded (Keras' {@code weights="imagenet"})
   * @param weightsFile a weights file to load, or null
   * @param inputShape the sample shape (height, width, channels; -1 unknown), or null for the
   *     default
   * @param pooling null, "avg" or "max"
   * @param classes the number of classes of the classifier
   * @param classifierActivation the classifier's activation (linear for logits)
   * @param name the model's name, or null for the architecture's
   */
  @With
  record Arguments(boolean includeTop, boolean imagenet, Path weightsFile, long[] inputShape,
      String pooling, int classes, Activations classifierActivation, String name) {
    static final Arguments DEFAULTS = new Arguments(true, false, null, null, null, 1000,
        Activations.SOFTMAX, null);

    /** Keras' {@code weights} argument as Keras would print it. */
    String weightsText() {
      return imagenet ? "imagenet" : weightsFile == null ? "None" : weightsFile.toString();
    }

    /** Whether any weights are loaded (Keras' {@code weights is not None}). */
    boolean pretrained() {
      return imagenet || weightsFile != null;
    }
  }

  final Arguments arguments;

  ApplicationBuilder(Arguments arguments) {
    this.arguments = arguments;
  }

  /** A copy of this builder with other common arguments. */
  abstract B with(Arguments arguments);

  /** The model, its layers applied to {@code arguments}; weights are loaded afterwards. */
  abstract Functional architecture();

  /** The name of the file Keras downloads for these arguments (its cache name). */
  public abstract String imagenetWeightsFile();

  /** The address Keras downloads {@link #imagenetWeightsFile()} from. */
  public abstract String imagenetWeightsUrl();

  /** How this family's {@code preprocess_input} transforms pixels. */
  abstract Preprocessing preprocessing();

  /**
   * Keras' {@code include_top}: whether to include the classifier at the top of the network
   * (default true).
   */
  public B includeTop(boolean includeTop) {
    return with(arguments.withIncludeTop(includeTop));
  }

  /**
   * Keras' {@code weights="imagenet"}: after building, loads the file Keras downloads for this
   * architecture ({@link #imagenetWeightsFile()}) from Keras' cache folder, {@code
   * $KERAS_HOME/models} or else {@code ~/.keras/models} (the Java system property {@code
   * keras.home} overrides both). Jeras does not download: a missing file fails naming it, the
   * folder and the address Keras downloads it from. Keras' checks apply (1000 classes with the
   * top, the default input size with the top, 3 channels, ...).
   */
  public B imagenetWeights() {
    return with(arguments.withImagenet(true).withWeightsFile(null));
  }

  /**
   * Keras' {@code weights=path}: after building, loads a Keras weights file (a Keras 2 {@code
   * .h5} as {@code keras.applications} downloads, a Keras 3 {@code .weights.h5}, or the weights
   * of a {@code .keras} file) with {@link Model#loadKerasWeights(Path)}. Null means no weights
   * (Keras' {@code weights=None}, the default here).
   */
  public B weights(Path weightsFile) {
    return with(arguments.withWeightsFile(weightsFile).withImagenet(false));
  }

  /**
   * Keras' {@code input_shape}: height, width and channels; -1 is an unknown size (Keras'
   * {@code None}), allowed where Keras allows it (without the top, for most architectures).
   * No argument means the architecture's default.
   */
  public B inputShape(long... inputShape) {
    return with(arguments.withInputShape(inputShape == null || inputShape.length == 0 ? null
        : inputShape.clone()));
  }

  /**
   * Keras' {@code pooling} when the top is not included: null (the last feature map, 4-D),
   * {@code "avg"} (global average pooling) or {@code "max"} (global max pooling). Keras
   * ignores other values; Jeras refuses them.
   */
  public B pooling(String pooling) {
    checkArgument(pooling == null || pooling.equals("avg") || pooling.equals("max"),
        "pooling must be None, \"avg\" or \"max\", got \"%s\"", pooling);
    return with(arguments.withPooling(pooling));
  }

  /** Keras' {@code classes}: the number of classes of the classifier (default 1000). */
  public B classes(int classes) {
    return with(arguments.withClasses(classes));
  }

  /**
   * Keras' {@code classifier_activation}: the activation of the top layer, by Keras name
   * (default {@code "softmax"}); null returns the logits. With pretrained weights only null and
   * softmax are allowed.
   */
  public B classifierActivation(String activation) {
    return classifierActivation(Activations.of(activation));
  }

  /** {@link #classifierActivation(String)} as an enum; {@code LINEAR} returns the logits. */
  public B classifierActivation(Activations activation) {
    return with(arguments.withClassifierActivation(activation == null ? Activations.LINEAR
        : activation));
  }

  /** Keras' {@code name}: the model's name (default the architecture's). */
  public B name(String name) {
    return with(arguments.withName(name));
  }

  /** Whether the classifier is included. */
  public boolean includeTop() {
    return arguments.includeTop;
  }

  /** The requested input shape (height, width, channels), or null for the default. */
  public long[] inputShape() {
    return arguments.inputShape == null ? null : arguments.inputShape.clone();
  }

  /** The pooling without the top: null, "avg" or "max". */
  public String pooling() {
    return arguments.pooling;
  }

  /** The number of classes. */
  public int classes() {
    return arguments.classes;
  }

  /** The classifier's activation ({@code LINEAR} for logits). */
  public Activations classifierActivation() {
    return arguments.classifierActivation;
  }

  /** Whether {@link #build()} loads Keras' ImageNet weights. */
  public boolean usesImagenetWeights() {
    return arguments.imagenet;
  }

  /** The weights file {@link #build()} loads, or null. */
  public Path weightsFile() {
    return arguments.weightsFile;
  }

  /**
   * Builds the model (a {@link Functional} named as Keras names it) and loads the weights asked
   * for. Fails as Keras fails on arguments that do not fit together.
   */
  public Functional build() {
    if (arguments.weightsFile != null && !Files.exists(arguments.weightsFile)) {
      throw new IllegalArgumentException(String.format(WEIGHTS_MESSAGE,
          arguments.weightsFile));
    }
    if (arguments.imagenet && arguments.includeTop && arguments.classes != 1000) {
      throw new IllegalArgumentException("If using `weights='imagenet'` with"
          + " `include_top=True`, `classes` should be 1000.  Received classes="
          + arguments.classes);
    }
    Functional model = architecture();
    Path weights = arguments.imagenet ? KerasCache.find(imagenetWeightsFile(),
        imagenetWeightsUrl()) : arguments.weightsFile;
    if (weights != null) {
      model.loadKerasWeights(weights);
    }
    return model;
  }

  /**
   * This family's {@code preprocess_input}: a new array of images (NHWC, pixels 0..255, RGB)
   * prepared as the pretrained weights expect them. The input is not changed.
   */
  public FloatNdArray preprocessInput(FloatNdArray images) {
    return preprocessing().apply(images);
  }

  // ---- helpers shared by the families

  /**
   * Keras' {@code imagenet_utils.obtain_input_shape} (channels last): the requested input shape
   * checked against the architecture's minimum size, or the default one.
   */
  long[] obtainInputShape(int defaultSize, int minSize) {
    return obtainInputShape(arguments.inputShape, defaultSize, minSize, arguments.includeTop,
        arguments.imagenet);
  }

  /** {@link #obtainInputShape(int, int)} for a given shape and requirement. */
  static long[] obtainInputShape(long[] inputShape, int defaultSize, int minSize,
      boolean requireFlatten, boolean imagenet) {
    long[] defaultShape;
    if (!imagenet && inputShape != null && inputShape.length == 3) {
      if (inputShape[2] != 1 && inputShape[2] != 3) {
        LOG.log(System.Logger.Level.WARNING, "This model usually expects 1 or 3 input channels."
            + " However, it was passed an input_shape with " + dim(inputShape[2])
            + " input channels.");
      }
      defaultShape = new long[] {defaultSize, defaultSize, inputShape[2]};
    } else {
      defaultShape = new long[] {defaultSize, defaultSize, 3};
    }
    if (imagenet && requireFlatten) {
      if (inputShape != null && !Arrays.equals(inputShape, defaultShape)) {
        throw new IllegalArgumentException("When setting `include_top=True` and loading"
            + " `imagenet` weights, `input_shape` should be " + tuple(defaultShape) + ".  "
            + "Received: input_shape=" + tuple(inputShape));
      }
      return defaultShape;
    }
    long[] shape;
    if (inputShape != null) {
      if (inputShape.length != 3) {
        throw new IllegalArgumentException("`input_shape` must be a tuple of three integers.");
      }
      if (inputShape[2] != 3 && imagenet) {
        throw new IllegalArgumentException("The input must have 3 channels; Received"
            + " `input_shape=" + tuple(inputShape) + "`");
      }
      if (inputShape[0] >= 0 && inputShape[0] < minSize
          || inputShape[1] >= 0 && inputShape[1] < minSize) {
        throw new IllegalArgumentException("Input size must be at least " + minSize + "x"
            + minSize + "; Received: input_shape=" + tuple(inputShape));
      }
      shape = inputShape.clone();
    } else {
      shape = requireFlatten ? defaultShape : new long[] {-1, -1, 3};
    }
    if (requireFlatten && Arrays.stream(shape).anyMatch(d -> d < 0)) {
      throw new IllegalArgumentException("If `include_top` is True, you should specify a"
          + " static `input_shape`. Received: input_shape=" + tuple(shape));
    }
    for (long d : shape) {
      checkArgument(d > 0 || d == -1, "input_shape dimensions must be positive or -1"
          + " (unknown), got %s", tuple(shape));
    }
    return shape;
  }

  /** Keras' {@code validate_activation}: pretrained weights take only softmax or no activation. */
  void validateActivation() {
    Activations activation = arguments.classifierActivation;
    if (arguments.pretrained() && activation != Activations.SOFTMAX
        && activation != Activations.LINEAR) {
      throw new IllegalArgumentException("Only `None` and `softmax` activations are allowed for"
          + " the `classifier_activation` argument when using pretrained weights, with"
          + " `include_top=True`; Received: classifier_activation=" + activation.kerasName());
    }
  }

  /** The input tensor of {@code shape} (Keras' {@code layers.Input(shape=input_shape)}). */
  static KerasTensor input(long[] shape) {
    return Input.of(shape).tensor();
  }

  /**
   * The usual ending: without the top, the optional global pooling named {@code avgName} /
   * {@code maxName} (null: Keras' automatic name).
   */
  KerasTensor poolFeatures(KerasNames names, KerasTensor x, String avgName, String maxName) {
    if ("avg".equals(arguments.pooling)) {
      return names.name(GlobalAveragePooling2D.of(), avgName).apply(x);
    } else if ("max".equals(arguments.pooling)) {
      return names.name(GlobalMaxPooling2D.of(), maxName).apply(x);
    }
    return x;
  }

  /** The classifier {@code Dense(classes, activation=classifier_activation)} named as given. */
  Dense classifier(String name) {
    validateActivation();
    return Dense.of(arguments.classes).activation(arguments.classifierActivation).name(name);
  }

  /** Keras' {@code layers.Activation(classifier_activation, name=name)}. */
  Activation classifierActivationLayer(String name) {
    validateActivation();
    return Activation.of(arguments.classifierActivation).name(name);
  }

  /** The model, named {@code arguments.name} or else {@code defaultName}. */
  Functional model(KerasTensor input, KerasTensor output, String defaultName) {
    return Model.of(modelName(defaultName), List.of(input), List.of(output));
  }

  /** The model's name: the one asked for, or else {@code defaultName}. */
  String modelName(String defaultName) {
    return arguments.name != null ? arguments.name : defaultName;
  }

  /** Python's text of a shape tuple: {@code (224, 224, 3)}, {@code (None, None, 3)}. */
  static String tuple(long[] shape) {
    StringBuilder text = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      text.append(i == 0 ? "" : ", ").append(dim(shape[i]));
    }
    return text.append(shape.length == 1 ? ",)" : ")").toString();
  }

  private static String dim(long d) {
    return d < 0 ? "None" : Long.toString(d);
  }
}
