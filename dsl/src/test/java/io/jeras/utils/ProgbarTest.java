package io.jeras.utils;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden tests of the progress bar, on a clock the test controls. */
class ProgbarTest {
  private long now;

  private static Map<String, Double> logs(double loss, double accuracy) {
    Map<String, Double> logs = new LinkedHashMap<>();
    logs.put("accuracy", accuracy);
    logs.put("loss", loss);
    return logs;
  }

  private String run(int verbose, boolean dynamic) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    now = 0;
    Progbar bar = new Progbar(100, verbose, out, dynamic, () -> now, "step");
    now = 120_000_000L;                    // first step: 120 ms (graph warm-up)
    bar.update(1, logs(2.5, 0.1), false);
    now += 84_000_000L * 49;               // then 84 ms per step
    bar.update(50, logs(0.61234, 0.79), false);
    now += 84_000_000L * 50;
    bar.update(100, logs(0.17904, 0.92751), true);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void verbose1_plain_printsALinePerUpdate() {
    assertThat(run(1, false)).isEqualTo(
        "  1/100 ──────────────────── 11s 120ms/step - accuracy: 0.1000 - loss: 2.5000\n"
            + " 50/100 ━━━━━━━━━━────────── 4s 84ms/step - accuracy: 0.7900 - loss: 0.6123\n"
            + "100/100 ━━━━━━━━━━━━━━━━━━━━ 8s 84ms/step - accuracy: 0.9275 - loss: 0.1790\n");
  }

  @Test
  void verbose1_terminal_redrawsInPlaceWithColors() {
    String text = run(1, true);
    assertThat(text).startsWith("\r\033[1m  1/100\033[0m \033[37m━━━━━━━━━━━━━━━━━━━━\033[0m");
    assertThat(text).contains("\r\033[1m 50/100\033[0m \033[32m━━━━━━━━━━\033[0m\033[37m"
        + "━━━━━━━━━━\033[0m \033[1m4s\033[0m 84ms/step");
    assertThat(text).endsWith("\r\033[1m100/100\033[0m \033[32m━━━━━━━━━━━━━━━━━━━━\033[0m"
        + "\033[37m\033[0m \033[1m8s\033[0m 84ms/step - accuracy: 0.9275 - loss: 0.1790\n");
  }

  @Test
  void verbose1_plain_doesNotPrintTheLastStepTwice() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    now = 0;
    Progbar bar = new Progbar(2, 1, out, false, () -> now, "step");
    now = 1_000_000_000L;
    bar.update(2, logs(1, 0.5), false);
    bar.update(2, logs(1, 0.5), true);
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo("2/2 ━━━━━━━━━━━━━━━━━━━━ 1s 500ms/step - accuracy: 0.5000 - loss: 1.0000\n");
  }

  @Test
  void verbose2_printsOnlyTheFinalLine() {
    assertThat(run(2, false))
        .isEqualTo("100/100 - 8s - 84ms/step - accuracy: 0.9275 - loss: 0.1790\n");
  }

  @Test
  void verbose0_isSilent() {
    assertThat(run(0, false)).isEmpty();
  }

  @Test
  void values_smallOnesInScientificNotation() {
    assertThat(Progbar.formatValue(0.1790412)).isEqualTo("0.1790");
    assertThat(Progbar.formatValue(0.000123456)).isEqualTo("1.2346e-04");
    assertThat(Progbar.formatValue(-3.5)).isEqualTo("-3.5000");
  }

  @Test
  void timePerStep_unitsFollowKeras() {
    Progbar bar = new Progbar(1, 1, System.out, false, () -> 0, "step");
    assertThat(bar.formatTime(2.4)).isEqualTo(" 2s/step");
    assertThat(bar.formatTime(0.084)).isEqualTo(" 84ms/step");
    assertThat(bar.formatTime(0.00095)).isEqualTo(" 950us/step");
    assertThat(bar.formatTime(0)).isEqualTo(" 0s/step");
  }
}
