package io.jeras.bridge;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.train.Restore;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * Writes a graph and its variables as a TensorFlow SavedModel (a TF1-style MetaGraphDef: graph,
 * saver, signatures), which TensorFlow's C++ loader, TF Serving and Python's
 * {@code tf.saved_model.load} read.
 *
 * <p>The save and restore ops are added to the graph under {@code save/}, the variables are
 * written with TensorFlow's own {@code SaveV2} to {@code variables/variables.*}, then
 * {@code saved_model.pb}. The directory must not exist yet; callers write to a temporary one
 * and move it into place.
 */
public final class SavedModelWriter {
  /** The method name of prediction signatures. */
  public static final String PREDICT_METHOD = "tensorflow/serving/predict";

  /** A signature: input key -> tensor, output key -> tensor. */
  public record SignatureSpec(String key, Map<String, Operand<?>> inputs,
      Map<String, Operand<?>> outputs) {}

  private SavedModelWriter() {}

  /** Writes {@code runtime}'s graph with every variable of {@code store} under {@code tags}. */
  public static void write(GraphRuntime runtime, VariableStore store, List<SignatureSpec> signatures,
      List<String> tags, Path dir) {
    if (Files.exists(dir)) {
      throw new IllegalArgumentException("SavedModel directory " + dir + " already exists");
    }
    Ops tf = runtime.tf().withSubScope("save");
    List<String> names = store.names();
    List<Operand<?>> variables = new ArrayList<>();
    List<Class<? extends TType>> types = new ArrayList<>();
    for (String name : names) {
      variables.add(store.variable(name));
      types.add(store.type(name));
    }
    Placeholder<TString> filename =
        tf.withName("filename").placeholder(TString.class, Placeholder.shape(Shape.scalar()));
    Operand<TString> tensorNames = tf.constant(java.nio.charset.StandardCharsets.UTF_8,
        names.toArray(String[]::new));
    Operand<TString> slices = tf.zerosLike(tensorNames);
    Op save = tf.train.save(filename, tensorNames, slices, variables);
    Output<TString> saveTensor = tf.withControlDependencies(List.of(save))
        .withName("control_dependency").identity(filename).output();
    Restore restore = tf.train.restore(filename, tensorNames, slices, types);
    List<Op> assigns = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      assigns.add(assign(tf, variables.get(i), restore.tensors().get(i)));
    }
    Op restoreAll = tf.withControlDependencies(assigns).withName("restore_all").noOp();

    try {
      Files.createDirectories(dir.resolve("variables"));
      try (TString prefix = TString.scalarOf(dir.resolve("variables").resolve("variables")
          .toAbsolutePath().toString())) {
        runtime.session().runner().feed(filename, prefix).addTarget(saveTensor.op()).run()
            .close();
      }
      MetaGraphDef.Builder meta = MetaGraphDef.newBuilder()
          .setMetaInfoDef(MetaGraphDef.MetaInfoDef.newBuilder().addAllTags(tags)
              .setTensorflowVersion(TensorFlow.version())
              .setTensorflowGitVersion("tensorflow-java"))
          .setGraphDef(runtime.graph().toGraphDef())
          .setSaverDef(SaverDef.newBuilder()
              .setFilenameTensorName(filename.asOutput().name())
              .setSaveTensorName(saveTensor.name())
              .setRestoreOpName(restoreAll.op().name())
              .setMaxToKeep(5)
              .setKeepCheckpointEveryNHours(10000)
              .setVersion(SaverDef.CheckpointFormatVersion.V2));
      for (SignatureSpec signature : signatures) {
        meta.putSignatureDef(signature.key(), signatureDef(signature));
      }
      SavedModel model = SavedModel.newBuilder().setSavedModelSchemaVersion(1)
          .addMetaGraphs(meta).build();
      try (OutputStream out = Files.newOutputStream(dir.resolve("saved_model.pb"))) {
        model.writeTo(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write SavedModel " + dir, e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Op assign(Ops tf, Operand<?> variable, Operand<?> value) {
    return tf.assign((Operand) variable, (Operand) value);
  }

  private static SignatureDef signatureDef(SignatureSpec signature) {
    SignatureDef.Builder def = SignatureDef.newBuilder().setMethodName(PREDICT_METHOD);
    signature.inputs().forEach((key, tensor) -> def.putInputs(key, tensorInfo(tensor)));
    signature.outputs().forEach((key, tensor) -> def.putOutputs(key, tensorInfo(tensor)));
    return def.build();
  }

  /** Name, dtype and static shape of a tensor, as a signature lists it. */
  public static TensorInfo tensorInfo(Operand<?> tensor) {
    Output<?> output = tensor.asOutput();
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    Shape s = output.shape();
    if (s.isUnknown()) {
      shape.setUnknownRank(true);
    } else {
      for (long d : s.asArray()) {
        shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
      }
    }
    return TensorInfo.newBuilder().setName(output.name()).setDtype(output.dataType())
        .setTensorShape(shape).build();
  }

  /** One signature per key, with the same inputs and outputs (Keras' serve/serving_default). */
  public static List<SignatureSpec> sameSignatures(List<String> keys,
      Map<String, Operand<?>> inputs, Map<String, Operand<?>> outputs) {
    List<SignatureSpec> specs = new ArrayList<>();
    for (String key : keys) {
      specs.add(new SignatureSpec(key, new LinkedHashMap<>(inputs), new LinkedHashMap<>(outputs)));
    }
    return specs;
  }
}
