package io.jeras.callbacks;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.bridge.SummaryFileWriter;
import io.jeras.models.Node;
import java.nio.file.Path;
import java.util.Map;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Keras' {@code TensorBoard}: writes what TensorBoard shows, with Keras' tags and steps, into
 * event files written by TensorFlow's own summary ops.
 *
 * <ul>
 *   <li>{@code <logDir>/train}: {@code epoch_<key>} for every training log and
 *       {@code epoch_learning_rate}, at step = epoch (0-based); with {@link #updateFreq} N,
 *       {@code batch_<key>} every N batches at the running batch count; with
 *       {@link #histogramFreq} N, {@code <layer>/<weight>/histogram} every N epochs; with
 *       {@code writeGraph} (the default), the model's graph.
 *   <li>{@code <logDir>/validation}: {@code epoch_<key>} for every {@code val_<key>} (prefix
 *       stripped) and {@code evaluation_<key>_vs_iterations} at the optimizer's step count.
 * </ul>
 *
 * <pre>{@code
 * TensorBoard.logDir("runs/cats-vs-dogs").histogramFreq(1)
 * }</pre>
 */
public final class TensorBoard extends Callback implements AutoCloseable {
  private final Path logDir;
  private final int histogramFreq;
  private final boolean writeGraph;
  private final int updateFreq;

  private SummaryFileWriter train;
  private SummaryFileWriter validation;
  private long globalTrainBatch;
  private boolean graphWritten;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private TensorBoard(Path logDir, int histogramFreq, boolean writeGraph, int updateFreq) {
    checkArgument(histogramFreq >= 0, "histogram_freq must be >= 0, got %s", histogramFreq);
    checkArgument(updateFreq >= 0, "update_freq must be \"epoch\" (0) or a positive number of"
        + " batches, got %s", updateFreq);
    this.logDir = logDir;
    this.histogramFreq = histogramFreq;
    this.writeGraph = writeGraph;
    this.updateFreq = updateFreq;
  }

  /** Logs to {@code logDir} with Keras' defaults: per epoch, no histograms, the graph written. */
  public static TensorBoard logDir(String logDir) {
    return logDir(Path.of(logDir));
  }

  public static TensorBoard logDir(Path logDir) {
    return new TensorBoard(logDir, 0, true, 0);
  }

  /** Writes weight histograms every {@code epochs} epochs (0: never). */
  public TensorBoard histogramFreq(int epochs) {
    return toBuilder().histogramFreq(epochs).build();
  }

  public TensorBoard writeGraph(boolean writeGraph) {
    return toBuilder().writeGraph(writeGraph).build();
  }

  /** Also writes {@code batch_*} scalars every {@code batches} batches (Keras' update_freq). */
  public TensorBoard updateFreq(int batches) {
    checkArgument(batches > 0, "update_freq must be a positive number of batches, got %s",
        batches);
    return toBuilder().updateFreq(batches).build();
  }

  /** Keras' update_freq by name: "epoch" or "batch" (every batch). */
  public TensorBoard updateFreq(String frequency) {
    return switch (frequency) {
      case "epoch" -> toBuilder().updateFreq(0).build();
      case "batch" -> updateFreq(1);
      default -> throw new IllegalArgumentException(
          "update_freq must be \"epoch\", \"batch\" or a number of batches, got " + frequency);
    };
  }

  public Path logDirectory() {
    return logDir;
  }

  @Override
  public void onTrainBegin(Map<String, Double> logs) {
    globalTrainBatch = 0;
    graphWritten = false;
  }

  @Override
  public void onTrainBatchBegin(int batch, Map<String, Double> logs) {
    globalTrainBatch++;
  }

  @Override
  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    if (writeGraph && !graphWritten) {
      trainWriter().graph(model().graph().graphDef(), 0);
      graphWritten = true;
    }
    if (updateFreq > 0 && globalTrainBatch % updateFreq == 0) {
      logs.forEach((key, value) -> trainWriter().scalar("batch_" + key, value, globalTrainBatch));
    }
  }

  @Override
  public void onTestEnd(Map<String, Double> logs) {
    if (model().isCompiled()) {
      long iterations = model().iterations();
      logs.forEach((key, value) ->
          validationWriter().scalar("evaluation_" + key + "_vs_iterations", value, iterations));
    }
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    logs.forEach((key, value) -> {
      if (key.startsWith("val_")) {
        validationWriter().scalar("epoch_" + key.substring(4), value, epoch);
      } else {
        trainWriter().scalar("epoch_" + key, value, epoch);
      }
    });
    if (model().isCompiled() && !logs.containsKey("learning_rate")) {
      trainWriter().scalar("epoch_learning_rate", model().learningRate(), epoch);
    }
    if (histogramFreq > 0 && epoch % histogramFreq == 0) {
      writeHistograms(epoch);
    }
    trainWriter().flush();
    if (validation != null) {
      validation.flush();
    }
  }

  private void writeHistograms(int epoch) {
    Map<String, FloatNdArray> weights = model().weights();
    for (Node node : model().nodes()) {
      node.weights().forEach(spec -> {
        String name = node.name() + "/" + spec.name();
        FloatNdArray value = weights.get(name);
        trainWriter().histogram(name + "/histogram", io.jeras.data.Data.toFloatArray(value),
            value.shape(), epoch);
      });
    }
  }

  @Override
  public void onTrainEnd(Map<String, Double> logs) {
    closeWriters();
  }

  private SummaryFileWriter trainWriter() {
    if (train == null) {
      train = new SummaryFileWriter(logDir.resolve("train"));
    }
    return train;
  }

  private SummaryFileWriter validationWriter() {
    if (validation == null) {
      validation = new SummaryFileWriter(logDir.resolve("validation"));
    }
    return validation;
  }

  /** Closes the event files if training ended with an exception (fit calls this). */
  @Override
  public void close() {
    closeWriters();
  }

  private void closeWriters() {
    try {
      if (train != null) {
        train.close();
      }
    } finally {
      train = null;
      if (validation != null) {
        validation.close();
        validation = null;
      }
    }
  }
}
