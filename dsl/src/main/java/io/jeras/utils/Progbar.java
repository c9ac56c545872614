package io.jeras.utils;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Keras' progress bar ({@code keras.utils.Progbar}), as {@code fit} prints it:
 *
 * <pre>
 * 469/469 ━━━━━━━━━━━━━━━━━━━━ 9s 19ms/step - accuracy: 0.7630 - loss: 0.6676
 * </pre>
 *
 * <p>Verbose 1 redraws the line in place with {@code \r} on a terminal (colored like Keras) and
 * prints one line per update otherwise, at most every 50 ms; verbose 2 prints only the final
 * line, as {@code 469/469 - 9s - 19ms/step - accuracy: 0.7630 - loss: 0.6676}. Values above
 * 1e-3 in magnitude print with four decimals, smaller ones in scientific notation.
 */
public final class Progbar {
  /** Keras' bar width in characters. */
  public static final int WIDTH = 20;
  private static final long INTERVAL_NANOS = 50_000_000L;
  private static final String DONE = "━";
  private static final String TODO_PLAIN = "─";

  private final int target;
  private final int verbose;
  private final PrintStream out;
  private final boolean dynamic;
  private final LongSupplier clock;
  private final String unit;
  private final long start;
  private long timeAfterFirstStep = -1;
  private long lastUpdate;
  private int previousWidth;

  /**
   * @param target the number of steps
   * @param dynamic whether {@code out} is a terminal (redraw in place, with colors)
   * @param clock nanoseconds, {@link System#nanoTime} outside tests
   */
  public Progbar(int target, int verbose, PrintStream out, boolean dynamic, LongSupplier clock,
      String unit) {
    this.target = target;
    this.verbose = verbose;
    this.out = out;
    this.dynamic = dynamic;
    this.clock = clock;
    this.unit = unit;
    this.start = clock.getAsLong();
    this.lastUpdate = start - INTERVAL_NANOS;
  }

  /** A bar for {@code target} steps on {@code out}; dynamic when standard output is a console. */
  public static Progbar of(int target, int verbose, PrintStream out) {
    boolean console = System.console() != null && out == System.out;
    return new Progbar(target, verbose, out, console, System::nanoTime, "step");
  }

  /** Shows progress after {@code current} steps; {@code finalize} at the end of the run. */
  public void update(int current, Map<String, Double> values, boolean finalize) {
    long now = clock.getAsLong();
    double timePerUnit = stepDuration(current, now);
    if (verbose == 1) {
      if (!finalize && now - lastUpdate < INTERVAL_NANOS) {
        return;
      }
      if (!finalize && !dynamic && current >= target) {
        return;   // the final line follows at once; off a terminal it would print twice
      }
      lastUpdate = now;
      String line = barLine(current, values, finalize, now, timePerUnit);
      if (dynamic) {
        int visible = visibleLength(line);
        String padding = previousWidth > visible ? " ".repeat(previousWidth - visible) : "";
        out.print("\r" + line + padding + (finalize ? "\n" : ""));
        previousWidth = visible;
      } else {
        out.println(line);
      }
      out.flush();
    } else if (verbose == 2 && finalize) {
      StringBuilder line = new StringBuilder(formatCount(current)).append(" - ")
          .append(seconds(now - start)).append(" -").append(formatTime(timePerUnit));
      // Keras' verbose-2 line tests avg > 1e-3 without abs(): negatives print scientific
      values.forEach((key, value) -> line.append(" - ").append(key).append(": ").append(
          value > 1e-3 ? formatValue(value) : String.format(Locale.ROOT, "%.4e", value)));
      out.println(line);
      out.flush();
    }
  }

  private String barLine(int current, Map<String, Double> values, boolean finalize, long now,
      double timePerUnit) {
    StringBuilder line = new StringBuilder();
    line.append(bold(formatCount(current))).append(' ');
    int done = (int) (WIDTH * Math.min(1.0, (double) current / target));
    if (dynamic) {
      if (done > 0) {
        line.append("\033[32m").append(DONE.repeat(done)).append("\033[0m");
      }
      line.append("\033[37m").append(DONE.repeat(WIDTH - done)).append("\033[0m");
    } else {
      line.append(DONE.repeat(done)).append(TODO_PLAIN.repeat(WIDTH - done));
    }
    if (!finalize) {
      line.append(' ').append(bold(eta(timePerUnit * (target - current))));
    } else {
      line.append(' ').append(bold(seconds(now - start)));
    }
    line.append(formatTime(timePerUnit)).append(formatValues(values));
    return line.toString();
  }

  private String bold(String text) {
    return dynamic ? "\033[1m" + text + "\033[0m" : text;
  }

  private String formatCount(int current) {
    int digits = (int) Math.log10(target) + 1;
    return String.format(Locale.ROOT, "%" + digits + "d/%d", current, target);
  }

  private double stepDuration(int current, long now) {
    if (current <= 0) {
      return 0;
    }
    double perUnit = timeAfterFirstStep >= 0 && current > 1
        ? (now - timeAfterFirstStep) / 1e9 / (current - 1)
        : (now - start) / 1e9 / current;
    if (current == 1) {
      timeAfterFirstStep = now;
    }
    return perUnit;
  }

  /** Keras' time per step: {@code " 2s/step"}, {@code " 84ms/step"}, {@code " 950us/step"}. */
  String formatTime(double timePerUnit) {
    if (timePerUnit >= 1 || timePerUnit == 0) {
      return String.format(Locale.ROOT, " %.0fs/%s", timePerUnit, unit);
    }
    if (timePerUnit >= 1e-3) {
      return String.format(Locale.ROOT, " %.0fms/%s", timePerUnit * 1e3, unit);
    }
    return String.format(Locale.ROOT, " %.0fus/%s", timePerUnit * 1e6, unit);
  }

  /** Keras' metric list: {@code " - accuracy: 0.9275 - loss: 0.1790"}. */
  public static String formatValues(Map<String, Double> values) {
    StringBuilder text = new StringBuilder();
    values.forEach((key, value) -> text.append(" - ").append(key).append(": ")
        .append(formatValue(value)));
    return text.toString();
  }

  /** Four decimals above 1e-3 in magnitude, else scientific ({@code 1.2340e-04}). */
  public static String formatValue(double value) {
    return Math.abs(value) > 1e-3
        ? String.format(Locale.ROOT, "%.4f", value)
        : String.format(Locale.ROOT, "%.4e", value);
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.0fs", nanos / 1e9);
  }

  private static String eta(double seconds) {
    long eta = (long) seconds;
    if (eta > 3600) {
      return String.format(Locale.ROOT, "%d:%02d:%02d", eta / 3600, (eta % 3600) / 60, eta % 60);
    }
    if (eta > 60) {
      return String.format(Locale.ROOT, "%d:%02d", eta / 60, eta % 60);
    }
    return eta + "s";
  }

  private static int visibleLength(String line) {
    return line.replaceAll("\033\\[[0-9;]*m", "").length();
  }
}
