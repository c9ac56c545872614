package io.jeras.savedmodels.keras;

import com.fasterxml.jackson.databind.JsonNode;
import io.jeras.layers.Layer;
import io.jeras.layers.core.Identity;
import io.jeras.layers.merging.Add;
import io.jeras.layers.merging.Multiply;
import io.jeras.layers.merging.Subtract;
import io.jeras.layers.preprocessing.Rescaling;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Arithmetic on Keras tensors that Keras saves as graph nodes rather than layers: Keras 3's
 * operations ({@code x + 3.0} in MobileNetV3 is {@code keras.src.ops.numpy.Add}) and tf.keras'
 * {@code TFOpLambda} ({@code tf.__operators__.add}). Jeras turns each into the layer computing
 * the same: a tensor and a number into {@link Rescaling}, two tensors into a merge layer.
 */
final class Operations {
  /** tf.keras' TFOpLambda functions, by the Keras 3 operation they are. */
  private static final Map<String, String> TF_FUNCTIONS = Map.of(
      "__operators__.add", "Add", "math.add", "Add",
      "math.subtract", "Subtract", "__operators__.sub", "Subtract",
      "math.multiply", "Multiply", "__operators__.mul", "Multiply",
      "math.truediv", "TrueDivide", "math.divide", "TrueDivide");
  private static final Set<String> ARITHMETIC = Set.of("Add", "Subtract", "Multiply",
      "Divide", "TrueDivide");
  /** Operations no layer is named after (Keras 3.8 writes its mixed-precision casts as these). */
  private static final Set<String> OPERATION_CLASSES = Set.of("Cast");

  private Operations() {}

  /**
   * Whether a layer entry is an operation node: Keras 3 names its module, tf.keras' class is
   * TFOpLambda, and a Keras 3 legacy .h5 (which drops modules) gives an arithmetic class more
   * than one positional argument where the merge layer of that name takes one list.
   */
  static boolean isOperation(JsonNode entry, List<InboundNode> nodes) {
    String className = entry.path("class_name").asText();
    String module = entry.path("module").asText("");
    if (module.startsWith("keras.src.ops") || className.equals("TFOpLambda")
        || OPERATION_CLASSES.contains(className)) {
      return true;
    }
    return module.isEmpty() && ARITHMETIC.contains(className) && !nodes.isEmpty()
        && nodes.stream().noneMatch(InboundNode::tensorList);
  }

  /** The Jeras layer computing an operation node; fails naming what is not supported. */
  static Layer<?> layer(JsonNode entry, InboundNode node) {
    String className = entry.path("class_name").asText();
    String operation = className;
    List<Object> args = new java.util.ArrayList<>(node.args());
    if (className.equals("TFOpLambda")) {
      String function = entry.path("config").path("function").asText();
      operation = TF_FUNCTIONS.get(function);
      if (operation == null) {
        throw new IllegalArgumentException("TensorFlow function tf." + function
            + " (a TFOpLambda layer) is not supported; give it a Java implementation with"
            + " customLayer(\"TFOpLambda\", config -> ...)");
      }
      if (node.kwargs() != null && node.kwargs().has("y") && args.size() < 2) {
        args.add(node.kwargs().get("y")); // a number; a tensor y is already among the args
      }
    } else if (className.equals("Cast")) {
      String dtype = entry.path("config").path("dtype").asText("");
      if (!dtype.matches("b?float\\d+")) {
        throw new IllegalArgumentException("Keras operation Cast to " + dtype + " is not"
            + " supported (Jeras computes in float32; casts between float types are)");
      }
      return Identity.of(); // a mixed-precision cast: Jeras computes everything in float32
    } else if (!ARITHMETIC.contains(className)) {
      String module = entry.path("module").asText("keras.src.ops");
      throw new IllegalArgumentException("Keras operation " + module.substring(
          module.lastIndexOf('.') + 1) + "." + className + " (keras.ops called on a Keras"
          + " tensor) is not supported; give it a Java implementation with customLayer(\""
          + className + "\", config -> ...)");
    }
    if (args.size() != 2) {
      throw new IllegalArgumentException("operation " + operation + " with " + args.size()
          + " arguments is not supported");
    }
    boolean firstTensor = args.get(0) instanceof InboundNode.Ref;
    boolean secondTensor = args.get(1) instanceof InboundNode.Ref;
    if (firstTensor && secondTensor) {
      return switch (operation) {
        case "Add" -> Add.of();
        case "Subtract" -> Subtract.of();
        case "Multiply" -> Multiply.of();
        default -> throw new IllegalArgumentException("operation " + operation
            + " of two tensors is not supported");
      };
    }
    JsonNode constant = (JsonNode) args.get(firstTensor ? 1 : 0);
    if (!(firstTensor || secondTensor) || !constant.isNumber()) {
      throw new IllegalArgumentException("operation " + operation + " on "
          + LayerConfig.shorten(constant) + " is not supported (a tensor and a number are)");
    }
    double c = constant.asDouble();
    return switch (operation) {
      case "Add" -> Rescaling.of(1, c);
      case "Multiply" -> Rescaling.of(c);
      case "Subtract" -> firstTensor ? Rescaling.of(1, -c) : Rescaling.of(-1, c);
      default -> {
        if (!firstTensor) {
          throw new IllegalArgumentException("operation " + operation + " of a number by a"
              + " tensor is not supported");
        }
        yield Rescaling.of(1 / c);
      }
    };
  }
}
