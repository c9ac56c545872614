package io.jeras.saving;

import io.jeras.bridge.HostValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a checkpoint holds: the model's layers (to check a checkpoint fits the model it is
 * loaded into), its weights, optionally the optimizer's state (slots, learning rate, iteration
 * count) and the number of epochs completed, so training can resume where it stopped.
 *
 * @param layers each layer as {@code name (Class)}, in model order
 * @param optimizer the optimizer's name, or null when the state holds weights only
 * @param epoch epochs completed when the state was taken (the {@code initialEpoch} to resume at)
 */
public record ModelState(String model, List<String> layers, String optimizer, int epoch,
    Map<String, HostValue> weights, Map<String, HostValue> optimizerState) {

  public ModelState {
    layers = List.copyOf(layers);
    weights = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    optimizerState = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(optimizerState));
  }

  /** Whether the optimizer's state is included. */
  public boolean hasOptimizerState() {
    return optimizer != null;
  }
}
