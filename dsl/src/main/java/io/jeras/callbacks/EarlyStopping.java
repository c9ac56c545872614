package io.jeras.callbacks;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Keras' {@code EarlyStopping}: stops training when the monitored value has stopped improving.
 *
 * <p>Defaults as in Keras: monitor {@code val_loss}, min_delta 0, patience 0, mode auto, no
 * baseline, weights not restored, start from epoch 0, silent. Each epoch (from
 * {@code startFromEpoch}): a missing key warns and is skipped; {@code wait} grows by one; an
 * improvement remembers the value (and the weights) and resets {@code wait}, unless a baseline
 * is set and not beaten; otherwise once {@code wait >= patience} (after the first epoch)
 * training stops. At the end, with {@code restoreBestWeights}, the best epoch's weights are put
 * back even if training never stopped early. State resets at each {@code fit}.
 *
 * <pre>{@code
 * EarlyStopping.on("val_loss").patience(3).restoreBestWeights()
 * }</pre>
 */
public final class EarlyStopping extends MonitorCallback {
  private final int patience;
  private final Double baseline;
  private final boolean restoreBestWeights;
  private final int startFromEpoch;
  private final int verbose;
  private final PrintStream out;

  private int wait;
  private int stoppedEpoch;
  private Double best;
  private List<FloatNdArray> bestWeights;
  private int bestEpoch;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private EarlyStopping(String monitor, Mode mode, double minDelta, int patience, Double baseline,
      boolean restoreBestWeights, int startFromEpoch, int verbose, PrintStream out) {
    super(monitor, mode, minDelta);
    checkArgument(patience >= 0, "patience must be >= 0, got %s", patience);
    checkArgument(startFromEpoch >= 0, "start_from_epoch must be >= 0, got %s", startFromEpoch);
    this.patience = patience;
    this.baseline = baseline;
    this.restoreBestWeights = restoreBestWeights;
    this.startFromEpoch = startFromEpoch;
    this.verbose = verbose;
    this.out = out;
  }

  /** Keras' defaults: monitors {@code val_loss}. */
  public static EarlyStopping defaults() {
    return on("val_loss");
  }

  /** Keras' defaults, monitoring {@code monitor}. */
  public static EarlyStopping on(String monitor) {
    return new EarlyStopping(monitor, Mode.AUTO, 0, 0, null, false, 0, 0, System.out);
  }

  public EarlyStopping minDelta(double minDelta) {
    return toBuilder().minDelta(minDelta).build();
  }

  /** Epochs without improvement after which training stops. */
  public EarlyStopping patience(int patience) {
    return toBuilder().patience(patience).build();
  }

  public EarlyStopping mode(Mode mode) {
    return toBuilder().mode(mode).build();
  }

  /** A value the monitored quantity must beat for patience to reset. */
  public EarlyStopping baseline(double baseline) {
    return toBuilder().baseline(baseline).build();
  }

  /** Restores the weights of the best epoch when training ends. */
  public EarlyStopping restoreBestWeights() {
    return toBuilder().restoreBestWeights(true).build();
  }

  /** Epochs to wait before monitoring starts (warm-up). */
  public EarlyStopping startFromEpoch(int epoch) {
    return toBuilder().startFromEpoch(epoch).build();
  }

  /** 1 prints {@code Epoch N: early stopping} and the weight restoration, as Keras does. */
  public EarlyStopping verbose(int verbose) {
    return toBuilder().verbose(verbose).build();
  }

  /** Where verbose messages go (default: standard output). */
  public EarlyStopping out(PrintStream out) {
    return toBuilder().out(out).build();
  }

  /** The 0-based epoch at which training stopped, or 0 if it did not stop early. */
  public int stoppedEpoch() {
    return stoppedEpoch;
  }

  /** The best monitored value seen in the last fit, or null. */
  public Double best() {
    return best;
  }

  /** The 0-based epoch of the best value. */
  public int bestEpoch() {
    return bestEpoch;
  }

  @Override
  public void onTrainBegin(Map<String, Double> logs) {
    wait = 0;
    stoppedEpoch = 0;
    best = null;
    bestWeights = null;
    bestEpoch = 0;
    resetDirection();
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    Double current = monitorValue(logs, "Early stopping");
    if (current == null || epoch < startFromEpoch) {
      return;
    }
    if (restoreBestWeights && bestWeights == null) {
      bestWeights = model().getWeights();
      bestEpoch = epoch;
    }
    wait++;
    if (isImprovement(current, best)) {
      best = current;
      bestEpoch = epoch;
      if (restoreBestWeights) {
        bestWeights = model().getWeights();
      }
      if (baseline == null || isImprovement(current, baseline)) {
        wait = 0;
      }
      return;
    }
    if (wait >= patience && epoch > 0) {
      stoppedEpoch = epoch;
      run().stopTraining();
    }
  }

  @Override
  public void onTrainEnd(Map<String, Double> logs) {
    if (stoppedEpoch > 0 && verbose > 0) {
      out.println("Epoch " + (stoppedEpoch + 1) + ": early stopping");
    }
    if (restoreBestWeights && bestWeights != null) {
      if (verbose > 0) {
        out.println("Restoring model weights from the end of the best epoch: "
            + (bestEpoch + 1) + ".");
      }
      model().setWeights(bestWeights);
    }
  }
}
