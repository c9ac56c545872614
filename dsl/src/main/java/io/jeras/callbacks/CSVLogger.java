package io.jeras.callbacks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import lombok.AccessLevel;
import lombok.Builder;

/**
 * Keras' {@code CSVLogger}: one row per epoch with {@code epoch} (0-based) and every log key,
 * sorted, with {@code val_*} columns added when the first epoch has none; a missing value is
 * {@code NA}. Each row is flushed as it is written. With {@code append}, rows go after an
 * existing file's, without a second header.
 *
 * <pre>{@code
 * CSVLogger.to(Path.of("training.csv"))
 * }</pre>
 */
public final class CSVLogger extends Callback implements AutoCloseable {
  private final Path file;
  private final String separator;
  private final boolean append;
  private BufferedWriter writer;
  private List<String> keys;
  private boolean writeHeader;

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private CSVLogger(Path file, String separator, boolean append) {
    this.file = file;
    this.separator = separator;
    this.append = append;
  }

  public static CSVLogger to(Path file) {
    return new CSVLogger(file, ",", false);
  }

  public CSVLogger separator(String separator) {
    return toBuilder().separator(separator).build();
  }

  /** Appends to an existing file instead of replacing it. */
  public CSVLogger append(boolean append) {
    return toBuilder().append(append).build();
  }

  @Override
  public void onTrainBegin(Map<String, Double> logs) {
    close();
    try {
      writeHeader = !(append && Files.exists(file) && Files.size(file) > 0);
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      writer = append
          ? Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
              StandardOpenOption.APPEND)
          : Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not open " + file, e);
    }
    keys = null;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    if (keys == null) {
      keys = new ArrayList<>(new TreeSet<>(logs.keySet()));
      if (keys.stream().noneMatch(k -> k.startsWith("val_")) && !keys.isEmpty()) {
        keys.addAll(keys.stream().map(k -> "val_" + k).toList());
      }
      if (writeHeader) {
        line("epoch", keys);
      }
    }
    List<String> row = new ArrayList<>();
    for (String key : keys) {
      Double value = logs.get(key);
      row.add(value == null ? "NA" : pythonFloat(value));
    }
    line(Integer.toString(epoch), row);
  }

  private void line(String first, List<String> rest) {
    try {
      writer.write(first);
      for (String cell : rest) {
        writer.write(separator);
        writer.write(cell);
      }
      writer.write("\r\n");
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
  }

  /** Python's {@code str} of a float, as Python's csv module writes it. */
  private static String pythonFloat(double value) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    return io.jeras.utils.PythonFormat.format("{v}", Map.of("v", value));
  }

  @Override
  public void onTrainEnd(Map<String, Double> logs) {
    close();
  }

  @Override
  public void close() {
    if (writer != null) {
      try {
        writer.close();
      } catch (IOException e) {
        throw new UncheckedIOException("could not close " + file, e);
      } finally {
        writer = null;
      }
    }
  }
}
