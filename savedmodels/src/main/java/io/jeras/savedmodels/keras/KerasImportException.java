package io.jeras.savedmodels.keras;

import io.jeras.input.InvalidInputException;
import java.nio.file.Path;
import java.util.List;

/**
 * A Keras file that Jeras cannot import, with every root cause found: each cause once, with the
 * layers it affects. Layers that fail only because a layer before them failed are not listed.
 */
public final class KerasImportException extends InvalidInputException {
  private static final long serialVersionUID = 1L;
  /** Messages stay readable: causes beyond this length are counted, not printed. */
  private static final int MESSAGE_BUDGET = 800;

  private final transient List<String> causes;

  KerasImportException(Path file, ImportProblems problems) {
    super(file == null ? "the layer" : file.toString(), String.join("; ", problems.lines()),
        message(file, problems.lines()), null);
    this.causes = List.copyOf(problems.lines());
  }

  /** Every cause, one line each ({@code activation 'x' is not supported (2 layers: a, b)}). */
  public List<String> causes() {
    return causes;
  }

  private static String message(Path file, List<String> lines) {
    StringBuilder message = new StringBuilder("Cannot import ")
        .append(file == null ? "the layer" : file).append(" into Jeras");
    message.append(lines.size() == 1 ? ": " : " (" + lines.size() + " problems): ");
    int shown = 0;
    for (String line : lines) {
      if (shown > 0 && message.length() + line.length() > MESSAGE_BUDGET) {
        break;
      }
      message.append(shown == 0 ? "" : "; ").append(line);
      shown++;
    }
    if (shown < lines.size()) {
      message.append("; and ").append(lines.size() - shown).append(" more (see causes())");
    }
    if (lines.stream().anyMatch(line -> line.contains("customLayer("))) {
      message.append(". A layer Jeras does not know can be given a Java implementation with"
          + " KerasModels.loader().customLayer(className, config -> layer)");
    }
    return message.toString();
  }
}
