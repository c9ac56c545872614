package io.jeras.callbacks;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import lombok.AccessLevel;
import lombok.Builder;

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

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
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
    return toBuilder().epochBegin(f).build();
  }

  public LambdaCallback onEpochEnd(BiConsumer<Integer, Map<String, Double>> f) {
    return toBuilder().epochEnd(f).build();
  }

  public LambdaCallback onTrainBatchBegin(BiConsumer<Integer, Map<String, Double>> f) {
    return toBuilder().batchBegin(f).build();
  }

  public LambdaCallback onTrainBatchEnd(BiConsumer<Integer, Map<String, Double>> f) {
    return toBuilder().batchEnd(f).build();
  }

  public LambdaCallback onTrainBegin(Consumer<Map<String, Double>> f) {
    return toBuilder().trainBegin(f).build();
  }

  public LambdaCallback onTrainEnd(Consumer<Map<String, Double>> f) {
    return toBuilder().trainEnd(f).build();
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
