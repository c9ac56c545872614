package io.jeras.savedmodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jeras.layers.Layer;
import io.jeras.layers.attention.MultiHeadAttention;
import io.jeras.layers.rnn.Bidirectional;
import io.jeras.layers.rnn.LSTM;
import io.jeras.models.Model;
import io.jeras.savedmodels.keras.KerasModels;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Recurrent models saved by Keras 3 (made at test time by {@code make_rnn_models.py}): a text
 * model taking sequences of any length (Embedding with mask_zero, Bidirectional LSTM, GRU) as
 * .keras and .h5, a Transformer encoder block on the same input, and a stock predictor of two
 * stacked LSTMs, imported and predicting what
 * Keras predicted on padded sequences of mixed lengths.
 */
class KerasRecurrentImportTest {
  @TempDir
  static Path dir;

  @BeforeAll
  static void makeModels() throws Exception {
    assertThat(PythonChecks.run("make_rnn_models.py", dir.toString())).contains("OK");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sentiment.keras", "sentiment.h5"})
  void textModelOfAnyLength_importsAtAGivenLength_andPredictsAsKeras(String file) {
    try (Model model = KerasModels.loader().sequenceLength(12).load(dir.resolve(file))) {
      assertThat(model.layer("bi_lstm")).isInstanceOf(Bidirectional.class);
      assertThat(((Bidirectional) model.layer("bi_lstm")).layer()).isInstanceOf(LSTM.class);
      SavedModelImportTest.assertClose(model.predict(Fixtures.npy(dir.resolve(
          "sentiment.x0.npy"))), Fixtures.npy(dir.resolve("sentiment.y.npy")), 1e-5f);
    }
  }

  @Test
  void openLength_withoutASequenceLength_failsSayingHowToGiveOne() {
    assertThatThrownBy(() -> KerasModels.load(dir.resolve("sentiment.keras")))
        .hasMessageContaining("needs a known number of steps")
        .hasMessageContaining("sequenceLength");
  }

  /** Keras passes the Embedding's mask to MultiHeadAttention as query_mask and value_mask. */
  @Test
  void maskedTransformerEncoder_importsAndPredictsAsKeras() {
    try (Model model = KerasModels.loader().sequenceLength(12)
        .load(dir.resolve("transformer.keras"))) {
      assertThat(model.layer("attention")).isInstanceOf(MultiHeadAttention.class);
      SavedModelImportTest.assertClose(model.predict(Fixtures.npy(dir.resolve(
          "transformer.x0.npy"))), Fixtures.npy(dir.resolve("transformer.y.npy")), 1e-5f);
    }
  }

  @Test
  void stackedLstms_importAndPredictAsKeras() {
    try (Model model = KerasModels.load(dir.resolve("stock.keras"))) {
      assertThat(model.layers()).extracting(Layer::className)
          .containsExactly("LSTM", "LSTM", "Dense");
      SavedModelImportTest.assertClose(model.predict(Fixtures.npy(dir.resolve("stock.x0.npy"))),
          Fixtures.npy(dir.resolve("stock.y.npy")), 1e-5f);
    }
  }
}
