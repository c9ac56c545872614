package io.jeras.callbacks;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.PrintStream;
import java.util.Map;
import lombok.AccessLevel;
import lombok.Builder;

/**
 * Keras' {@code ReduceLROnPlateau}: multiplies the learning rate by {@code factor} when the
 * monitored value has not improved for {@code patience} epochs, then waits {@code cooldown}
 * epochs. Keras' defaults: monitor val_loss, factor 0.1, patience 10, mode auto, min_delta 1e-4,
 * cooldown 0, min_lr 0. It also puts {@code learning_rate} into each epoch's logs, so the History
 * (and CSV, TensorBoard) record it. The rate is a graph variable: nothing is rebuilt.
 *
 * <pre>{@code
 * ReduceLROnPlateau.on("val_loss").factor(0.2).patience(5).minLr(0.001)
 * }</pre>
 */
public final class ReduceLROnPlateau extends MonitorCallback {
  private static final System.Logger LOG = System.getLogger("io.jeras.callbacks");

  private final double factor;
  private final int patience;
  private final int cooldown;
  private final double minLr;
  private final int verbose;
  private final PrintStream out;
  private Double best;
  private int wait;
  private int cooldownCounter;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private ReduceLROnPlateau(String monitor, Mode mode, double minDelta, double factor,
      int patience, int cooldown, double minLr, int verbose, PrintStream out) {
    super(monitor, mode, minDelta);
    checkArgument(factor < 1.0, "ReduceLROnPlateau does not support a factor >= 1.0. Received"
        + " factor=%s", factor);
    checkArgument(patience >= 0 && cooldown >= 0 && minLr >= 0,
        "patience, cooldown and min_lr must be >= 0");
    this.factor = factor;
    this.patience = patience;
    this.cooldown = cooldown;
    this.minLr = minLr;
    this.verbose = verbose;
    this.out = out;
  }

  public static ReduceLROnPlateau on(String monitor) {
    return new ReduceLROnPlateau(monitor, Mode.AUTO, 1e-4, 0.1, 10, 0, 0, 0, System.out);
  }

  public static ReduceLROnPlateau defaults() {
    return on("val_loss");
  }

  public ReduceLROnPlateau factor(double factor) {
    return toBuilder().factor(factor).build();
  }

  public ReduceLROnPlateau patience(int patience) {
    return toBuilder().patience(patience).build();
  }

  public ReduceLROnPlateau cooldown(int cooldown) {
    return toBuilder().cooldown(cooldown).build();
  }

  public ReduceLROnPlateau minLr(double minLr) {
    return toBuilder().minLr(minLr).build();
  }

  public ReduceLROnPlateau minDelta(double minDelta) {
    return toBuilder().minDelta(minDelta).build();
  }

  public ReduceLROnPlateau mode(Mode mode) {
    return toBuilder().mode(mode).build();
  }

  public ReduceLROnPlateau verbose(int verbose) {
    return toBuilder().verbose(verbose).build();
  }

  public ReduceLROnPlateau out(PrintStream out) {
    return toBuilder().out(out).build();
  }

  @Override
  public void onTrainBegin(Map<String, Double> logs) {
    best = null;
    wait = 0;
    cooldownCounter = 0;
    resetDirection();
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    logs.put("learning_rate", (double) (float) model().learningRate());
    Double current = logs.get(monitor);
    if (current == null) {
      LOG.log(System.Logger.Level.WARNING, "Learning rate reduction is conditioned on metric `"
          + monitor + "` which is not available. Available metrics are: "
          + String.join(",", logs.keySet()) + ".");
      return;
    }
    if (cooldownCounter > 0) {
      cooldownCounter--;
      wait = 0;
    }
    if (isImprovement(current, best)) {
      best = current;
      wait = 0;
    } else if (cooldownCounter <= 0) {
      wait++;
      if (wait >= patience) {
        double old = model().learningRate();
        if (old > (float) minLr) {
          double next = Math.max(old * factor, minLr);
          model().setLearningRate(next);
          if (verbose > 0) {
            out.println("\nEpoch " + (epoch + 1) + ": ReduceLROnPlateau reducing learning rate to "
                + io.jeras.utils.PythonFormat.format("{v}", Map.of("v", next)) + ".");
          }
          cooldownCounter = cooldown;
          wait = 0;
        }
      }
    }
  }
}
