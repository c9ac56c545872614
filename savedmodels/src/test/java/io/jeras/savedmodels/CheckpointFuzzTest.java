package io.jeras.savedmodels;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jeras.input.InputRule;
import java.io.ByteArrayInputStream;

/**
 * Fuzzes Jeras checkpoints ({@code ModelCheckpoint}, {@code BackupAndRestore}: a zip of
 * {@code .npy} arrays and their JSON listing) and NumPy {@code .npy} arrays alone under {@link
 * InputRule}. Seeds: a checkpoint of a small trained CNN with its Adam state, and arrays of each
 * dtype.
 */
class CheckpointFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void checkpoint(byte[] bytes) throws Exception {
    InputRule.checkFile("weights.jeras", bytes, CheckpointFile::read);
  }

  @FuzzTest(maxDuration = "60s")
  void npy(byte[] bytes) throws Exception {
    InputRule.check("array.npy", () -> Npy.read(new ByteArrayInputStream(bytes), "array.npy"));
  }
}
