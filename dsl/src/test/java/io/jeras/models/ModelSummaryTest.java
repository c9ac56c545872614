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
  void leNet5() throws IOException {
    try (Sequential model = SequentialTest.leNet5()) {
      assertThat(ModelSummary.of(model)).isEqualTo(golden("lenet5-summary.txt"));
    }
  }

  @Test
  void sizes_areInPowersOf1024() {
    assertThat(ModelSummary.count(61_706)).isEqualTo("61,706 (241.04 KB)");
    assertThat(ModelSummary.count(0)).isEqualTo("0 (0.00 B)");
    assertThat(ModelSummary.count(433_290)).isEqualTo("433,290 (1.65 MB)");
  }
}
