package io.jeras.callbacks;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Keras' {@code LambdaCallback}: a callback from functions.
 *
 * <pre>{@code
 * LambdaCallback.create().onEpochEnd((epoch, logs) -> System.out.println(logs.get("loss")))
 * }</pre>
 */
public final class LambdaCallback extends Callback {
  private final BiConsumer<Integer, Map<String, Double>> epochBegin;
  private final BiConsumer<Integer, Map<String, Double>> epochEnd;
  private final BiConsumer<Integer, Map<String, Double>> batchBegin;
  private final BiConsumer<Integer, Map<String, Double>> batchEnd;
  private final Consumer<Map<String, Double>> trainBegin;
  private final Consumer<Map<String, Double>> trainEnd;

  private LambdaCallback(BiConsumer<Integer, Map<String, Double>> epochBegin,
      BiConsumer<Integer, Map<String, Double>> epochEnd,
      BiConsumer<Integer, Map<String, Double>> batchBegin,
      BiConsumer<Integer, Map<String, Double>> batchEnd, Consumer<Map<String, Double>> trainBegin,
      Consumer<Map<String, Double>> trainEnd) {
    this.epochBegin = epochBegin;
    this.epochEnd = epochEnd;
    this.batchBegin = batchBegin;
    this.batchEnd = batchEnd;
    this.trainBegin = trainBegin;
    this.trainEnd = trainEnd;
  }

  /** A callback that does nothing until given functions. */
  public static LambdaCallback create() {
    return new LambdaCallback(null, null, null, null, null, null);
  }

  public LambdaCallback onEpochBegin(BiConsumer<Integer, Map<String, Double>> f) {
    return new LambdaCallback(f, epochEnd, batchBegin, batchEnd, trainBegin, trainEnd);
  }

  public LambdaCallback onEpochEnd(BiConsumer<Integer, Map<String, Double>> f) {
    return new LambdaCallback(epochBegin, f, batchBegin, batchEnd, trainBegin, trainEnd);
  }

  public LambdaCallback onTrainBatchBegin(BiConsumer<Integer, Map<String, Double>> f) {
    return new LambdaCallback(epochBegin, epochEnd, f, batchEnd, trainBegin, trainEnd);
  }

  public LambdaCallback onTrainBatchEnd(BiConsumer<Integer, Map<String, Double>> f) {
    return new LambdaCallback(epochBegin, epochEnd, batchBegin, f, trainBegin, trainEnd);
  }

  public LambdaCallback onTrainBegin(Consumer<Map<String, Double>> f) {
    return new LambdaCallback(epochBegin, epochEnd, batchBegin, batchEnd, f, trainEnd);
  }

  public LambdaCallback onTrainEnd(Consumer<Map<String, Double>> f) {
    return new LambdaCallback(epochBegin, epochEnd, batchBegin, batchEnd, trainBegin, f);
  }

  @Override
  public void onEpochBegin(int epoch, Map<String, Double> logs) {
    if (epochBegin != null) {
      epochBegin.accept(epoch, logs);
    }
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    if (epochEnd != null) {
      epochEnd.accept(epoch, logs);
    }
  }

  @Override
  public void onTrainBatchBegin(int batch, Map<String, Double> logs) {
    if (batchBegin != null) {
      batchBegin.accept(batch, logs);
    }
  }

  @Override
  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    if (batchEnd != null) {
      batchEnd.accept(batch, logs);
    }
  }

  @Override
  public void onTrainBegin(Map<String, Double> logs) {
    if (trainBegin != null) {
      trainBegin.accept(logs);
    }
  }

  @Override
  public void onTrainEnd(Map<String, Double> logs) {
    if (trainEnd != null) {
      trainEnd.accept(logs);
    }
  }
}
