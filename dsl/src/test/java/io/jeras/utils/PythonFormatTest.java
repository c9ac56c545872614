package io.jeras.utils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden outputs of Python's str.format for the templates Keras callbacks see. */
class PythonFormatTest {
  private static final Map<String, Number> LOGS = new LinkedHashMap<>();

  static {
    LOGS.put("epoch", 3);
    LOGS.put("batch", 120);
    LOGS.put("val_loss", 0.41234);
    LOGS.put("accuracy", 0.9275);
    LOGS.put("lr", 1e-05);
    LOGS.put("delta", -0.5);
  }

  private static String f(String template) {
    return PythonFormat.format(template, LOGS);
  }

  @Test
  void kerasTemplates() {
    assertThat(f("ckpt/epoch-{epoch:02d}-{val_loss:.2f}")).isEqualTo("ckpt/epoch-03-0.41");
    assertThat(f("{epoch:02d}-{val_loss:.2f}.ckpt")).isEqualTo("03-0.41.ckpt");
    assertThat(f("weights.{epoch}-{accuracy:.4f}")).isEqualTo("weights.3-0.9275");
    assertThat(f("b{batch:05d}")).isEqualTo("b00120");
  }

  @Test
  void pythonFormatSpecs() {
    // each expectation is what Python 3 prints for the same format call
    assertThat(f("{val_loss}")).isEqualTo("0.41234");
    assertThat(f("{lr}")).isEqualTo("1e-05");
    assertThat(f("{lr:.2e}")).isEqualTo("1.00e-05");
    assertThat(f("{accuracy:.1%}")).isEqualTo("92.8%");
    assertThat(f("{epoch:>4}|{epoch:<4}|{epoch:^5}")).isEqualTo("   3|3   |  3  ");
    assertThat(f("{delta:+.3f}|{accuracy:+.1f}|{delta:08.3f}")).isEqualTo("-0.500|+0.9|-000.500");
    assertThat(f("{{literal}}-{epoch}")).isEqualTo("{literal}-3");
  }

  @Test
  void unknownKey_isNamed() {
    assertThatThrownBy(() -> f("{epoch:02d}-{val_acc:.2f}"))
        .hasMessageStartingWith("Failed to format this callback filepath: \"{epoch:02d}-"
            + "{val_acc:.2f}\". Reason: no value named 'val_acc'; available: [epoch, batch,"
            + " val_loss, accuracy, lr, delta]");
  }

  @Test
  void integerFormatOfAFloat_isRejectedAsInPython() {
    assertThatThrownBy(() -> f("{val_loss:02d}"))
        .hasMessageContaining("Unknown format code 'd' for a float value");
  }
}
