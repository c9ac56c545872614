package io.jeras.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Golden tests of the summary table: the exact text Keras users read. */
class ModelSummaryTest {

  private static String golden(String name) throws IOException {
    try (InputStream in = ModelSummaryTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void leNet5_asKerasPrintsItOutsideATerminal() throws IOException {
    try (Sequential model = SequentialTest.leNet5()) {
      assertThat(ModelSummary.of(model, 76)).isEqualTo(golden("lenet5-summary.txt"));
    }
  }

  @Test
  void afterTraining_countsTheOptimizerToo() throws IOException {
    try (Sequential model = SequentialTest.leNet5()) {
      model.compile("adam", "sparse_categorical_crossentropy", "accuracy");
      model.fit(io.jeras.data.Data.floats(new float[32 * 32], 1, 32, 32, 1),
          io.jeras.data.Data.ints(3), io.jeras.trainers.Fit.defaults().verbose(0));
      // Adam: m and v per weight, plus the learning rate (float32) and iteration (int64)
      assertThat(ModelSummary.of(model, 76)).endsWith(
          " Total params: 185,120 (723.13 KB)\n"
              + " Trainable params: 61,706 (241.04 KB)\n"
              + " Non-trainable params: 0 (0.00 B)\n"
              + " Optimizer params: 123,414 (482.09 KB)\n");
    }
  }

  @Test
  void columns_shrinkToTheLineLengthAsRichDoes() {
    assertThat(ModelSummary.columnWidths(76)).containsExactly(31, 22, 13);
    assertThat(ModelSummary.columnWidths(88)).containsExactly(36, 27, 15);
  }

  @Test
  void sizes_areInPowersOf1024() {
    assertThat(ModelSummary.count(61_706, 4 * 61_706)).isEqualTo("61,706 (241.04 KB)");
    assertThat(ModelSummary.count(0, 0)).isEqualTo("0 (0.00 B)");
    assertThat(ModelSummary.count(433_290, 4 * 433_290)).isEqualTo("433,290 (1.65 MB)");
  }
}
