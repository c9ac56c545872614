package io.jeras.callbacks;

import io.jeras.metrics.Metric;
import java.util.Locale;
import java.util.Map;

/**
 * What callbacks that watch one log value share (Keras' {@code MonitorCallback}): the key, the
 * direction of improvement and the minimum change that counts.
 *
 * <p>In {@link Mode#AUTO}, {@code loss} and {@code val_loss} improve downwards and a compiled
 * metric improves in its own direction (accuracies up, errors down); any other key needs an
 * explicit mode. Improvement is strict: in min mode {@code current - minDelta < best}.
 */
public abstract class MonitorCallback extends Callback {
  private static final System.Logger LOG = System.getLogger("io.jeras.callbacks");

  /** Which way the monitored value improves. */
  public enum Mode {
    AUTO, MIN, MAX;

    /** The mode Keras calls {@code name} ("auto", "min", "max"). */
    public static Mode of(String name) {
      return switch (name.toLowerCase(Locale.ROOT)) {
        case "auto" -> AUTO;
        case "min" -> MIN;
        case "max" -> MAX;
        default -> throw new IllegalArgumentException(
            "mode must be one of auto, min, max; got \"" + name + "\"");
      };
    }
  }

  protected final String monitor;
  protected final Mode mode;
  protected final double minDelta;
  private Boolean higherIsBetter;

  protected MonitorCallback(String monitor, Mode mode, double minDelta) {
    if (monitor == null || monitor.isEmpty()) {
      throw new IllegalArgumentException("monitor must name a log key such as \"val_loss\"");
    }
    this.monitor = monitor;
    this.mode = mode;
    this.minDelta = Math.abs(minDelta);
  }

  /** Whether {@code current} improves on {@code reference} (null: anything does). */
  protected boolean isImprovement(double current, Double reference) {
    if (reference == null) {
      return true;
    }
    return higherIsBetter()
        ? current - minDelta > reference
        : current + minDelta < reference;
  }

  /** The direction, resolved on first use as Keras does (after the model is compiled). */
  protected boolean higherIsBetter() {
    if (higherIsBetter == null) {
      higherIsBetter = switch (mode) {
        case MIN -> false;
        case MAX -> true;
        case AUTO -> autoDirection();
      };
    }
    return higherIsBetter;
  }

  private boolean autoDirection() {
    String metric = monitor.startsWith("val_") ? monitor.substring(4) : monitor;
    if (metric.equals("loss")) {
      return false;
    }
    if (model() != null && model().compileConfig() != null) {
      for (Metric m : model().compileConfig().metrics()) {
        if (m.name().equals(metric)) {
          return m.higherIsBetter();
        }
      }
    }
    throw new IllegalArgumentException(getClass().getSimpleName() + " callback received monitor="
        + monitor + ", but Jeras isn't able to automatically determine whether that metric should"
        + " be maximized or minimized. Pass mode MAX in order to monitor based on the highest"
        + " metric value, or mode MIN in order to use the lowest value.");
  }

  /** The monitored value in {@code logs}, or null (with a warning, as Keras warns). */
  protected Double monitorValue(Map<String, Double> logs, String what) {
    Double value = logs == null ? null : logs.get(monitor);
    if (value == null) {
      LOG.log(System.Logger.Level.WARNING, what + " conditioned on metric `" + monitor
          + "` which is not available. Available metrics are: "
          + String.join(",", logs == null ? java.util.List.of() : logs.keySet()));
    }
    return value;
  }

  /** Clears the cached direction (a new fit may have another compile configuration). */
  protected void resetDirection() {
    higherIsBetter = null;
  }
}
