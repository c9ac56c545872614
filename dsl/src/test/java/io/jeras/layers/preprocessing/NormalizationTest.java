package io.jeras.layers.preprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jeras.data.Data;
import io.jeras.data.Dataset;
import io.jeras.data.Datasets;
import io.jeras.layers.IncompatibleShapeException;
import io.jeras.layers.LayerHarness;
import io.jeras.layers.WeightSpec;
import io.jeras.layers.core.Input;
import io.jeras.models.Sequential;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

class NormalizationTest {
  /** 3 samples of 2 positions x 2 channels. */
  private static final float[] DATA = {1, 10, 3, 20, 5, 30, 7, 40, 9, 50, 11, 60};

  @Test
  void givenStatistics_normalizeWithoutWeights() {
    Normalization layer = Normalization.of(new double[] {2, -1}, new double[] {4, 0.25});
    assertThat(layer.weights(Shape.of(-1, 2))).isEmpty();
    float[] out = LayerHarness.values(LayerHarness.run(layer, new float[] {4, 0, 0, -1},
        new long[] {2, 2}));
    assertThat(out).containsExactly(1, 2, -1, 0);
    float[] back = LayerHarness.values(LayerHarness.run(layer.invert(true), out,
        new long[] {2, 2}));
    assertThat(back).containsExactly(4, 0, 0, -1);
  }

  @Test
  void zeroVariance_dividesBy1eMinus7() {
    float[] out = LayerHarness.values(LayerHarness.run(Normalization.of(1, 0),
        new float[] {1, 1.5f}, new long[] {1, 2}));
    assertThat(out[0]).isEqualTo(0f);
    assertThat(out[1]).isCloseTo(0.5f / 1e-7f, within(1f));
  }

  @Test
  void givenStatistics_mustBroadcastToTheKeptAxes() {
    assertThatThrownBy(() -> Normalization.of(new double[] {1, 2, 3}, new double[] {1, 1, 1})
        .outputShape(Shape.of(-1, 4, 2)))
        .isInstanceOf(IncompatibleShapeException.class)
        .hasMessageEndingWith("`mean` of shape [3] cannot be broadcast to [1, 1, 2], the input's"
            + " sizes on the kept axes");
    assertThatThrownBy(() -> Normalization.of(new double[] {1}, null)).hasMessage("When setting"
        + " values directly, both `mean` and `variance` must be set. Received: mean=[1.0] and"
        + " variance=null");
  }

  @Test
  void adapt_computesThePopulationMeanAndVariancePerChannel() {
    Normalization layer = Normalization.of().adapt(Data.floats(DATA, 3, 2, 2));
    assertThat(layer.isAdapted()).isTrue();
    // channel 0: 1, 3, 5, 7, 9, 11 (mean 6, variance 35 / 3); channel 1: 10..60 (35, 291.67)
    assertThat(Data.toFloatArray(layer.adaptedMean())).containsExactly(6, 35);
    float[] variance = Data.toFloatArray(layer.adaptedVariance());
    assertThat(variance[0]).isCloseTo(35 / 3f, within(1e-5f));
    assertThat(variance[1]).isCloseTo(1750 / 6f, within(1e-4f));
    try (Sequential model = Sequential.of(Input.of(2, 2), layer)) {
      Map<String, FloatNdArray> weights = model.weights();
      assertThat(weights.keySet()).containsExactly("normalization/mean",
          "normalization/variance", "normalization/count");
      assertThat(Data.toFloatArray(weights.get("normalization/mean"))).containsExactly(6, 35);
      assertThat(weights.get("normalization/count").shape()).isEqualTo(Shape.scalar());
      assertThat(weights.get("normalization/count").getFloat()).isEqualTo(0f);
      float[] out = Data.toFloatArray(model.call(Data.floats(new float[] {6, 35, 12, 35}, 1, 2,
          2), false));
      assertThat(out[0]).isEqualTo(0f);
      assertThat(out[2]).isCloseTo((float) (6 / Math.sqrt(35 / 3.0)), within(1e-5f));
    }
    assertThat(Normalization.of().isAdapted()).isFalse();
  }

