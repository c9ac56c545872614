package io.jeras.initializers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

class InitializersTest {
  private static final Shape CONV = Shape.of(3, 3, 32, 64);

  private static double mean(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static double std(float[] v) {
    double m = mean(v);
    double s = 0;
    for (float x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / v.length);
  }

  private static double maxAbs(float[] v) {
    double max = 0;
    for (float x : v) {
      max = Math.max(max, Math.abs(x));
    }
    return max;
  }

  @Test
  void fans_followKeras() {
    assertThat(Fans.of(CONV)).isEqualTo(new Fans(9 * 32, 9 * 64));
    assertThat(Fans.of(Shape.of(400, 120))).isEqualTo(new Fans(400, 120));
    assertThat(Fans.of(Shape.of(7))).isEqualTo(new Fans(7, 7));
  }

  @Test
  void glorotUniform_staysWithinItsLimitWithUniformVariance() {
    float[] w = Initializers.glorotUniform().generate(CONV, 1);
    double limit = Math.sqrt(6.0 / (9 * 32 + 9 * 64));
    assertThat(maxAbs(w)).isLessThanOrEqualTo(limit);
    assertThat(std(w)).isCloseTo(limit / Math.sqrt(3), within(limit * 0.01));
  }

  @Test
  void heNormal_hasStddevSqrtTwoOverFanIn() {
    float[] w = Initializers.heNormal().generate(CONV, 2);
    double target = Math.sqrt(2.0 / (9 * 32));
    assertThat(std(w)).isCloseTo(target, within(target * 0.02));
    // truncated at two (corrected) standard deviations
    assertThat(maxAbs(w)).isLessThanOrEqualTo(2 * target / 0.87962566103423978 + 1e-6);
  }

  @Test
  void lecunNormalAndGlorotNormal() {
    float[] lecun = Initializers.lecunNormal().generate(CONV, 3);
    assertThat(std(lecun)).isCloseTo(Math.sqrt(1.0 / 288), within(Math.sqrt(1.0 / 288) * 0.02));
    float[] glorot = Initializers.glorotNormal().generate(CONV, 3);
    double target = Math.sqrt(2.0 / (288 + 576));
    assertThat(std(glorot)).isCloseTo(target, within(target * 0.02));
  }

  @Test
  void heUniform_limit() {
    float[] w = Initializers.heUniform().generate(CONV, 4);
    assertThat(maxAbs(w)).isLessThanOrEqualTo(Math.sqrt(6.0 / 288));
    assertThat(maxAbs(w)).isGreaterThan(Math.sqrt(6.0 / 288) * 0.99);
  }

  @Test
  void randomDefaults_matchKeras() {
    float[] normal = Initializers.randomNormal().generate(Shape.of(100_000), 5);
    assertThat(mean(normal)).isCloseTo(0, within(0.001));
    assertThat(std(normal)).isCloseTo(0.05, within(0.001));
    float[] uniform = Initializers.randomUniform().generate(Shape.of(100_000), 5);
    assertThat(maxAbs(uniform)).isLessThanOrEqualTo(0.05);
    float[] truncated = Initializers.truncatedNormal().generate(Shape.of(100_000), 5);
    assertThat(maxAbs(truncated)).isLessThanOrEqualTo(0.1);
  }

  @Test
  void constants() {
    assertThat(Initializers.zeros().generate(Shape.of(3), 0)).containsExactly(0, 0, 0);
    assertThat(Initializers.ones().generate(Shape.of(2), 0)).containsExactly(1, 1);
    assertThat(Initializers.constant(2.5f).generate(Shape.of(1), 0)).containsExactly(2.5f);
  }

  @Test
  void sameSeed_sameValues_otherSeed_otherValues() {
    assertThat(Initializers.glorotUniform(7L).seed()).isEqualTo(7L);
    assertThat(Initializers.glorotUniform().generate(CONV, 9))
        .containsExactly(Initializers.glorotUniform().generate(CONV, 9));
    assertThat(Initializers.glorotUniform().generate(CONV, 9))
        .isNotEqualTo(Initializers.glorotUniform().generate(CONV, 10));
  }

  @Test
  void byKerasName() {
    for (String name : new String[] {"glorot_uniform", "glorot_normal", "he_normal",
        "he_uniform", "lecun_normal", "lecun_uniform", "zeros", "ones", "random_normal",
        "random_uniform", "truncated_normal", "orthogonal"}) {
      assertThat(Initializers.of(name).kerasName()).isEqualTo(name);
    }
    assertThatThrownBy(() -> Initializers.of("identity"))
        .hasMessageStartingWith("Unknown initializer \"identity\"");
  }
}
