package io.jeras.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.jeras.Jeras;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The text classifier example on Debian's fortunes (installed by CI): the corpus splits 80/20
 * per language, deterministically for a seed, and one epoch on 300 fortunes a language already
 * tells the languages apart far above chance (0.25).
 */
class LanguageClassifierTest {

  @Test
  void corpus_isBalancedSplitAndDeterministic() {
    List<LanguageClassifier.Sample> samples = LanguageClassifier.samples(300, 7);
    assertThat(samples).hasSize(4 * 300);
    for (int label = 0; label < 4; label++) {
      int language = label;
      assertThat(samples.stream().filter(s -> s.label() == language && s.train()).count())
          .isEqualTo(240);
    }
    assertThat(samples).allSatisfy(s -> assertThat(s.text().length()).isBetween(20, 400));
    assertThat(LanguageClassifier.samples(300, 7)).isEqualTo(samples);
  }

  @Test
  void oneShortEpoch_learnsTheLanguages() {
    Jeras.setRandomSeed(7);
    double accuracy = LanguageClassifier.run(LanguageClassifier.samples(300, 7), 2, 0);
    assertThat(accuracy).isGreaterThan(0.6);
  }
}
