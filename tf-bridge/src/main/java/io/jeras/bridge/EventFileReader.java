package io.jeras.bridge;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jeras.input.InputLimits;
import io.jeras.input.InvalidInputException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.tensorflow.proto.Event;

/**
 * Reads TensorBoard event files: TFRecord framing (length, masked CRC-32C of the length, data,
 * masked CRC-32C of the data, little-endian) around serialized {@link Event} protos. Every
 * checksum is verified, so a file that reads here is byte-valid.
 */
public final class EventFileReader {
  private static final int MASK_DELTA = 0xa282ead8;

  private EventFileReader() {}

  /**
   * Every event in {@code file}, in order.
   *
   * @throws InvalidInputException naming the file if it is not a valid event file
   */
  public static List<Event> read(Path file) {
    String source = file.toString();
    List<Event> events = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(file)) {
      long remaining = Files.size(file);
      DataInputStream in = new DataInputStream(raw);
      while (true) {
        byte[] header = in.readNBytes(8);
        if (header.length == 0) {
          return events;
        }
        if (header.length < 8) {
          throw new InvalidInputException(source, "truncated inside a record header");
        }
        long length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong();
        check(source, "length", header, in.readNBytes(4));
        remaining -= 12;
        int size = InputLimits.checkBytes(source, "a record", length, 1, remaining);
        byte[] data = in.readNBytes(size);
        if (data.length < size) {
          throw new InvalidInputException(source, "truncated inside a record");
        }
        check(source, "data", data, in.readNBytes(4));
        remaining -= size + 4L;
        events.add(Event.parseFrom(data));
      }
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidInputException(source, "not a valid event file: a record is not an Event"
          + " (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
  }

  private static void check(String source, String what, byte[] bytes, byte[] stored) {
    if (stored.length < 4) {
      throw new InvalidInputException(source, "truncated inside a record checksum");
    }
    int expected = ByteBuffer.wrap(stored).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (maskedCrc(bytes) != expected) {
      throw new InvalidInputException(source, "bad " + what + " checksum");
    }
  }

  /** TFRecord's masked CRC-32C. */
  static int maskedCrc(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    int value = (int) crc.getValue();
    return ((value >>> 15) | (value << 17)) + MASK_DELTA;
  }

  /** The event files ({@code events.out.tfevents.*}) in {@code dir}, sorted by name. */
  public static List<Path> eventFiles(Path dir) {
    try (var files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents."))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + dir, e);
    }
  }
}
