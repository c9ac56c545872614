package io.jeras.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TransferLearningTest {

  @Test
  void aPythonTrainedBaseLearnsNewClassesInJava() throws Exception {
    TransferLearning.Result result = TransferLearning.run(100, 10, false);
    assertThat(result.accuracyByEpoch()).containsOnlyKeys("frozen_base", "fine_tuned",
        "from_scratch");
    // 5 classes: chance is 0.2; measured 0.85 (frozen), 0.87 (fine-tuned), 0.83 (scratch)
    assertThat(result.finalAccuracy("frozen_base")).isGreaterThan(0.6);
    assertThat(result.finalAccuracy("fine_tuned")).isGreaterThan(0.6);
    assertThat(result.finalAccuracy("from_scratch")).isGreaterThan(0.6);
    assertThat(result.accuracyByEpoch().get("fine_tuned")).hasSize(10);
    // What transfer learning promises, on this seeded run: a higher start and a higher end.
    assertThat(result.accuracyByEpoch().get("fine_tuned").get(0))
        .isGreaterThan(result.accuracyByEpoch().get("from_scratch").get(0) + 0.05);
    assertThat(result.finalAccuracy("fine_tuned"))
        .isGreaterThan(result.finalAccuracy("from_scratch"));
  }
}
