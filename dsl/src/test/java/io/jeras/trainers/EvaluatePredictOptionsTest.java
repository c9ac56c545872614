package io.jeras.trainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jeras.data.Data;
import io.jeras.layers.core.Dense;
import io.jeras.losses.Loss;
import io.jeras.models.Sequential;
import io.jeras.optimizers.SGD;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

/** {@link Evaluate} and {@link Predict}: Keras' defaults, checks, and what they change. */
class EvaluatePredictOptionsTest {

  @Test
  void defaults_andChecks() {
    assertThat(Evaluate.defaults().batchSize()).isEqualTo(32);
    assertThat(Evaluate.defaults().verbose()).isEqualTo(1);
    assertThat(Evaluate.defaults().sampleWeight()).isNull();
    assertThat(Predict.defaults().batchSize()).isEqualTo(32);
    assertThat(Predict.defaults().verbose()).isZero();
    Predict changed = Predict.defaults().batchSize(7);
    assertThat(Predict.defaults().batchSize()).as("a copy changed, not the defaults")
        .isEqualTo(32);
    assertThat(changed.batchSize()).isEqualTo(7);
    assertThatThrownBy(() -> Predict.defaults().batchSize(0))
        .hasMessage("batch_size must be >= 1, got 0");
    assertThatThrownBy(() -> Evaluate.defaults().verbose(3))
        .hasMessage("verbose must be 0, 1 or 2, got 3");
  }

  @Test
  void predictAndEvaluate_withOptions_giveWhatTheDefaultsGive_andPrintWhereAsked() {
    float[] values = new float[40];
    for (int i = 0; i < values.length; i++) {
      values[i] = (i % 7) / 7f - 0.4f;
    }
    FloatNdArray x = Data.floats(values, 10, 4);
    try (Sequential model = Sequential.of(Dense.of(2).inputShape(4))) {
      model.compile(SGD.defaults(), Loss.MEAN_SQUARED_ERROR);
      model.setWeights(List.of(Data.floats(new float[] {1, 0, 0, 1, 1, 1, -1, 0}, 4, 2),
          Data.floats(new float[] {0.5f, -0.5f}, 2)));
      float[] expected = Data.toFloatArray(model.predict(x));
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
      assertThat(Data.toFloatArray(model.predict(x, Predict.defaults().batchSize(3)
          .verbose(1).out(out)))).containsExactly(expected);
      assertThat(printed.toString(StandardCharsets.UTF_8)).contains("4/4");
      FloatNdArray y = model.predict(x);
      assertThat(model.evaluate(x, y, Evaluate.defaults().batchSize(4).verbose(0))
          .get("loss")).isZero();
    }
  }
}
