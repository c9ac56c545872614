package io.jeras.examples;

import io.jeras.datasets.FashionMnist;
import java.nio.file.Path;

/**
 * Where the examples get Fashion-MNIST: a folder given on the command line, else Debian's
 * {@code dataset-fashion-mnist} package, else the subset embedded in this jar (6,000 training
 * and 1,000 test images), so the examples run on any machine.
 */
public final class FashionMnistData {
  /** The classpath folder of the embedded subset. */
  public static final String SUBSET = "fashion-mnist-subset";

  private FashionMnistData() {}

  /** The data and a line saying where it came from. */
  public record Source(FashionMnist.Split split, String description) {}

  /** Loads from {@code dir} if given, else Debian's location, else the embedded subset. */
  public static Source load(Path dir) {
    if (dir != null) {
      return new Source(FashionMnist.load(dir), "Fashion-MNIST from " + dir);
    }
    if (FashionMnist.isAvailable(FashionMnist.DEBIAN_DIR)) {
      return new Source(FashionMnist.load(), "Fashion-MNIST from " + FashionMnist.DEBIAN_DIR);
    }
    return new Source(FashionMnist.loadResource(FashionMnistData.class, SUBSET),
        "the Fashion-MNIST subset embedded in the examples jar (install Debian's"
            + " dataset-fashion-mnist for all 70,000 images)");
  }
}
