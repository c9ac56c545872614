package io.jeras.bridge;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_GraphImportGraphDef;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_ImportGraphDefOptionsAddInputMapping;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_ImportGraphDefOptionsSetPrefix;

import java.lang.reflect.Method;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_ImportGraphDefOptions;
import org.tensorflow.internal.c_api.TF_Output;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.GraphDef;

/**
 * Imports a {@code GraphDef} (with its function library) into an existing graph under a name
 * prefix, wiring chosen tensors of the imported graph (typically its input placeholders) to
 * tensors that already exist: TensorFlow's {@code input_map}, which TensorFlow Java 1.1.0's
 * {@code Graph.importGraphDef} does not offer, so the C API is called here directly.
 */
public final class GraphImport {
  private GraphImport() {}

  /**
   * Imports {@code graphDef} into {@code graph}, every node renamed {@code prefix/<name>}.
   *
   * @param inputMap tensor names of the imported graph ({@code "serving_default_image:0"}) to
   *     the existing tensors that replace them
   */
  public static void importGraphDef(Graph graph, GraphDef graphDef, String prefix,
      Map<String, Operand<?>> inputMap) {
    try (AutoCloseable reference = reference(graph); PointerScope scope = new PointerScope()) {
      TF_Graph handle = handle(reference);
      TF_ImportGraphDefOptions options = TF_ImportGraphDefOptions.newImportGraphDefOptions();
      TF_ImportGraphDefOptionsSetPrefix(options, prefix);
      for (Map.Entry<String, Operand<?>> e : inputMap.entrySet()) {
        String name = e.getKey();
        int colon = name.lastIndexOf(':');
        String node = colon < 0 ? name : name.substring(0, colon);
        int index = colon < 0 ? 0 : Integer.parseInt(name.substring(colon + 1));
        GraphOperation target = (GraphOperation) e.getValue().op();
        TF_Output output = new TF_Output().oper(target.getUnsafeNativeHandle())
            .index(e.getValue().asOutput().index());
        TF_ImportGraphDefOptionsAddInputMapping(options, node, index, output);
      }
      TF_Buffer buffer = TF_Buffer.newBufferFromString(graphDef);
      TF_Status status = TF_Status.newStatus();
      synchronized (graph) {
        TF_GraphImportGraphDef(handle, buffer, options, status);
      }
      status.throwExceptionIfNotOK();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("could not import a graph into TensorFlow Java's graph", e);
    }
    graph.baseScope().refreshNames();
  }

  private static AutoCloseable reference(Graph graph) throws ReflectiveOperationException {
    Method ref = Graph.class.getDeclaredMethod("ref");
    ref.setAccessible(true);
    return (AutoCloseable) ref.invoke(graph);
  }

  private static TF_Graph handle(AutoCloseable reference) throws ReflectiveOperationException {
    Method nativeHandle = reference.getClass().getDeclaredMethod("nativeHandle");
    nativeHandle.setAccessible(true);
    return (TF_Graph) nativeHandle.invoke(reference);
  }
}
