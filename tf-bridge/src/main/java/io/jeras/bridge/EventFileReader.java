package io.jeras.bridge;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.DataInputStream;
import java.io.EOFException;
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

  /** Every event in {@code file}, in order. */
  public static List<Event> read(Path file) {
    List<Event> events = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(file)) {
      DataInputStream in = new DataInputStream(raw);
      while (true) {
        byte[] header = in.readNBytes(8);
        if (header.length == 0) {
          return events;
        }
        if (header.length < 8) {
          throw new IllegalArgumentException(file + " is truncated inside a record header");
        }
        long length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong();
        check(file, "length", header, in.readNBytes(4));
        byte[] data = in.readNBytes(Math.toIntExact(length));
        if (data.length < length) {
          throw new IllegalArgumentException(file + " is truncated inside a record");
        }
        check(file, "data", data, in.readNBytes(4));
        events.add(Event.parseFrom(data));
      }
    } catch (EOFException | InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(file + " is not a valid event file: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
  }

  private static void check(Path file, String what, byte[] bytes, byte[] stored) {
    if (stored.length < 4) {
      throw new IllegalArgumentException(file + " is truncated inside a record checksum");
    }
    int expected = ByteBuffer.wrap(stored).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (maskedCrc(bytes) != expected) {
      throw new IllegalArgumentException(file + " has a bad " + what + " checksum");
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
