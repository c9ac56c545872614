package io.jeras.savedmodels;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.bridge.GraphImport;
import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import io.jeras.utils.Shapes;
import java.nio.file.Path;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * Keras' {@code TFSMLayer}: a SavedModel (a Python-trained network, say) used as a frozen layer.
 * Its graph and function library are imported into the model's own graph, under the layer's
 * name, with the signature's input wired to this layer's input; its variables are restored from
 * the SavedModel when the model's session starts. Training a model with this layer trains the
 * layers after it; the SavedModel's weights never change (TensorFlow cannot differentiate
 * through a loaded SavedModel's functions; to fine-tune, import the Keras model's weights with
 * {@code KerasModels.load}).
 *
 * <p>Keras' default endpoint is {@code serve}; a signature with several outputs needs
 * {@link #output(String)}.
 *
 * <pre>{@code
 * Sequential model = Sequential.of(
 *     TFSMLayer.of(Path.of("python/cnn_features")),     // frozen, (None, 28, 28, 1) -> (None, 32)
 *     Dense.of(5).activation(SOFTMAX));
 * }</pre>
 */
public final class TFSMLayer extends Layer<TFSMLayer> {
  /** Keras' default endpoint. */
  public static final String DEFAULT_ENDPOINT = "serve";

  private final Path dir;
  private final MetaGraphDef meta;
  private final SignatureInfo signature;
  private final TensorSpec input;
  private final TensorSpec output;

  private TFSMLayer(LayerOptions options, Path dir, MetaGraphDef meta, String endpoint,
      String outputKey) {
    super(options);
    this.dir = dir;
    this.meta = meta;
    var def = meta.getSignatureDefMap().get(endpoint);
    if (def == null) {
      throw new IllegalArgumentException("The SavedModel in " + dir + " has no endpoint \""
          + endpoint + "\"; it has " + meta.getSignatureDefMap().keySet().stream()
              .filter(k -> !k.startsWith("__")).sorted().toList());
    }
    this.signature = SignatureInfo.of(endpoint, def);
    checkArgument(signature.inputs().size() == 1, "TFSMLayer takes one input; endpoint %s has %s",
        endpoint, signature.inputs().values());
    this.input = signature.inputs().values().iterator().next();
    if (outputKey == null) {
      checkArgument(signature.outputs().size() == 1, "endpoint %s has outputs %s; choose one"
          + " with output(key)", endpoint, signature.outputs().keySet());
      this.output = signature.outputs().values().iterator().next();
    } else {
      this.output = signature.outputs().get(outputKey);
      checkArgument(output != null, "endpoint %s has no output %s; it has %s", endpoint,
          outputKey, signature.outputs().keySet());
    }
    checkArgument(input.dtype() == DataType.DT_FLOAT && output.dtype() == DataType.DT_FLOAT,
        "TFSMLayer needs float32 in and out; endpoint %s is %s", endpoint, signature);
  }

  /** The SavedModel in {@code dir}, endpoint {@code serve}, as a frozen layer. */
  public static TFSMLayer of(Path dir) {
    MetaGraphDef meta = SavedModels.serveGraph(dir);
    TFSMLayer layer = new TFSMLayer(null, dir, meta, DEFAULT_ENDPOINT, null);
    return layer.withOptions(layer.options.withInputShape(Shapes.sampleShape(layer.input.shape()))
        .withTrainable(false));
  }

  /** Calls another signature of the SavedModel. */
  public TFSMLayer endpoint(String endpoint) {
    return new TFSMLayer(options, dir, meta, endpoint, null);
  }

  /** Takes output {@code key} of a signature with several outputs. */
  public TFSMLayer output(String key) {
    return new TFSMLayer(options, dir, meta, signature.key(), key);
  }

  /** The signature this layer calls. */
  public SignatureInfo signature() {
    return signature;
  }

  @Override
  public TFSMLayer trainable(boolean trainable) {
    checkArgument(!trainable, "A TFSMLayer cannot be trained: TensorFlow cannot take gradients"
        + " through a loaded SavedModel's functions. To fine-tune, import the Keras model"
        + " (.keras or .h5) with KerasModels.load");
    return this;
  }

  @Override
  protected TFSMLayer withOptions(LayerOptions options) {
    return new TFSMLayer(options, dir, meta, signature.key(), output.key());
  }

  @Override
  protected Shape computeOutputShape(Shape in) {
    checkArgument(Shapes.compatible(in, input.shape()), "the SavedModel's %s takes %s",
        signature.key(), Shapes.format(input.shape()));
    return Shape.of(in.get(0)).append(Shapes.sampleShape(output.shape()));
  }

  @Override
  public Operand<TFloat32> call(CallContext context, Operand<TFloat32> x) {
    return context.shared("tfsm/" + name(), () -> importInto(context, x));
  }

  @SuppressWarnings("unchecked")
  private Operand<TFloat32> importInto(CallContext context, Operand<TFloat32> x) {
    Graph graph = (Graph) context.tf().scope().env();
    String prefix = name();
    GraphImport.importGraphDef(graph, meta.getGraphDef(), prefix, Map.of(input.tensorName(), x));
    var saver = meta.getSaverDef();
    String variables = dir.resolve("variables").resolve("variables").toAbsolutePath().toString();
    String init = meta.getSignatureDefMap().containsKey("__saved_model_init_op")
        ? meta.getSignatureDefMap().get("__saved_model_init_op").getOutputsMap()
            .get("__saved_model_init_op").getName() : null;
    context.onSessionStart(session -> {
      if (!saver.getRestoreOpName().isEmpty()) {
        try (TString path = TString.scalarOf(variables)) {
          session.runner().feed(prefix + "/" + saver.getFilenameTensorName(), path)
              .addTarget(prefix + "/" + saver.getRestoreOpName()).run().close();
        }
      }
      if (init != null && graph.operation(prefix + "/" + nodeName(init)) != null) {
        session.runner().addTarget(prefix + "/" + nodeName(init)).run().close();
      }
    });
    return (Output<TFloat32>) graph.outputOrThrow(prefix + "/" + output.tensorName());
  }

  private static String nodeName(String tensor) {
    int colon = tensor.indexOf(':');
    return colon < 0 ? tensor : tensor.substring(0, colon);
  }
}
