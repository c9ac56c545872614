package io.jeras.layers;

import static org.assertj.core.api.Assertions.assertThat;

import io.jeras.data.Data;
import io.jeras.layers.core.Input;
import io.jeras.models.Sequential;
import java.util.List;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * The one harness every layer test uses: puts the layer alone in a model, optionally sets its
 * weights, runs it on an input in training or inference mode, and checks that the graph's
 * output shape is the one the layer declared.
 */
public final class LayerHarness {
  private LayerHarness() {}

  /** The layer's output for {@code input} (samples first) with the given weights (or none). */
  public static FloatNdArray run(Layer<?> layer, float[] input, long[] shape, boolean training,
      List<float[]> weights) {
    long[] sample = java.util.Arrays.copyOfRange(shape, 1, shape.length);
    try (Sequential model = Sequential.of(Input.of(sample), layer)) {
      if (weights != null) {
        List<FloatNdArray> arrays = new java.util.ArrayList<>();
        var specs = model.nodes().get(0).weights();
        for (int i = 0; i < weights.size(); i++) {
          arrays.add(NdArrays.wrap(specs.get(i).shape(), DataBuffers.of(weights.get(i))));
        }
        model.setWeights(arrays);
      }
      FloatNdArray out = model.call(Data.floats(input, shape), training);
      Shape declared = model.outputShape();
      assertThat(out.shape().numDimensions()).isEqualTo(declared.numDimensions());
      for (int i = 1; i < declared.numDimensions(); i++) {
        assertThat(out.shape().get(i)).as("output dimension %s", i).isEqualTo(declared.get(i));
      }
      return out;
    }
  }

  /** Inference-mode output with the given weights. */
  public static FloatNdArray run(Layer<?> layer, float[] input, long[] shape, float[]... weights) {
    return run(layer, input, shape, false, weights.length == 0 ? null : List.of(weights));
  }

  /** All values of {@code array}, row-major. */
  public static float[] values(FloatNdArray array) {
    return Data.toFloatArray(array);
  }
}
