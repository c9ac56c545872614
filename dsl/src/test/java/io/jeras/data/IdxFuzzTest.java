package io.jeras.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jeras.input.InputRule;

/**
 * Fuzzes IDX reading (plain and gzipped) under {@link InputRule}: any bytes read or fail with an
 * {@code InvalidInputException} naming the file. Seeds (Fashion-MNIST images and labels, float
 * and short arrays) and the inputs fuzzing found are in {@code IdxFuzzTestInputs/idx}.
 */
class IdxFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void idx(byte[] bytes) throws Exception {
    InputRule.checkFile("train-images-idx3-ubyte", bytes, Idx::read);
  }
}
