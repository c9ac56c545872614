package io.jeras.callbacks;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.utils.PythonFormat;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import lombok.AccessLevel;
import lombok.Builder;

/**
 * Keras' {@code ModelCheckpoint}: saves the model during training, every epoch or every N
 * batches, optionally only when the monitored value improves.
 *
 * <p>The file path is a Python format template over the epoch (1-based), the batch (1-based,
 * with a batch frequency) and every log key: {@code "ckpt/{epoch:02d}-{val_loss:.2f}.ckpt"}
 * gives {@code ckpt/03-0.41.ckpt}; an unknown key fails naming it. Parent directories are
 * created. By default the full training state is written ({@link
 * io.jeras.models.Model#saveCheckpoint}: weights, optimizer state and epochs completed, enough
 * to resume); {@link #saveWeightsOnly()} writes weights alone ({@code saveWeights}). Files are
 * written atomically. With {@link #saveBestOnly()}, a file is written only when the monitored
 * value improves strictly (or when it is missing, with a warning, as Keras does).
 *
 * <p>Jeras writes its own checkpoint format (see {@code jeras-savedmodels}), so a path ending in
 * Keras' {@code .keras} or {@code .h5} is rejected rather than mislabelled.
 *
 * <pre>{@code
 * ModelCheckpoint.to("ckpt/epoch-{epoch:02d}-{val_loss:.2f}.ckpt").saveBestOnly()
 * }</pre>
 */
public final class ModelCheckpoint extends MonitorCallback {
  private static final System.Logger LOG = System.getLogger("io.jeras.callbacks");

  private final String filepath;
  private final boolean saveBestOnly;
  private final boolean saveWeightsOnly;
  private final int saveFreq;
  private final Double initialValueThreshold;
  private final int verbose;
  private final PrintStream out;

  private Double best;
  private int currentEpoch;
  private int batchesSinceLastSave;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private ModelCheckpoint(String filepath, String monitor, Mode mode, boolean saveBestOnly,
      boolean saveWeightsOnly, int saveFreq, Double initialValueThreshold, int verbose,
      PrintStream out) {
    super(monitor, mode, 0);
    checkArgument(filepath != null && !filepath.isEmpty(), "filepath must not be empty");
    String lower = filepath.toLowerCase(Locale.ROOT);
    checkArgument(!lower.endsWith(".keras") && !lower.endsWith(".h5"),
        "Jeras writes its own checkpoint format, not Keras' .keras/.h5 files; name the file"
            + " without those extensions (for example .ckpt). Received: filepath=%s", filepath);
    checkArgument(saveFreq >= 0, "save_freq must be \"epoch\" (0) or a positive number of"
        + " batches, got %s", saveFreq);
    this.filepath = filepath;
    this.saveBestOnly = saveBestOnly;
    this.saveWeightsOnly = saveWeightsOnly;
    this.saveFreq = saveFreq;
    this.initialValueThreshold = initialValueThreshold;
    this.verbose = verbose;
    this.out = out;
    this.best = initialValueThreshold;
  }

  /** Saves to {@code filepath} (a template) with Keras' defaults: monitor val_loss, every epoch. */
  public static ModelCheckpoint to(String filepath) {
    return new ModelCheckpoint(filepath, "val_loss", Mode.AUTO, false, false, 0, null, 0,
        System.out);
  }

  public ModelCheckpoint monitor(String monitor) {
    return toBuilder().monitor(monitor).build();
  }

  public ModelCheckpoint mode(Mode mode) {
    return toBuilder().mode(mode).build();
  }

  /** Saves only when the monitored value improves on the best so far. */
  public ModelCheckpoint saveBestOnly() {
    return toBuilder().saveBestOnly(true).build();
  }

  /** Saves the weights alone, without the optimizer's state and epoch. */
  public ModelCheckpoint saveWeightsOnly() {
    return toBuilder().saveWeightsOnly(true).build();
  }

  /** Saves every {@code batches} batches instead of every epoch (Keras' integer save_freq). */
  public ModelCheckpoint saveFreq(int batches) {
    checkArgument(batches > 0, "save_freq must be a positive number of batches, got %s", batches);
    return toBuilder().saveFreq(batches).build();
  }

  /** The value the monitored quantity must beat for the first save (with saveBestOnly). */
  public ModelCheckpoint initialValueThreshold(double threshold) {
    return toBuilder().initialValueThreshold(threshold).build();
  }

  /** 1 prints Keras' messages ("Epoch 3: val_loss improved from ... saving model to ..."). */
  public ModelCheckpoint verbose(int verbose) {
    return toBuilder().verbose(verbose).build();
  }

  public ModelCheckpoint out(PrintStream out) {
    return toBuilder().out(out).build();
  }

  /** The best monitored value so far (with saveBestOnly), or the initial threshold, or null. */
  public Double best() {
    return best;
  }

  @Override
  public void onTrainBegin(Map<String, Double> logs) {
    resetDirection();
    batchesSinceLastSave = 0;
  }

  @Override
  public void onEpochBegin(int epoch, Map<String, Double> logs) {
    currentEpoch = epoch;
  }

  @Override
  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    if (saveFreq > 0 && ++batchesSinceLastSave >= saveFreq) {
      batchesSinceLastSave = 0;
      save(currentEpoch, batch, logs);
    }
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    if (saveFreq == 0) {
      save(epoch, null, logs);
    }
  }

  private void save(int epoch, Integer batch, Map<String, Double> logs) {
    Map<String, Number> values = new LinkedHashMap<>(logs);
    values.put("epoch", epoch + 1);
    if (batch != null) {
      values.put("batch", batch + 1);
    }
    Path path = Path.of(PythonFormat.format(filepath, values));
    if (!shouldSave(epoch, logs, path)) {
      return;
    }
    if (saveWeightsOnly) {
      model().saveWeights(path);
    } else {
      // a save inside an epoch resumes at the start of that epoch
      model().saveCheckpoint(path, batch == null ? epoch + 1 : epoch);
    }
    if (verbose > 0) {
      out.println("\nEpoch " + (epoch + 1) + ": finished saving model to " + path);
    }
  }

  private boolean shouldSave(int epoch, Map<String, Double> logs, Path path) {
    if (!saveBestOnly) {
      if (verbose > 0) {
        out.println("\nEpoch " + (epoch + 1) + ": saving model to " + path);
      }
      return true;
    }
    Double current = logs.get(monitor);
    if (current == null) {
      LOG.log(System.Logger.Level.WARNING, "Can save best model only with " + monitor
          + " available.");
      return true;
    }
    String bestText = best == null ? "None" : String.format(Locale.ROOT, "%.5f", best);
    if (isImprovement(current, best)) {
      if (verbose > 0) {
        out.println("\nEpoch " + (epoch + 1) + ": " + monitor + " improved from " + bestText
            + " to " + String.format(Locale.ROOT, "%.5f", current) + ", saving model to " + path);
      }
      best = current;
      return true;
    }
    if (verbose > 0) {
      out.println("\nEpoch " + (epoch + 1) + ": " + monitor + " did not improve from " + bestText);
    }
    return false;
  }
}
