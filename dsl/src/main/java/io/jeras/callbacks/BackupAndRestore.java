package io.jeras.callbacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import lombok.AccessLevel;
import lombok.Builder;

/**
 * Keras' {@code BackupAndRestore}: makes a training job survive being killed. At every epoch
 * end it writes the full training state (weights, optimizer state, epochs completed) to
 * {@code <backupDir>/latest.ckpt}, atomically; when {@code fit} starts and that file exists, it
 * restores it and training continues with the next epoch instead of starting over. When training
 * finishes, the backup is deleted (unless {@link #keepCheckpoint()}).
 *
 * <pre>{@code
 * model.fit(x, y, Fit.epochs(20).callbacks(BackupAndRestore.in(Path.of("backup"))));
 * }</pre>
 */
public final class BackupAndRestore extends Callback {
  /** The backup's file name inside the directory. */
  public static final String FILE = "latest.ckpt";

  private final Path backupDir;
  private final boolean deleteCheckpoint;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private BackupAndRestore(Path backupDir, boolean deleteCheckpoint) {
    this.backupDir = backupDir;
    this.deleteCheckpoint = deleteCheckpoint;
  }

  /** Backs up into {@code backupDir}. */
  public static BackupAndRestore in(Path backupDir) {
    return new BackupAndRestore(backupDir, true);
  }

  /** Leaves the last backup in place when training ends. */
  public BackupAndRestore keepCheckpoint() {
    return toBuilder().deleteCheckpoint(false).build();
  }

  /** The backup file. */
  public Path file() {
    return backupDir.resolve(FILE);
  }

  @Override
  public void onTrainBegin(Map<String, Double> logs) {
    if (Files.exists(file())) {
      run().resumeAt(model().loadCheckpoint(file()));
    }
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    model().saveCheckpoint(file(), epoch + 1);
  }

  @Override
  public void onTrainEnd(Map<String, Double> logs) {
    if (deleteCheckpoint) {
      try {
        Files.deleteIfExists(file());
      } catch (IOException e) {
        throw new UncheckedIOException("could not delete the backup " + file(), e);
      }
    }
  }
}
