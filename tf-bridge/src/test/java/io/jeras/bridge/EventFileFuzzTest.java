package io.jeras.bridge;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jeras.input.InputRule;

/**
 * Fuzzes TensorBoard event file reading under {@link InputRule}. Seeds and the inputs found are
 * in {@code src/test/resources/io/jeras/bridge/EventFileFuzzTestInputs/events}.
 */
class EventFileFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void events(byte[] bytes) throws Exception {
    InputRule.checkFile("events.out.tfevents.1.host", bytes, EventFileReader::read);
  }
}
