package io.jeras.trainers;

import io.jeras.layers.WeightSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The layers' weights in a graph, as {@link GraphBuilder#createWeights} made them: their names
 * in layer order ({@code conv2d/kernel}), specs, variables and reads, and the seed of each node
 * (for its random ops).
 */
record GraphWeights(List<String> names, Map<String, WeightSpec> specs,
    Map<String, Variable<TFloat32>> variables, Map<String, Operand<TFloat32>> reads,
    long[] nodeSeeds) {

  /** What an optimizer updates: some trainable weights, with what gradients are taken of. */
  record Trainables(List<String> names, List<Operand<TFloat32>> reads,
      List<Variable<TFloat32>> variables, List<WeightSpec> specs) {}

  /**
   * The trainable weights whose names start with {@code prefix} ("" for all), differentiated
   * through {@code reads} (a weight's read may differ from {@link #reads} in a training step of
   * one's own, after an earlier update).
   */
  Trainables trainable(String prefix, Map<String, Operand<TFloat32>> reads) {
    List<String> trainable = new ArrayList<>();
    List<Operand<TFloat32>> values = new ArrayList<>();
    List<Variable<TFloat32>> vars = new ArrayList<>();
    List<WeightSpec> trainableSpecs = new ArrayList<>();
    for (String name : names) {
      if (name.startsWith(prefix) && specs.get(name).trainable()) {
        trainable.add(name);
        values.add(reads.get(name));
        vars.add(variables.get(name));
        trainableSpecs.add(specs.get(name));
      }
    }
    return new Trainables(trainable, values, vars, trainableSpecs);
  }
}
