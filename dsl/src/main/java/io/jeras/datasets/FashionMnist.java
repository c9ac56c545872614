package io.jeras.datasets;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.data.Idx;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.ndarray.ByteNdArray;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Fashion-MNIST (Zalando): 28x28 grayscale images of 10 kinds of clothing, 60,000 for training
 * and 10,000 for testing, read from its four IDX files, like
 * {@code keras.datasets.fashion_mnist.load_data()} followed by the usual
 * {@code reshape(-1, 28, 28, 1) / 255}: images come as floats in [0, 1] of shape
 * {@code (n, 28, 28, 1)}, labels as class indices 0-9.
 *
 * <pre>{@code
 * FashionMnist.Split data = FashionMnist.load();          // Debian's dataset-fashion-mnist
 * model.fit(data.trainImages(), data.trainLabels(), Fit.epochs(10));
 * }</pre>
 */
public final class FashionMnist {
  /** Where Debian's {@code dataset-fashion-mnist} package puts the files. */
  public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  /** The class names, by label. */
  public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover",
      "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  private static final String[] FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
      "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

  private FashionMnist() {}

  /** Training and test images with their labels. */
  public record Split(FloatNdArray trainImages, IntNdArray trainLabels, FloatNdArray testImages,
      IntNdArray testLabels) {}

  /** Whether the four files are in {@code dir} (plain or {@code .gz}). */
  public static boolean isAvailable(Path dir) {
    for (String file : FILES) {
      if (!Files.exists(dir.resolve(file + ".gz")) && !Files.exists(dir.resolve(file))) {
        return false;
      }
    }
    return true;
  }

  /** Reads the dataset from Debian's location. */
  public static Split load() {
    return load(DEBIAN_DIR);
  }

  /** Reads the four IDX files (each plain or gzipped) from {@code dir}. */
  public static Split load(Path dir) {
    checkArgument(Files.isDirectory(dir), "Fashion-MNIST directory %s does not exist (install"
        + " Debian's dataset-fashion-mnist or pass the folder holding the IDX files)", dir);
    NdArray<?>[] arrays = new NdArray<?>[4];
    for (int i = 0; i < 4; i++) {
      Path gz = dir.resolve(FILES[i] + ".gz");
      arrays[i] = Idx.read(Files.exists(gz) ? gz : dir.resolve(FILES[i]));
    }
    return split(arrays, dir.toString());
  }

  /** Reads the four files from the classpath under {@code prefix} (a folder, with {@code .gz}). */
  public static Split loadResource(Class<?> anchor, String prefix) {
    NdArray<?>[] arrays = new NdArray<?>[4];
    for (int i = 0; i < 4; i++) {
      String name = prefix + "/" + FILES[i] + ".gz";
      try (InputStream in = anchor.getResourceAsStream(name)) {
        checkArgument(in != null, "classpath resource %s not found", name);
        arrays[i] = Idx.read(in, name);
      } catch (IOException e) {
        throw new UncheckedIOException("could not read " + name, e);
      }
    }
    return split(arrays, prefix);
  }

  private static Split split(NdArray<?>[] arrays, String source) {
    FloatNdArray trainImages = images(arrays[0], source + "/" + FILES[0]);
    IntNdArray trainLabels = labels(arrays[1], source + "/" + FILES[1]);
    FloatNdArray testImages = images(arrays[2], source + "/" + FILES[2]);
    IntNdArray testLabels = labels(arrays[3], source + "/" + FILES[3]);
    checkArgument(trainImages.shape().get(0) == trainLabels.shape().get(0),
        "%s: %s training images but %s labels", source, trainImages.shape().get(0),
        trainLabels.shape().get(0));
    checkArgument(testImages.shape().get(0) == testLabels.shape().get(0),
        "%s: %s test images but %s labels", source, testImages.shape().get(0),
        testLabels.shape().get(0));
    return new Split(trainImages, trainLabels, testImages, testLabels);
  }

  private static FloatNdArray images(NdArray<?> array, String source) {
    checkArgument(array instanceof ByteNdArray && array.shape().numDimensions() == 3
            && array.shape().get(1) == 28 && array.shape().get(2) == 28,
        "%s: expected unsigned-byte images of shape (n, 28, 28), got %s %s", source,
        array.getClass().getSimpleName(), array.shape());
    long n = array.shape().get(0);
    byte[] raw = new byte[Math.toIntExact(array.shape().size())];
    ((ByteNdArray) array).copyTo(DataBuffers.of(raw, false, false));
    float[] pixels = new float[raw.length];
    for (int i = 0; i < raw.length; i++) {
      pixels[i] = (raw[i] & 0xff) / 255f;
    }
    return NdArrays.wrap(Shape.of(n, 28, 28, 1), DataBuffers.of(pixels, true, false));
  }

  private static IntNdArray labels(NdArray<?> array, String source) {
    checkArgument(array instanceof ByteNdArray && array.shape().numDimensions() == 1,
        "%s: expected unsigned-byte labels of shape (n,), got %s %s", source,
        array.getClass().getSimpleName(), array.shape());
    byte[] raw = new byte[Math.toIntExact(array.shape().size())];
    ((ByteNdArray) array).copyTo(DataBuffers.of(raw, false, false));
    int[] labels = new int[raw.length];
    for (int i = 0; i < raw.length; i++) {
      labels[i] = raw[i] & 0xff;
      checkArgument(labels[i] < 10, "%s: label %s at index %s is not a class 0-9", source,
          labels[i], i);
    }
    return NdArrays.wrap(Shape.of(labels.length), DataBuffers.of(labels, true, false));
  }
}
