package io.jeras.examples;

import io.jeras.Jeras;
import io.jeras.callbacks.History;
import io.jeras.data.Data;
import io.jeras.data.Dataset;
import io.jeras.data.images.ImageDataGenerator;
import io.jeras.data.images.ImageDatasetOptions;
import io.jeras.data.images.ImageDatasets;
import io.jeras.data.images.Images;
import io.jeras.losses.Loss;
import io.jeras.metrics.Metric;
import io.jeras.models.Sequential;
import io.jeras.optimizers.Adam;
import io.jeras.trainers.Fit;
import io.jeras.utils.AtomicFiles;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Measures {@code fit} fed by the image-folder pipeline (decode, resize to 150x150, the
 * cats-vs-dogs program's ImageDataGenerator augmentation, on background threads) against {@code fit} on the
 * same images pre-loaded in memory, in one run: the cats-vs-dogs CNN, batch 32, one epoch each
 * after a warm-up, for {@code --rounds} rounds alternating which goes first. Each epoch also
 * reports the process' CPU time, so the pipeline's cost shows apart from the machine's noise,
 * and a profile first times each stage of the pipeline (decode, resize, augment) alone on one
 * thread. The last line is {@code ratio_pipeline_to_memory=<median>}.
 *
 * <pre>
 * java -jar jeras-examples.jar pipeline-benchmark [--images N] [--rounds N] [--size N]
 *     [--threads N]
 * </pre>
 */
public final class PipelineBenchmark {
  private PipelineBenchmark() {}

  public static void main(String[] argv) throws IOException {
    Args args = new Args(argv, List.of("images", "rounds", "size", "threads"));
    int perClass = args.getInt("images", 512) / 2;
    int rounds = args.getInt("rounds", 5);
    int size = args.getInt("size", 150);
    Jeras.setRandomSeed(11);
    Path dir = Files.createTempDirectory("jeras-pipeline-benchmark");
    try {
      Path data = CatsVsDogs.writeFashionFolder(dir, perClass, 0).resolve("train");
      ImageDataGenerator augment = ImageDataGenerator.defaults().rotationRange(40)
          .widthShiftRange(0.2).heightShiftRange(0.2).shearRange(0.2).zoomRange(0.2)
          .horizontalFlip(true);
      ImageDatasetOptions options = ImageDatasetOptions.defaults().imageSize(size, size)
          .labelMode("binary").batchSize(32).seed(5);
      options = options.threads(args.getInt("threads", options.threads()));
      Dataset pipeline = ImageDatasets.imageDatasetFromDirectory(data, options.augment(augment));
      // the same images, decoded and resized once
      FloatNdArray[] memory = preload(ImageDatasets.imageDatasetFromDirectory(data, options));
      int samples = Math.toIntExact(memory[0].shape().get(0));
      profileStages(data, size, augment);
      System.out.printf(Locale.ROOT, "cats-vs-dogs CNN at %dx%dx3, batch 32, %d images, %d"
          + " pipeline threads at most, %d cores%n", size, size, samples, options.threads(),
          Runtime.getRuntime().availableProcessors());
      try (Sequential model = CatsVsDogs.model(size, false)) {
        model.compile(Adam.defaults(), Loss.BINARY_CROSSENTROPY, Metric.ACCURACY);
        Fit oneEpoch = Fit.epochs(1).batchSize(32).verbose(0);
        model.fit(pipeline, oneEpoch);
        model.fit(memory[0], memory[1], oneEpoch);
        List<Double> ratios = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
          double pipelineRate = 0;
          double memoryRate = 0;
          double pipelineCpu = 0;
          double memoryCpu = 0;
          for (int turn = 0; turn < 2; turn++) {
            boolean pipelineTurn = (round + turn) % 2 == 0;
            long cpu = processCpuNanos();
            long start = System.nanoTime();
            History history = pipelineTurn ? model.fit(pipeline, oneEpoch)
                : model.fit(memory[0], memory[1], oneEpoch);
            double rate = samples / ((System.nanoTime() - start) / 1e9);
            double cpuSeconds = (processCpuNanos() - cpu) / 1e9;
            if (history.epochs().isEmpty()) {
              throw new IllegalStateException("no epoch ran");
            }
            if (pipelineTurn) {
              pipelineRate = rate;
              pipelineCpu = cpuSeconds;
            } else {
              memoryRate = rate;
              memoryCpu = cpuSeconds;
            }
          }
          ratios.add(pipelineRate / memoryRate);
          System.out.printf(Locale.ROOT, "round %d: pipeline %.1f samples/s, in memory %.1f"
              + " samples/s, ratio %.3f; process CPU per epoch %.1f s vs %.1f s (the pipeline's"
              + " share %.1f%%)%n", round + 1, pipelineRate, memoryRate,
              pipelineRate / memoryRate, pipelineCpu, memoryCpu,
              100 * (pipelineCpu - memoryCpu) / pipelineCpu);
        }
        double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "ratio_pipeline_to_memory=%.3f%n",
            sorted[sorted.length / 2]);
      }
    } finally {
      AtomicFiles.deleteTree(dir);
    }
  }

  /** The process' CPU time (all threads, TensorFlow's included), nanoseconds. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /**
   * Times decode, resize and augment alone, on this thread, over every file (three passes, the
   * last reported): milliseconds per image. Each stage here allocates its output; the pipeline
   * writes resized and augmented images straight into the batch.
   */
  private static void profileStages(Path data, int size, ImageDataGenerator augment)
      throws IOException {
    List<Path> files;
    try (var walk = Files.walk(data)) {
      files = walk.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    double[] millis = new double[3];
    for (int pass = 0; pass < 3; pass++) {
      long decode = 0;
      long resize = 0;
      long augmentation = 0;
      for (int i = 0; i < files.size(); i++) {
        long t0 = System.nanoTime();
        Images.Image image = Images.decode(files.get(i), 3);
        long t1 = System.nanoTime();
        image = Images.resize(image, size, size);
        long t2 = System.nanoTime();
        augment.augment(image, new Random(i));
        long t3 = System.nanoTime();
        decode += t1 - t0;
        resize += t2 - t1;
        augmentation += t3 - t2;
      }
      millis = new double[] {decode / 1e6 / files.size(), resize / 1e6 / files.size(),
          augmentation / 1e6 / files.size()};
    }
    System.out.printf(Locale.ROOT, "pipeline stages alone, one thread, ms per image: decode"
        + " %.3f, resize to %dx%d %.3f, augment %.3f; %.1f ms of CPU per batch of 32%n",
        millis[0], size, size, millis[1], millis[2],
        32 * (millis[0] + millis[1] + millis[2]));
  }

  /** One pass of {@code data} as two arrays: images and labels. */
  private static FloatNdArray[] preload(Dataset data) {
    List<float[]> images = new ArrayList<>();
    List<float[]> labels = new ArrayList<>();
    long[] shape = null;
    try (Dataset.Pass pass = data.pass(0)) {
      while (pass.hasNext()) {
        var batch = pass.next();
        FloatNdArray x = (FloatNdArray) batch.x().get("");
        shape = x.shape().asArray();
        images.add(Data.toFloatArray(x));
        labels.add(Data.toFloatArray((FloatNdArray) batch.y().get("")));
      }
    }
    int n = labels.stream().mapToInt(l -> l.length).sum();
    float[] x = new float[Math.multiplyExact(n, images.get(0).length / labels.get(0).length)];
    float[] y = new float[n];
    int xo = 0;
    int yo = 0;
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(images.get(i), 0, x, xo, images.get(i).length);
      xo += images.get(i).length;
      System.arraycopy(labels.get(i), 0, y, yo, labels.get(i).length);
      yo += labels.get(i).length;
    }
    long[] all = Arrays.copyOf(shape, shape.length);
    all[0] = n;
    return new FloatNdArray[] {Data.floats(x, all), Data.floats(y, n, 1)};
  }
}
