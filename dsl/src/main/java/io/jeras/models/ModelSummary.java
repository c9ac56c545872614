package io.jeras.models;

import io.jeras.layers.Layer;
import io.jeras.layers.WeightSpec;
import io.jeras.trainers.ModelGraph;
import io.jeras.utils.Shapes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keras 3's {@code model.summary()} table: one row per layer with its name and class, output
 * shape and parameter count, then the totals split into trainable and non-trainable (and the
 * optimizer's variables once it has taken a step, as Keras counts them), each with its size in
 * memory.
 *
 * <p>The layout is the one Keras draws with {@code rich}: a line length of 88 characters, or
 * the terminal width less 4 when that is smaller (76 when the output is not a terminal, as
 * Python's fallback width is 80); columns at 45% and 80% of it, shrunk evenly to fit the
 * borders; cells wrapped at spaces.
 *
 * <pre>
 * Model: "sequential"
 * ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
 * ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
 * ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
 * │ conv2d (Conv2D)                 │ (None, 28, 28, 6)      │           156 │
 * └─────────────────────────────────┴────────────────────────┴───────────────┘
 *  Total params: 156 (624.00 B)
 *  Trainable params: 156 (624.00 B)
 *  Non-trainable params: 0 (0.00 B)
 * </pre>
 */
public final class ModelSummary {
  /** Keras' line length for sequential-like models, and its column positions. */
  static final int DEFAULT_LINE_LENGTH = 88;
  private static final double[] POSITIONS = {0.45, 0.80, 1.0};
  /** Keras' line length and positions for other functional models ("Connected to"). */
  static final int CONNECTED_LINE_LENGTH = 108;
  private static final double[] CONNECTED_POSITIONS = {0.3, 0.56, 0.74, 1.0};
  private static final int FALLBACK_COLUMNS = 80;

  private ModelSummary() {}

  /** The summary of {@code model} at the line length Keras would use here. */
  public static String of(Model model) {
    return of(model, defaultLineLength(connected(model) ? CONNECTED_LINE_LENGTH
        : DEFAULT_LINE_LENGTH));
  }

  /** Whether Keras shows the {@code Connected to} column for this model. */
  private static boolean connected(Model model) {
    return model instanceof Functional functional && !functional.isSequentialLike();
  }

  /**
   * Keras' default: {@code preferred}, or the terminal width less 4 when smaller. The width is
   * {@code COLUMNS} when set; a console without it is taken to be wide; anything else is 80, as
   * in Python.
   */
  static int defaultLineLength(int preferred) {
    int columns = FALLBACK_COLUMNS;
    String env = System.getenv("COLUMNS");
    if (env != null && env.matches("\\d+")) {
      columns = Integer.parseInt(env);
    } else if (System.console() != null) {
      columns = preferred + 4;
    }
    return Math.min(preferred, columns - 4);
  }

  /** The summary text of {@code model} for a given line length, ending with a newline. */
  public static String of(Model model, int lineLength) {
    boolean connected = connected(model);
    List<String[]> rows = model instanceof Functional functional ? functionalRows(functional)
        : sequentialRows(model);
    long trainable = 0;
    long nonTrainable = 0;
    for (Layer<?> layer : model.layers()) {
      Node node = firstNode(model, layer.name());
      for (WeightSpec weight : node == null ? List.<WeightSpec>of() : node.weights()) {
        if (weight.trainable()) {
          trainable += weight.size();
        } else {
          nonTrainable += weight.size();
        }
      }
    }
    ModelGraph.OptimizerSize optimizer = model.optimizerSize();
    int[] widths = columnWidths(lineLength, connected ? CONNECTED_POSITIONS : POSITIONS);
    String[] header = connected
        ? new String[] {"Layer (type)", "Output Shape", "Param #", "Connected to"}
        : new String[] {"Layer (type)", "Output Shape", "Param #"};
    StringBuilder text = new StringBuilder();
    text.append("Model: \"").append(model.name()).append("\"\n");
    text.append(border("┏", "━", "┳", "┓", widths));
    text.append(row("┃", header, widths));
    text.append(border("┡", "━", "╇", "┩", widths));
    for (int i = 0; i < rows.size(); i++) {
      String[] cells = connected ? rows.get(i) : java.util.Arrays.copyOf(rows.get(i), 3);
      text.append(row("│", cells, widths));
      if (i < rows.size() - 1) {
        text.append(border("├", "─", "┼", "┤", widths));
      }
    }
    text.append(border("└", "─", "┴", "┘", widths));
    long total = trainable + nonTrainable + (optimizer == null ? 0 : optimizer.count());
    double totalBytes = 4.0 * (trainable + nonTrainable) + (optimizer == null ? 0 : optimizer.bytes());
    text.append(" Total params: ").append(count(total, totalBytes)).append('\n');
    text.append(" Trainable params: ").append(count(trainable, 4.0 * trainable)).append('\n');
    text.append(" Non-trainable params: ").append(count(nonTrainable, 4.0 * nonTrainable))
        .append('\n');
    if (optimizer != null) {
      text.append(" Optimizer params: ").append(count(optimizer.count(), optimizer.bytes()))
          .append('\n');
    }
    return text.toString();
  }

  private static Node firstNode(Model model, String layer) {
    return model.nodes().stream().filter(n -> n.name().equals(layer)).findFirst().orElse(null);
  }

  /** A Sequential model: one row per layer, no InputLayer row. */
  private static List<String[]> sequentialRows(Model model) {
    List<String[]> rows = new ArrayList<>();
    for (Node node : model.nodes()) {
      rows.add(new String[] {
          node.name() + " (" + node.layer().className() + ")",
          Shapes.format(node.outputShape()), params(node.layer().countParams(node.inputShapes())),
          ""});
    }
    return rows;
  }

  /**
   * A functional model: a row per input ({@code InputLayer}) and per layer, in Keras' order,
   * each layer with the last output shape it gives and what feeds each of its applications,
   * as {@code layer[application][0]}.
   */
  private static List<String[]> functionalRows(Functional model) {
    List<Node> nodes = model.nodes();
    List<ModelInput> inputs = model.inputs();
    List<String[]> rows = new ArrayList<>();
    for (String operation : model.operations()) {
      ModelInput input = inputs.stream().filter(in -> in.name().equals(operation)).findFirst()
          .orElse(null);
      if (input != null) {
        rows.add(new String[] {operation + " (InputLayer)", Shapes.format(input.shape()),
            params(0), "-"});
        continue;
      }
      List<Node> applications = nodes.stream().filter(n -> n.name().equals(operation)).toList();
      Node first = applications.get(0);
      List<String> connections = new ArrayList<>();
      for (Node node : applications) {
        for (int index : node.inputs()) {
          if (Node.isModelInput(index)) {
            connections.add(inputs.get(Node.modelInput(index)).name() + "[0][0]");
          } else {
            Node source = nodes.get(index);
            long application = nodes.subList(0, index).stream()
                .filter(n -> n.name().equals(source.name())).count();
            connections.add(source.name() + "[" + application + "][0]");
          }
        }
      }
      rows.add(new String[] {operation + " (" + first.layer().className() + ")",
          Shapes.format(applications.get(applications.size() - 1).outputShape()),
          params(first.layer().countParams(first.inputShapes())),
          connections.isEmpty() ? "-" : String.join(", ", connections)});
    }
    return rows;
  }

  private static String params(long count) {
    return String.format(Locale.ROOT, "%,d", count);
  }

  /** {@code 61,706 (241.04 KB)}: the count and its size in memory. */
  static String count(long params, double bytes) {
    return String.format(Locale.ROOT, "%,d", params) + " (" + readableBytes(bytes) + ")";
  }

  /** Keras' {@code readable_memory_size}: B, KB, MB, GB in powers of 1024, two decimals. */
  static String readableBytes(double bytes) {
    String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
    int unit = 0;
    while (bytes >= 1024 && unit < units.length - 1) {
      bytes /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.2f %s", bytes, units[unit]);
  }

  /**
   * Content widths: Keras' positions give each column its share of the line; with two spaces of
   * padding per cell and the borders that is too wide, so, as {@code rich} does, the excess is
   * taken from the columns evenly, rounding half to even.
   */
  static int[] columnWidths(int lineLength, double[] positions) {
    int[] widths = new int[positions.length];
    int current = 0;
    for (int i = 0; i < positions.length; i++) {
      int width = (int) (positions[i] * lineLength) - current;
      if (width < 4) {
        throw new IllegalArgumentException("Insufficient console width to print summary.");
      }
      widths[i] = width + 2;
      current += width;
    }
    int available = lineLength - (positions.length + 1);
    int excess = current + 2 * positions.length - available;
    int remainingRatio = positions.length;
    for (int i = 0; i < widths.length && excess > 0; i++) {
      int cut = (int) Math.rint((double) excess / remainingRatio);
      widths[i] -= cut;
      excess -= cut;
      remainingRatio--;
    }
    for (int i = 0; i < widths.length; i++) {
      widths[i] -= 2;
    }
    return widths;
  }

  private static String border(String left, String fill, String cross, String right,
      int[] widths) {
    StringBuilder line = new StringBuilder(left);
    for (int i = 0; i < widths.length; i++) {
      line.append(fill.repeat(widths[i] + 2)).append(i < widths.length - 1 ? cross : right);
    }
    return line.append('\n').toString();
  }

  /**
   * One table row; a cell longer than its column wraps at spaces onto further lines. The third
   * column (parameter counts) is right-aligned, the others left-aligned.
   */
  private static String row(String edge, String[] cells, int[] widths) {
    List<List<String>> wrapped = new ArrayList<>();
    int height = 1;
    for (int i = 0; i < cells.length; i++) {
      List<String> lines = wrap(cells[i], widths[i]);
      wrapped.add(lines);
      height = Math.max(height, lines.size());
    }
    StringBuilder text = new StringBuilder();
    for (int line = 0; line < height; line++) {
      text.append(edge);
      for (int i = 0; i < cells.length; i++) {
        String cell = line < wrapped.get(i).size() ? wrapped.get(i).get(line) : "";
        String padding = " ".repeat(widths[i] - cell.length());
        text.append(' ').append(i == 2 ? padding + cell : cell + padding)
            .append(' ').append(edge);
      }
      text.append('\n');
    }
    return text.toString();
  }

  private static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String word : text.split(" ")) {
      if (word.length() > width) {
        // rich's overflow="ellipsis": a word too long for the column is cut, ending with '…'.
        if (current.length() > 0) {
          lines.add(current.toString());
          current.setLength(0);
        }
        lines.add(word.substring(0, width - 1) + "…");
        continue;
      }
      if (current.length() > 0 && current.length() + 1 + word.length() > width) {
        lines.add(current.toString());
        current.setLength(0);
      }
      if (current.length() > 0) {
        current.append(' ');
      }
      current.append(word);
    }
    if (current.length() > 0 || lines.isEmpty()) {
      lines.add(current.toString());
    }
    return lines;
  }
}
