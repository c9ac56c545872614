package io.jeras.layers.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jeras.Jeras;
import io.jeras.callbacks.History;
import io.jeras.data.Data;
import io.jeras.initializers.Initializers;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Embedding;
import io.jeras.layers.core.Input;
import io.jeras.losses.Loss;
import io.jeras.mixedprecision.MixedPrecision;
import io.jeras.models.Sequential;
import io.jeras.optimizers.Adam;
import io.jeras.trainers.Fit;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

/**
 * What the Keras reference cases do not show: masking makes padding invisible, the unrolled
 * layers say what they need, the orthogonal initializer is orthogonal, dropout trains.
 * (Forward passes and SGD steps against Keras: KerasReferenceTest.)
 */
class RecurrentTest {

  private static Sequential classifier(int steps, Recurrent<?> recurrent) {
    return Sequential.of(Input.of(steps), Embedding.of(12, 4).maskZero(true),
        Bidirectional.of(recurrent), Dense.of(2));
  }

  /** A padded sequence gives what it gives alone, unpadded, in a model built for its length. */
  @Test
  void padding_isInvisibleThroughMasks() {
    Jeras.setRandomSeed(4);
    for (Recurrent<?> recurrent : new Recurrent<?>[] {LSTM.of(3), GRU.of(3), SimpleRNN.of(3)}) {
      try (Sequential padded = classifier(7, recurrent);
          Sequential alone = classifier(3, recurrent)) {
        alone.setWeights(padded.getWeights());
        float[] a = Data.toFloatArray(padded.predict(Data.floats(
            new float[] {5, 2, 9, 0, 0, 0, 0, 3, 3, 1, 7, 0, 0, 0}, 2, 7)));
        float[] b = Data.toFloatArray(alone.predict(Data.floats(
            new float[] {5, 2, 9, 3, 3, 1}, 2, 3)));
        float[] c = Data.toFloatArray(padded.predict(Data.floats(
            new float[] {3, 3, 1, 7, 0, 0, 0}, 1, 7)));
        for (int i = 0; i < 2; i++) {
          assertThat(a[i]).as(recurrent.className()).isCloseTo(b[i], within(1e-6f));
        }
        // and the second sequence, 4 steps, alone in a batch of its own
        assertThat(a[2]).isCloseTo(c[0], within(1e-6f));
        assertThat(a[3]).isCloseTo(c[1], within(1e-6f));
      }
    }
  }

  @Test
  void unknownNumberOfSteps_isRefusedNamingWhy() {
    assertThatThrownBy(() -> Sequential.of(Input.of(-1, 3), LSTM.of(2)))
        .hasMessageContaining("LSTM needs a known number of steps (it is unrolled)")
        .hasMessageContaining("Embedding.maskZero");
  }

  @Test
  void mixedPrecision_isRefusedNamingTheWayOut_andFloat32LayersRun() {
    MixedPrecision.setGlobalPolicy("mixed_bfloat16");
    try (Sequential mixed = Sequential.of(Input.of(4, 2), LSTM.of(2), Dense.of(1));
        Sequential float32 = Sequential.of(Input.of(4, 2), LSTM.of(2).dtype("float32"),
            Dense.of(1))) {
      FloatNdArray x = Data.floats(new float[16], 2, 4, 2);
      assertThatThrownBy(() -> mixed.predict(x))
          .hasMessageContaining("LSTM computes in float32 only")
          .hasMessageContaining("LSTM.dtype(\"float32\")");
      assertThat(float32.predict(x).shape()).isEqualTo(Shape.of(2, 1));
    } finally {
      MixedPrecision.setGlobalPolicy("float32");
    }
  }

  @Test
  void orthogonalInitializer_givesOrthonormalColumnsOrRows() {
    for (Shape shape : new Shape[] {Shape.of(8, 8), Shape.of(12, 5), Shape.of(3, 10)}) {
      float[] q = Initializers.orthogonal(2.0, null).generate(shape, 7);
      int rows = (int) shape.get(0);
      int columns = (int) shape.get(1);
      boolean tall = rows >= columns;
      int n = tall ? columns : rows;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          double dot = 0;
          for (int k = 0; k < (tall ? rows : columns); k++) {
            dot += tall ? q[k * columns + i] * q[k * columns + j]
                : q[i * columns + k] * q[j * columns + k];
          }
          assertThat(dot).as("%s (%s, %s)", shape, i, j).isCloseTo(i == j ? 4 : 0,
              within(1e-4));
        }
      }
    }
  }

  @Test
  void dropoutAndRecurrentDropout_train() {
    Jeras.setRandomSeed(5);
    try (Sequential model = Sequential.of(Input.of(6, 2),
        LSTM.of(4).dropout(0.2).recurrentDropout(0.2), Dense.of(1))) {
      model.compile(Adam.defaults().learningRate(0.02), Loss.MEAN_SQUARED_ERROR);
      float[] x = new float[16 * 12];
      float[] y = new float[16];
      for (int i = 0; i < 16; i++) {
        for (int t = 0; t < 12; t++) {
          x[i * 12 + t] = (float) Math.sin(i + t * 0.5);
        }
        y[i] = x[i * 12 + 11];
      }
      History history = model.fit(Data.floats(x, 16, 6, 2), Data.floats(y, 16, 1),
          Fit.epochs(20).batchSize(8).verbose(0));
      assertThat(history.get("loss").get(19)).isLessThan(history.get("loss").get(0));
      // inference ignores dropout: two predictions agree
      assertThat(Data.toFloatArray(model.predict(Data.floats(x, 16, 6, 2))))
          .containsExactly(Data.toFloatArray(model.predict(Data.floats(x, 16, 6, 2))));
    }
  }
}
