package io.jeras.savedmodels.keras;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reasons an import fails, grouped by root cause: each cause once, with the number of layers
 * it affects and the first few of their names. Layers that fail only because a layer they take
 * failed are not reported (no cascade).
 */
final class ImportProblems {
  private static final int NAMES_SHOWN = 3;
  private static final int CAUSE_LENGTH = 240;

  private final Map<String, List<String>> causes = new LinkedHashMap<>();

  /** Records that {@code layer} (a name, or a path like {@code vgg16/block1_conv1}) fails. */
  void add(String cause, String layer) {
    String key = cause.length() > CAUSE_LENGTH ? cause.substring(0, CAUSE_LENGTH) + "..." : cause;
    List<String> layers = causes.computeIfAbsent(key, k -> new ArrayList<>());
    if (!layers.contains(layer)) {
      layers.add(layer);
    }
  }

  boolean isEmpty() {
    return causes.isEmpty();
  }

  int size() {
    return causes.size();
  }

  /** The causes in the order first met, each with the layers it affects. */
  Map<String, List<String>> causes() {
    return causes;
  }

  /**
   * One line per cause: {@code activation 'hard_silu' is not supported (19 layers: activation,
   * activation_1, activation_2, ...)}.
   */
  List<String> lines() {
    List<String> lines = new ArrayList<>();
    causes.forEach((cause, layers) -> {
      String shown = String.join(", ", layers.subList(0, Math.min(NAMES_SHOWN, layers.size())));
      String more = layers.size() > NAMES_SHOWN ? ", ..." : "";
      lines.add(cause + " (" + (layers.size() == 1 ? "layer " + shown
          : layers.size() + " layers: " + shown + more) + ")");
    });
    return lines;
  }
}
