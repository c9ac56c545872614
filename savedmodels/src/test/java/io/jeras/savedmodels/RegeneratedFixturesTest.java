package io.jeras.savedmodels;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regenerates the fixtures with real Python (TensorFlow 2.18 and the newest TensorFlow, each in
 * its own virtualenv) and checks that Java still matches what Python computes now.
 */
class RegeneratedFixturesTest {
  @TempDir
  Path dir;

  @Test
  void tensorFlow218Fixtures() throws Exception {
    Path out = dir.resolve("tf2.18");
    PythonChecks.run("make_fixtures.py", out.toString());
    SavedModelImportTest.checkFixtures(out);
  }

  @Test
  void newestTensorFlowFixtures() throws Exception {
    Path out = dir.resolve("tf-latest");
    String printed = PythonChecks.runLatest("make_latest_fixture.py", out.toString());
    assertThat(printed).contains("\"tensorflow\"");
    NewerTensorFlowTest.checkLatest(out);
  }
}
