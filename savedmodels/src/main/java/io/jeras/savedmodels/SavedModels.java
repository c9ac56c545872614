package io.jeras.savedmodels;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jeras.Jeras;
import io.jeras.input.InputLimits;
import io.jeras.input.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.TensorFlow;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.SavedModel;

/**
 * Opens TensorFlow SavedModels, whoever wrote them (Jeras, Keras 3's {@code model.export},
 * {@code tf.saved_model.save}, TF1 estimators), for prediction from Java.
 *
 * <p>Before TensorFlow's loader runs, the {@code saved_model.pb} is read and checked here: the
 * requested tags must exist and every op the graph and its functions use must be one this
 * runtime (TensorFlow 2.18, TensorFlow Java 1.1.0) has. So a model from a newer TensorFlow that
 * uses a newer op fails with the op's name and both versions, instead of deep in the loader.
 *
 * <pre>{@code
 * try (LoadedModel model = SavedModels.load(Path.of("exported/cnn"))) {
 *   System.out.println(model.signatures());
 *   FloatNdArray probabilities = model.predict(images);
 * }
 * }</pre>
 */
public final class SavedModels {
  /** The tag of serving graphs, Keras' and TF Serving's default. */
  public static final String SERVE = "serve";

  private static Set<String> registeredOps;

  private SavedModels() {}

  /** Opens the {@code serve} graph of the SavedModel in {@code dir}. */
  public static LoadedModel load(Path dir) {
    return load(dir, SERVE);
  }

