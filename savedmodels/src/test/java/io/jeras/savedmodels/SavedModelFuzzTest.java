package io.jeras.savedmodels;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jeras.input.InputRule;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.proto.MetaGraphDef;

/**
 * Fuzzes what Jeras reads of a SavedModel before TensorFlow's C++ loader sees it, under {@link
 * InputRule}: {@code saved_model.pb} parsed, its {@code serve} graph found, every op checked as
 * registered, and every signature read into {@link SignatureInfo}s (names, dtypes, shapes).
 * TensorFlow's own loader is not fuzzed here: TensorFlow treats a SavedModel as a program (load
 * only models you trust), and its parser is fuzzed by TensorFlow's OSS-Fuzz targets.
 */
class SavedModelFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void savedModelPb(byte[] bytes) throws Exception {
    Path dir = Files.createTempDirectory("jeras-fuzz-savedmodel");
    try {
      Files.write(dir.resolve("saved_model.pb"), bytes);
      // a SavedModel is a directory: errors name it (or the file in it)
      InputRule.check(dir.toString(), () -> {
        MetaGraphDef meta = SavedModels.serveGraph(dir);
        meta.getSignatureDefMap().forEach((key, def) -> SignatureInfo.of(key, def).batchable());
      });
    } finally {
      Files.delete(dir.resolve("saved_model.pb"));
      Files.delete(dir);
    }
  }
}
