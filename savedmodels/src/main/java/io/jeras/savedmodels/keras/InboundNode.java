package io.jeras.savedmodels.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One application of a layer in a functional model's config: its positional arguments (tensors
 * and constants), whether its tensors came as one list (a merge layer's call), and its keyword
 * arguments. Keras 3 writes {@code {"args": [tensor or [tensors] or constant, ...], "kwargs":
 * {...}}} with each tensor's {@code keras_history}; Keras 2 writes {@code [[layer, node, tensor,
 * kwargs], ...]}, and a TFOpLambda's single input unwrapped.
 */
record InboundNode(List<Object> args, boolean tensorList, JsonNode kwargs) {

  /** A tensor: output {@code tensor} of application {@code node} of {@code layer}. */
  record Ref(String layer, int node, int tensor) {
    @Override
    public String toString() {
      return layer + "[" + node + "][" + tensor + "]";
    }
  }

  /** The tensors among the arguments, in order. */
  List<Ref> refs() {
    List<Ref> refs = new ArrayList<>();
    args.forEach(arg -> {
      if (arg instanceof Ref ref) {
        refs.add(ref);
      }
    });
    return refs;
  }

  /** The applications listed in a layer entry's {@code inbound_nodes}. */
  static List<InboundNode> parse(JsonNode entry) {
    List<InboundNode> nodes = new ArrayList<>();
    for (JsonNode node : entry.path("inbound_nodes")) {
      nodes.add(node.isArray() ? keras2(node) : keras3(node));
    }
    return nodes;
  }

  private static InboundNode keras2(JsonNode node) {
    List<Object> args = new ArrayList<>();
    JsonNode kwargs = null;
    boolean unwrapped = node.path(0).isTextual();
    for (JsonNode ref : unwrapped ? List.of(node) : node) {
      if (!ref.isArray() || !ref.path(0).isTextual()) {
        throw new IllegalArgumentException("an inbound node " + LayerConfig.shorten(ref)
            + " is not a layer reference");
      }
      args.add(new Ref(ref.get(0).asText(), ref.path(1).asInt(), ref.path(2).asInt()));
      if (ref.size() > 3 && ref.get(3).isObject() && ref.get(3).size() > 0) {
        kwargs = ref.get(3);
      }
    }
    if (unwrapped && kwargs != null && isRef(kwargs.path("y"))) {
      // a TFOpLambda on two tensors ({@code x + y}): the second comes as keyword argument y
      JsonNode y = kwargs.get("y");
      args.add(new Ref(y.get(0).asText(), y.path(1).asInt(), y.path(2).asInt()));
    }
    return new InboundNode(args, args.size() > 1 && !unwrapped, kwargs);
  }

  /** Keras 2's reference to a tensor: {@code [layer, node, tensor]}. */
  private static boolean isRef(JsonNode value) {
    return value.isArray() && value.size() == 3 && value.get(0).isTextual()
        && value.get(1).isIntegralNumber() && value.get(2).isIntegralNumber();
  }

  private static InboundNode keras3(JsonNode node) {
    List<Object> args = new ArrayList<>();
    boolean tensorList = false;
    for (JsonNode arg : node.path("args")) {
      if (arg.isArray() && arg.size() > 0 && isTensor(arg.get(0))) {
        tensorList = true;
        arg.forEach(tensor -> args.add(ref(tensor)));
      } else if (isTensor(arg)) {
        args.add(ref(arg));
      } else {
        args.add(arg);
      }
    }
    return new InboundNode(args, tensorList, node.path("kwargs"));
  }

  private static boolean isTensor(JsonNode value) {
    return value.path("config").path("keras_history").isArray();
  }

  private static Ref ref(JsonNode tensor) {
    if (!isTensor(tensor)) {
      throw new IllegalArgumentException("an argument " + LayerConfig.shorten(tensor)
          + " mixes tensors and other values");
    }
    JsonNode history = tensor.path("config").path("keras_history");
    if (!isRef(history)) {
      throw new IllegalArgumentException("a tensor's keras_history " + LayerConfig.shorten(history)
          + " is not [layer name, node index, tensor index]");
    }
    return new Ref(history.get(0).asText(), history.get(1).asInt(), history.get(2).asInt());
  }
}