  @Test
  void adaptToADataset_batchByBatch_givesTheWholeDatasStatistics() {
    FloatNdArray data = Data.floats(DATA, 3, 2, 2);
    for (int axisCase = 0; axisCase < 3; axisCase++) {
      Normalization layer = switch (axisCase) {
        case 0 -> Normalization.of();
        case 1 -> Normalization.of().axis(1);
        default -> Normalization.of().axisNone();
      };
      Normalization whole = layer.adapt(data);
      Normalization batched = layer.adapt(Datasets.fromArrays(data, null, 2));
      float[] mean = Data.toFloatArray(whole.adaptedMean());
      float[] variance = Data.toFloatArray(whole.adaptedVariance());
      float[] batchedMean = Data.toFloatArray(batched.adaptedMean());
      float[] batchedVariance = Data.toFloatArray(batched.adaptedVariance());
      for (int i = 0; i < mean.length; i++) {
        assertThat(batchedMean[i]).isCloseTo(mean[i], within(1e-4f));
        assertThat(batchedVariance[i]).isCloseTo(variance[i], within(1e-3f));
      }
    }
    assertThat(Normalization.of().axisNone().adapt(data).adaptedMean().shape())
        .isEqualTo(Shape.scalar());
    assertThat(Normalization.of().axis(1, 2).adapt(data).adaptedMean().shape())
        .isEqualTo(Shape.of(2, 2));
  }

  @Test
  void adapted_layerOnAnInputOfOtherSizes_isRejected() {
    Normalization layer = Normalization.of().adapt(Data.floats(DATA, 3, 2, 2));
    assertThatThrownBy(() -> layer.outputShape(Shape.of(-1, 2, 3)))
        .hasMessageEndingWith("The layer was adapted to data of rank 3 with sizes [2] on axis"
            + " (-1,), but is applied to an input of shape (None, 2, 3)");
    assertThatThrownBy(() -> layer.axis(1)).hasMessage("the axis cannot change after adapt();"
        + " set it before");
  }

  @Test
  void axis_mustBeInRangeAndNotTheBatch() {
    assertThatThrownBy(() -> Normalization.of().axis(3).outputShape(Shape.of(-1, 2, 2)))
        .hasMessageEndingWith("All `axis` values must be in the range [-ndim, ndim). Received"
            + " inputs with ndim=3, while axis=(3,)");
    assertThatThrownBy(() -> Normalization.of().axis(0).adapt(Data.floats(DATA, 3, 2, 2)))
        .hasMessage("All `axis` values to be kept must have a known shape. Received axis=(0,),"
            + " inputs.shape=(None, 2, 2), with unknown axis at index 0");
  }

  @Test
  void adapt_refusesGivenStatisticsAndEndlessOrEmptyDatasets() {
    assertThatThrownBy(() -> Normalization.of(0, 1).adapt(Data.floats(DATA, 3, 2, 2)))
        .isInstanceOf(IllegalStateException.class);
    Dataset endless = Datasets.fromArrays(Data.floats(DATA, 3, 2, 2), null, 2).repeat();
    assertThatThrownBy(() -> Normalization.of().adapt(endless)).hasMessage("adapt() needs a"
        + " finite dataset; this one repeats forever");
  }

  @Test
  void weightsWithoutAdapt_areZerosOnesAndACount() {
    List<WeightSpec> weights = Normalization.of().axis(1, 2).weights(Shape.of(-1, 3, 4));
    assertThat(weights).extracting(WeightSpec::name).containsExactly("mean", "variance",
        "count");
    assertThat(weights).extracting(WeightSpec::trainable).containsOnly(false);
    assertThat(weights.get(0).shape()).isEqualTo(Shape.of(3, 4));
    assertThat(weights.get(2).shape()).isEqualTo(Shape.scalar());
    assertThat(Normalization.of().countParams(Shape.of(-1, 5, 5, 3))).isEqualTo(7);
  }
}
