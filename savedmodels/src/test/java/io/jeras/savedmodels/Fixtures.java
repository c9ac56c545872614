package io.jeras.savedmodels;

import io.jeras.bridge.HostValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.buffer.DataBuffers;

/** The committed Python fixtures (savedmodels/python/make_fixtures.py) and .npy helpers. */
final class Fixtures {
  private Fixtures() {}

  /** A folder of fixtures made by Python TensorFlow {@code version} ("tf2.18"). */
  static Path dir(String version) {
    try {
      return Path.of(Fixtures.class.getResource("/io/jeras/savedmodels/fixtures/" + version)
          .toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes a float32 .npy array. */
  static void writeNpy(FloatNdArray array, Path file) {
    try (java.io.OutputStream out = Files.newOutputStream(file)) {
      Npy.write(HostValue.of(array.shape(), io.jeras.data.Data.toFloatArray(array)), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A float32 .npy array. */
  static FloatNdArray npy(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      HostValue value = Npy.read(in, file.toString());
      return NdArrays.wrap(value.shape(), DataBuffers.of(value.floats(), true, false));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
