package io.jeras.trainers;

import io.jeras.metrics.Metric;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * What {@link GraphBuilder} hands to the {@link ModelGraph} it builds: the graph's parts that
 * steps feed, fetch or run.
 *
 * @param inputs a placeholder per model input (or, in a training step of one's own, per x)
 * @param outputs the inference outputs ({@code output_0}, ...; none in a step of one's own)
 * @param trainingOutputs the same outputs in training mode (empty in an inference graph)
 * @param outputNames the output layers' names
 * @param weightNames the layers' weights in layer order ({@code conv2d/kernel}, ...)
 * @param training what trains; null in a graph built without a compile configuration
 */
record GraphHandles(List<Placeholder<TFloat32>> inputs, List<Operand<TFloat32>> outputs,
    List<Operand<TFloat32>> trainingOutputs, List<String> outputNames, List<String> weightNames,
    Training training) {

  GraphHandles {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    trainingOutputs = List.copyOf(trainingOutputs);
    outputNames = List.copyOf(outputNames);
    weightNames = List.copyOf(weightNames);
  }

  /**
   * The training part of a graph.
   *
   * @param labels a labels placeholder per output (or per y)
   * @param labelShapes their shapes, batch first
   * @param sampleWeights Keras' {@code sample_weight} placeholder ({@code [1]} when not fed);
   *     null in a step of one's own
   * @param trainOp the training step
   * @param trainFetches what a training step fetches: the loss and the metrics' state
   *     increments, in {@code logs} order
   * @param testFetches the same in inference mode (empty in a step of one's own)
   * @param logs what each fetch is
   * @param finalizeWeights Keras' {@code finalize_variable_values} ({@code use_ema})
   * @param optimizerScope the compiled optimizer's scope; null in a step of one's own
   * @param learningRate the rate the compiled optimizer's next step uses; null likewise
   */
  record Training(List<Placeholder<TFloat32>> labels, List<Shape> labelShapes,
      Operand<TFloat32> sampleWeights, Op trainOp, List<Operand<TFloat32>> trainFetches,
      List<Operand<TFloat32>> testFetches, List<Log> logs, List<Op> finalizeWeights,
      String optimizerScope, Operand<TFloat32> learningRate) {

    Training {
      labels = List.copyOf(labels);
      labelShapes = List.copyOf(labelShapes);
      trainFetches = List.copyOf(trainFetches);
      testFetches = List.copyOf(testFetches);
      logs = List.copyOf(logs);
      finalizeWeights = List.copyOf(finalizeWeights);
    }
  }

  /**
   * One entry of a step's logs: its key ({@code loss}, {@code accuracy}), the metric whose
   * state it is (null for a loss or a value a step of one's own logs: a mean over batches),
   * and the size of the state vector fetched for it.
   */
  record Log(String key, Metric metric, int stateSize) {}
}
