package io.jeras.utils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void newFile_isAnOrdinaryReadableFile() throws IOException {
    Path file = dir.resolve("sub/plot.png");
    AtomicFiles.write(file, out -> out.write(new byte[] {1, 2, 3}));
    assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void replacedFile_keepsItsPermissions() throws IOException {
    Path file = dir.resolve("weights.ckpt");
    Files.writeString(file, "old");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    AtomicFiles.write(file, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
    assertThat(Files.readString(file)).isEqualTo("new");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-r-----");
  }

  @Test
  void failingWriter_leavesTheOldFileAndNoTemporaryOne() throws IOException {
    Path file = dir.resolve("history.csv");
    Files.writeString(file, "epoch,loss\n0,1.0\n");
    assertThatThrownBy(() -> AtomicFiles.write(file, out -> {
      out.write("half".getBytes(StandardCharsets.UTF_8));
      throw new IOException("disk full");
    })).isInstanceOf(UncheckedIOException.class).hasMessageContaining(file.toString())
        .hasMessageContaining("disk full");
    assertThat(Files.readString(file)).isEqualTo("epoch,loss\n0,1.0\n");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void deleteTree_removesNestedFilesAndIgnoresAMissingDirectory() throws IOException {
    Path root = dir.resolve("staging");
    Files.createDirectories(root.resolve("variables"));
    Files.writeString(root.resolve("saved_model.pb"), "graph");
    Files.writeString(root.resolve("variables/variables.index"), "index");
    AtomicFiles.deleteTree(root);
    assertThat(root).doesNotExist();
    AtomicFiles.deleteTree(root);
    assertThat(dir).isEmptyDirectory();
  }
}
