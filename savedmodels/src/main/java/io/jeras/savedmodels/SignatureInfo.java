package io.jeras.savedmodels;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.proto.SignatureDef;

/** A SavedModel signature: its key, method and named inputs and outputs, in key order. */
public record SignatureInfo(String key, String method, Map<String, TensorSpec> inputs,
    Map<String, TensorSpec> outputs) {

  static SignatureInfo of(String key, SignatureDef def) {
    Map<String, TensorSpec> inputs = new LinkedHashMap<>();
    def.getInputsMap().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> inputs.put(e.getKey(), TensorSpec.of(e.getKey(), e.getValue())));
    Map<String, TensorSpec> outputs = new LinkedHashMap<>();
    def.getOutputsMap().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> outputs.put(e.getKey(), TensorSpec.of(e.getKey(), e.getValue())));
    return new SignatureInfo(key, def.getMethodName(), inputs, outputs);
  }

  /**
   * Whether calls can be split into batches and the results joined: every input and every
   * output has a first dimension of unknown size (the batch), and there is at least one input.
   * A scalar input (TF-Agents' {@code batch_size}), a fixed first dimension or an output of
   * unknown rank means the signature is always called once, on everything.
   */
  public boolean batchable() {
    return !inputs.isEmpty() && inputs.values().stream().allMatch(SignatureInfo::batchAxis)
        && outputs.values().stream().allMatch(SignatureInfo::batchAxis);
  }

  private static boolean batchAxis(TensorSpec spec) {
    return !spec.shape().isUnknown() && spec.shape().numDimensions() >= 1
        && spec.shape().get(0) == -1;
  }

  @Override
  public String toString() {
    return key + "(" + String.join(", ", inputs.values().stream().map(Object::toString).toList())
        + ") -> (" + String.join(", ", outputs.values().stream().map(Object::toString).toList())
        + ")";
  }
}
