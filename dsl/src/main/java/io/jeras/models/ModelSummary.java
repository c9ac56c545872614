package io.jeras.models;

import io.jeras.layers.WeightSpec;
import io.jeras.utils.Shapes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keras 3's {@code model.summary()} table: one row per layer with its name and class, output
 * shape and parameter count, then the totals split into trainable and non-trainable, each with
 * its size in memory (float32: 4 bytes each).
 *
 * <pre>
 * Model: "sequential"
 * ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓
 * ┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃
 * ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩
 * │ conv2d (Conv2D)                      │ (None, 26, 26, 32)          │             320 │
 * └──────────────────────────────────────┴─────────────────────────────┴─────────────────┘
 *  Total params: 320 (1.25 KB)
 *  Trainable params: 320 (1.25 KB)
 *  Non-trainable params: 0 (0.00 B)
 * </pre>
 */
public final class ModelSummary {
  /** Keras' default line length and column positions for sequential models. */
  static final int LINE_LENGTH = 88;
  private static final double[] POSITIONS = {0.45, 0.84, 1.0};

  private ModelSummary() {}

  /** The summary text of {@code model}, ending with a newline. */
  public static String of(Model model) {
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
    int[] widths = columnWidths();
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
    text.append(" Total params: ").append(count(trainable + nonTrainable)).append('\n');
    text.append(" Trainable params: ").append(count(trainable)).append('\n');
    text.append(" Non-trainable params: ").append(count(nonTrainable)).append('\n');
    return text.toString();
  }

  /** {@code 61,706 (241.04 KB)}: the count and its float32 size. */
  static String count(long params) {
    return String.format(Locale.ROOT, "%,d", params) + " (" + readableBytes(params * 4) + ")";
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

  private static int[] columnWidths() {
    int[] widths = new int[POSITIONS.length];
    int previous = 0;
    for (int i = 0; i < POSITIONS.length; i++) {
      int end = (int) (POSITIONS[i] * (LINE_LENGTH - 4));
      widths[i] = end - previous;
      previous = end;
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

  private static String row(String edge, String[] cells, int[] widths) {
    StringBuilder line = new StringBuilder(edge);
    for (int i = 0; i < cells.length; i++) {
      String cell = cells[i].length() > widths[i] ? cells[i].substring(0, widths[i]) : cells[i];
      String padded = i == cells.length - 1
          ? " ".repeat(widths[i] - cell.length()) + cell
          : cell + " ".repeat(widths[i] - cell.length());
      line.append(' ').append(padded).append(' ').append(edge);
    }
    return line.append('\n').toString();
  }
}