  /** Opens the graph of the SavedModel in {@code dir} tagged with exactly {@code tags}. */
  public static LoadedModel load(Path dir, String... tags) {
    SavedModel proto = readProto(dir);
    MetaGraphDef meta = metaGraph(dir, proto, tags);
    checkOps(dir, meta);
    SavedModelBundle bundle;
    try {
      bundle = SavedModelBundle.loader(dir.toAbsolutePath().toString()).withTags(tags)
          .withConfigProto(Jeras.sessionOptions().toConfigProto()).load();
    } catch (TensorFlowException e) {
      throw new InvalidInputException(dir.toString(), "TensorFlow could not load the"
          + " SavedModel: " + e.getMessage(), e);
    }
    try {
      checkVariablesRestored(dir, bundle, variablesUsedBySignatures(meta));
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
    return new LoadedModel(dir, bundle, meta);
  }

  /**
   * Every resource variable must hold a value after loading. Keras 3 models written with plain
   * {@code tf.saved_model.save} load, but TensorFlow's C++ loader leaves the variables their
   * functions read unrestored; this finds that at load time, not at the first prediction.
   */
  private static void checkVariablesRestored(Path dir, SavedModelBundle bundle,
      Set<String> used) {
    Graph graph = bundle.graph();
    List<String> names = new ArrayList<>();
    List<Operand<TBool>> checks = new ArrayList<>();
    Ops tf = Ops.create(graph).withSubScope("jeras_variable_check");
    for (String node : used) {
      GraphOperation op = graph.operation(node);
      if (op != null) {
        names.add(op.attributes().getAttrString("shared_name"));
        checks.add(tf.varIsInitializedOp(op.output(0)));
      }
    }
    if (checks.isEmpty()) {
      return;
    }
    Session.Runner runner = bundle.session().runner();
    checks.forEach(runner::fetch);
    List<String> missing = new ArrayList<>();
    try (Result result = runner.run()) {
      for (int i = 0; i < checks.size(); i++) {
        if (!((TBool) result.get(i)).getBoolean()) {
          missing.add(names.get(i));
        }
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("The SavedModel in " + dir + " loads, but TensorFlow's"
          + " loader did not restore " + missing.size() + " of its " + names.size()
          + " variables its signatures use " + (missing.size() > 5 ? missing.subList(0, 5) + "..." : missing)
          + ". This is what Keras 3 models written with tf.saved_model.save(model) do in"
          + " TensorFlow's C++ loader; export them with model.export(path) instead.");
    }
  }

  /** The checked {@code serve} graph of the SavedModel in {@code dir}, without loading it. */
  static MetaGraphDef serveGraph(Path dir) {
    MetaGraphDef meta = metaGraph(dir, readProto(dir), new String[] {SERVE});
    checkOps(dir, meta);
    return meta;
  }

  /** The parsed {@code saved_model.pb}. */
  static SavedModel readProto(Path dir) {
    if (!Files.exists(dir)) {
      throw new IllegalArgumentException("SavedModel directory " + dir + " does not exist");
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + " is a file; a SavedModel is a directory holding"
          + " saved_model.pb and variables/");
    }
    Path pb = dir.resolve("saved_model.pb");
    if (!Files.exists(pb)) {
      throw new InvalidInputException(dir.toString(), "not a SavedModel: it has no"
          + " saved_model.pb (it holds " + listing(dir) + ")");
    }
    try {
      // parsed from an array: protobuf's stream decoder fails with IllegalStateException on
      // some corrupt lengths, its array decoder with InvalidProtocolBufferException
      InputLimits.checkBytes(pb.toString(), "saved_model.pb", Files.size(pb), 1, -1);
      return SavedModel.parseFrom(Files.readAllBytes(pb));
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidInputException(pb.toString(), "not a valid SavedModel protocol buffer: "
          + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + pb, e);
    }
  }

  private static MetaGraphDef metaGraph(Path dir, SavedModel proto, String[] tags) {
    Set<String> wanted = new TreeSet<>(List.of(tags));
    List<String> available = new ArrayList<>();
    for (MetaGraphDef meta : proto.getMetaGraphsList()) {
      Set<String> have = new TreeSet<>(meta.getMetaInfoDef().getTagsList());
      if (have.equals(wanted)) {
        return meta;
      }
      available.add(have.toString());
    }
    throw new InvalidInputException(dir.toString(), "the SavedModel has no graph tagged "
        + wanted + "; it has " + String.join(", ", available));
  }

  /** The resource variables (VarHandleOp nodes) the signatures' outputs depend on. */
  private static Set<String> variablesUsedBySignatures(MetaGraphDef meta) {
    Map<String, NodeDef> nodes = new HashMap<>();
    meta.getGraphDef().getNodeList().forEach(n -> nodes.put(n.getName(), n));
    Deque<String> pending = new ArrayDeque<>();
    meta.getSignatureDefMap().values().forEach(signature -> signature.getOutputsMap().values()
        .forEach(output -> pending.add(nodeName(output.getName()))));
    Set<String> seen = new HashSet<>();
    Set<String> variables = new TreeSet<>();
    while (!pending.isEmpty()) {
      String name = pending.pop();
      NodeDef node = nodes.get(name);
      if (node == null || !seen.add(name)) {
        continue;
      }
      if (node.getOp().equals("VarHandleOp")) {
        variables.add(name);
      }
      node.getInputList().forEach(input -> pending.add(nodeName(input)));
    }
    return variables;
  }

  private static String nodeName(String tensorName) {
    String name = tensorName.startsWith("^") ? tensorName.substring(1) : tensorName;
    int colon = name.indexOf(':');
    return colon < 0 ? name : name.substring(0, colon);
  }

  /** Every op type of the graph and its function library must be registered in this runtime. */
  private static void checkOps(Path dir, MetaGraphDef meta) {
    Set<String> used = new TreeSet<>();
    meta.getGraphDef().getNodeList().forEach(n -> used.add(n.getOp()));
    Set<String> functions = new TreeSet<>();
    for (FunctionDef f : meta.getGraphDef().getLibrary().getFunctionList()) {
      functions.add(f.getSignature().getName());
      for (NodeDef n : f.getNodeDefList()) {
        used.add(n.getOp());
      }
    }
    used.removeAll(functions);
    used.removeAll(registeredOps(false));
    if (!used.isEmpty()) {
      // an op library may have been loaded since the list was read
      used.removeAll(registeredOps(true));
    }
    if (!used.isEmpty()) {
      String writtenBy = meta.getMetaInfoDef().getTensorflowVersion();
      throw new InvalidInputException(dir.toString(), "the SavedModel uses op"
          + (used.size() > 1 ? "s " : " ") + used + " that TensorFlow " + TensorFlow.version()
          + " (the runtime of TensorFlow Java 1.1.0) does not have; it was written by TensorFlow "
          + (writtenBy.isEmpty() ? "of unknown version" : writtenBy) + ". Export it with"
          + " TensorFlow 2.18, or without " + (used.size() > 1 ? "those ops" : "that op") + ".");
    }
  }

  /**
   * The op types registered in this runtime, read once (reading TensorFlow's list of about 1,500
   * op definitions took most of a small SavedModel's load time) and again when {@code refresh}.
   */
  private static synchronized Set<String> registeredOps(boolean refresh) {
    if (registeredOps == null || refresh) {
      Set<String> names = new HashSet<>();
      for (OpDef op : TensorFlow.registeredOpList().getOpList()) {
        names.add(op.getName());
      }
      registeredOps = Set.copyOf(names);
    }
    return registeredOps;
  }

  private static String listing(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      return names.isEmpty() ? "nothing" : String.join(", ", names);
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + dir, e);
    }
  }
}
