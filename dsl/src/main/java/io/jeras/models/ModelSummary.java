package io.jeras.models;

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
  /** Keras' line length for sequential models, and its column positions. */
  static final int DEFAULT_LINE_LENGTH = 88;
  private static final double[] POSITIONS = {0.45, 0.80, 1.0};
  private static final int FALLBACK_COLUMNS = 80;

  private ModelSummary() {}

  /** The summary of {@code model} at the line length Keras would use here. */
  public static String of(Model model) {
    return of(model, defaultLineLength());
  }

  /**
   * Keras' default: 88, or the terminal width less 4 when smaller. The width is {@code COLUMNS}
   * when set; a console without it is taken to be wide; anything else is 80, as in Python.
   */
  static int defaultLineLength() {
    int columns = FALLBACK_COLUMNS;
    String env = System.getenv("COLUMNS");
    if (env != null && env.matches("\\d+")) {
      columns = Integer.parseInt(env);
    } else if (System.console() != null) {
      columns = DEFAULT_LINE_LENGTH + 4;
    }
    return Math.min(DEFAULT_LINE_LENGTH, columns - 4);
  }

  /** The summary text of {@code model} for a given line length, ending with a newline. */
  public static String of(Model model, int lineLength) {
    List<String[]> rows = new ArrayList<>();
    long trainable = 0;
    long nonTrainable = 0;
    for (Node node : model.nodes()) {
      long params = 0;
      for (WeightSpec weight : node.weights()) {
        params += weight.size();
        if (weight.trainable()) {
          trainable += weight.size();
        } else {
          nonTrainable += weight.size();
        }
      }
      rows.add(new String[] {
          node.name() + " (" + node.layer().className() + ")",
          Shapes.format(node.outputShape()),
          String.format(Locale.ROOT, "%,d", params)});
    }
    ModelGraph.OptimizerSize optimizer = model.optimizerSize();
    int[] widths = columnWidths(lineLength);
    StringBuilder text = new StringBuilder();
    text.append("Model: \"").append(model.name()).append("\"\n");
    text.append(border("┏", "━", "┳", "┓", widths));
    text.append(row("┃", new String[] {"Layer (type)", "Output Shape", "Param #"}, widths));
    text.append(border("┡", "━", "╇", "┩", widths));
    for (int i = 0; i < rows.size(); i++) {
      text.append(row("│", rows.get(i), widths));
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
   * padding per cell and four borders that is 10 characters too wide, so, as {@code rich}
   * does, the excess is taken from the columns evenly, rounding half to even.
   */
  static int[] columnWidths(int lineLength) {
    int[] widths = new int[POSITIONS.length];
    int current = 0;
    for (int i = 0; i < POSITIONS.length; i++) {
      int width = (int) (POSITIONS[i] * lineLength) - current;
      if (width < 4) {
        throw new IllegalArgumentException("Insufficient console width to print summary.");
      }
      widths[i] = width + 2;
      current += width;
    }
    int available = lineLength - (POSITIONS.length + 1);
    int excess = current + 2 * POSITIONS.length - available;
    int remainingRatio = POSITIONS.length;
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

  /** One table row; a cell longer than its column wraps at spaces onto further lines. */
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
        text.append(' ').append(i == cells.length - 1 ? padding + cell : cell + padding)
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
      while (word.length() > width) {
        if (current.length() > 0) {
          lines.add(current.toString());
          current.setLength(0);
        }
        lines.add(word.substring(0, width));
        word = word.substring(width);
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
    lines.add(current.toString());
    return lines;
  }
}
