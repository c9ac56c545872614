package io.jeras.data.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jeras.Jeras;
import io.jeras.callbacks.History;
import io.jeras.data.Data;
import io.jeras.data.DataBatch;
import io.jeras.data.Dataset;
import io.jeras.data.Shuffling;
import io.jeras.data.images.Images.Image;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Input;
import io.jeras.layers.preprocessing.Rescaling;
import io.jeras.layers.reshaping.Flatten;
import io.jeras.losses.Loss;
import io.jeras.metrics.Metric;
import io.jeras.models.Sequential;
import io.jeras.optimizers.Adam;
import io.jeras.trainers.Fit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;

class ImageDatasetsTest {
  @TempDir
  Path dir;

  /**
   * Two classes of 6x6 gray PNGs: "bright" images are light on the left half, "dark" ones on
   * the right, with a per-image level so every file is distinct.
   */
  private Path folder(int perClass) {
    Path root = dir.resolve("images");
    for (String name : List.of("bright", "dark")) {
      for (int i = 0; i < perClass; i++) {
        float[] pixels = new float[36];
        for (int p = 0; p < 36; p++) {
          boolean left = p % 6 < 3;
          pixels[p] = (left == name.equals("bright") ? 200 : 30) + i;
        }
        Images.writePng(new Image(pixels, 6, 6, 1), root.resolve(name).resolve(i + ".png"));
      }
    }
    return root;
  }

  private static ImageDatasetOptions small() {
    return ImageDatasetOptions.defaults().imageSize(6, 6).colorMode("grayscale").batchSize(4)
        .seed(1).threads(2);
  }

  private static List<DataBatch> onePass(Dataset data, int pass) {
    List<DataBatch> batches = new ArrayList<>();
    try (Dataset.Pass p = data.pass(pass)) {
      p.forEachRemaining(batches::add);
    }
    return batches;
  }

  private ByteArrayOutputStream printed;

  @BeforeEach
  void capture() {
    printed = new ByteArrayOutputStream();
  }

  @Test
  void folderOfClasses_yieldsLabelledBatchesAndSaysWhatItFound() {
    Path root = folder(5);
    PrintStream out = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    ImageDatasets.ImageFolder data;
    try {
      data = ImageDatasets.imageDatasetFromDirectory(root, small());
    } finally {
      System.setOut(out);
    }
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .isEqualTo("Found 10 files belonging to 2 classes.\n");
    assertThat(data.classNames()).containsExactly("bright", "dark");
    assertThat(data.cardinality()).isEqualTo(3);
    List<DataBatch> batches = onePass(data, 0);
    assertThat(batches).extracting(DataBatch::size).containsExactly(4, 4, 2);
    for (DataBatch batch : batches) {
      FloatNdArray x = (FloatNdArray) batch.x().get("");
      NdArray<?> y = batch.y().get("");
      assertThat(x.shape().asArray()).containsExactly(batch.size(), 6, 6, 1);
      for (int i = 0; i < batch.size(); i++) {
        float label = ((FloatNdArray) y).getFloat(i);
        boolean brightLeft = x.getFloat(i, 0, 0, 0) > x.getFloat(i, 0, 5, 0);
        assertThat(label).isEqualTo(brightLeft ? 0f : 1f);
      }
    }
  }

  /**
   * The pipeline resizes and augments each image straight into its batch: the same pixels as
   * decoding, resizing and augmenting it alone with the image's seeded draw.
   */
  @Test
  void augmentingPipeline_yieldsEachImageAsAugmentedAlone() {
    Path root = folder(3);
    ImageDataGenerator augmenter = ImageDataGenerator.defaults().rotationRange(30)
        .widthShiftRange(0.2).shearRange(10).zoomRange(0.2).horizontalFlip(true)
        .brightnessRange(0.7, 1.3).rescale(1 / 255.0);
    ImageDatasetOptions options = small().imageSize(9, 7).shuffle(false);
    List<DataBatch> batches = onePass(ImageDatasets.imageDatasetFromDirectory(root,
        options.augment(augmenter)), 0);
    List<Path> files = new ArrayList<>();
    for (String name : List.of("bright", "dark")) {
      for (int i = 0; i < 3; i++) {
        files.add(root.resolve(name).resolve(i + ".png"));
      }
    }
    long passSeed = Shuffling.passSeed(1, 0);
    int index = 0;
    for (DataBatch batch : batches) {
      float[] got = Data.toFloatArray((FloatNdArray) batch.x().get(""));
      for (int i = 0; i < batch.size(); i++, index++) {
        Image alone = augmenter.augment(Images.resize(Images.decode(files.get(index), 1), 9, 7),
            new Random(passSeed + 31L * index));
        assertThat(Arrays.copyOfRange(got, i * 63, (i + 1) * 63)).as("image %s", index)
            .containsExactly(alone.pixels());
      }
    }
    assertThat(index).isEqualTo(6);
  }

  /**
   * A consumer that recycles each batch (as the trainer does) gets the same batches, and the
   * pass does reuse the arrays: a batch kept against the rule is overwritten by a later one.
   */
  @Test
  void recycledBatches_areRefilledWithTheSameImages() {
    Dataset data = ImageDatasets.imageDatasetFromDirectory(folder(8), small().batchSize(2)
        .imageSize(5, 4).augment(ImageDataGenerator.defaults().rotationRange(20)
            .horizontalFlip(true)));
    List<float[]> fresh = new ArrayList<>();
    for (DataBatch batch : onePass(data, 1)) {
      fresh.add(Data.toFloatArray((FloatNdArray) batch.x().get("")));
    }
    List<FloatNdArray> kept = new ArrayList<>();
    List<float[]> copied = new ArrayList<>();
    try (Dataset.Pass pass = data.pass(1)) {
      while (pass.hasNext()) {
        DataBatch batch = pass.next();
        FloatNdArray x = (FloatNdArray) batch.x().get("");
        kept.add(x);
        copied.add(Data.toFloatArray(x));
        pass.recycle(batch);
      }
    }
    assertThat(copied).hasSize(8);
    for (int i = 0; i < 8; i++) {
      assertThat(copied.get(i)).as("batch %s", i).containsExactly(fresh.get(i));
    }
    boolean reused = false;
    for (int i = 0; i < 8; i++) {
      reused |= !Arrays.equals(Data.toFloatArray(kept.get(i)),
          copied.get(i));
    }
    assertThat(reused).as("some recycled array was refilled").isTrue();
  }

  @Test
  void validationSplit_takesTheLastFilesAndNeverOverlaps() {
    Path root = folder(10);
    ImageDatasets.Split split = ImageDatasets.imageDatasetsFromDirectory(root,
        small().validationSplit(0.25));
    Set<Float> training = levels(split.training());
    Set<Float> validation = levels(split.validation());
    assertThat(training).hasSize(15);
    assertThat(validation).hasSize(5);
    assertThat(training).doesNotContainAnyElementsOf(validation);
    // the same seed gives the same subsets
    ImageDatasets.ImageFolder again = ImageDatasets.imageDatasetFromDirectory(root,
        small().validationSplit(0.25).subset("validation"));
    assertThat(levels(again)).isEqualTo(validation);
    assertThatThrownBy(() -> ImageDatasets.imageDatasetFromDirectory(root,
        small().validationSplit(0.25))).hasMessageContaining("`subset` must be set");
  }

  /** A fingerprint per image: its class and level. */
  private static Set<Float> levels(Dataset data) {
    Set<Float> seen = new HashSet<>();
    for (DataBatch batch : onePass(data, 0)) {
      FloatNdArray x = (FloatNdArray) batch.x().get("");
      for (int i = 0; i < batch.size(); i++) {
        seen.add(x.getFloat(i, 0, 0, 0) * 1000 + x.getFloat(i, 0, 5, 0));
      }
    }
    return seen;
  }

  @Test
  void labelModes() {
    Path root = folder(2);
    DataBatch categorical = onePass(ImageDatasets.imageDatasetFromDirectory(root,
        small().labelMode("categorical")), 0).get(0);
    assertThat(categorical.y().get("").shape().asArray()).containsExactly(4, 2);
    DataBatch binary = onePass(ImageDatasets.imageDatasetFromDirectory(root,
        small().labelMode("binary")), 0).get(0);
    assertThat(binary.y().get("").shape().asArray()).containsExactly(4, 1);
    DataBatch none = onePass(ImageDatasets.imageDatasetFromDirectory(root,
        small().labelMode((String) null)), 0).get(0);
    assertThat(none.y()).isEmpty();
    DataBatch rgb = onePass(ImageDatasets.imageDatasetFromDirectory(root,
        small().colorMode("rgb").imageSize(3, 9)), 0).get(0);
    assertThat(rgb.x().get("").shape().asArray()).containsExactly(4, 3, 9, 3);
  }

  @Test
  void everyPassReshufflesDeterministically() {
    Dataset data = ImageDatasets.imageDatasetFromDirectory(folder(6), small());
    float first = ((FloatNdArray) onePass(data, 1).get(0).x().get("")).getFloat(0, 0, 0, 0);
    float again = ((FloatNdArray) onePass(data, 1).get(0).x().get("")).getFloat(0, 0, 0, 0);
    assertThat(again).isEqualTo(first);
    Set<Float> firsts = new HashSet<>();
    for (int pass = 0; pass < 6; pass++) {
      firsts.add(((FloatNdArray) onePass(data, pass).get(0).x().get("")).getFloat(0, 0, 0, 0));
    }
    assertThat(firsts.size()).isGreaterThan(1);
  }

  @Test
  void badInput_failsNamingTheFileOrSkipsItWhenAsked() throws IOException {
    Path root = folder(3);
    Path corrupt = Files.writeString(root.resolve("dark").resolve("broken.png"), "not a png");
    Dataset strict = ImageDatasets.imageDatasetFromDirectory(root, small().shuffle(false));
    assertThatThrownBy(() -> onePass(strict, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(corrupt + ": not a PNG, JPEG, BMP or GIF image");
    Dataset lenient = ImageDatasets.imageDatasetFromDirectory(root, small().skipInvalid(true));
    assertThat(onePass(lenient, 0).stream().mapToInt(DataBatch::size).sum()).isEqualTo(6);

    Files.createDirectories(root.resolve("empty"));
    assertThatThrownBy(() -> ImageDatasets.imageDatasetFromDirectory(root, small()))
        .hasMessageContaining("Class folder " + root.resolve("empty") + " holds no images");
    assertThatThrownBy(() -> ImageDatasets.imageDatasetFromDirectory(root.resolve("none"),
        small())).hasMessageContaining("does not exist");
    Path one = dir.resolve("one");
    Images.writePng(new Image(new float[36], 6, 6, 1), one.resolve("only").resolve("a.png"));
    assertThatThrownBy(() -> ImageDatasets.imageDatasetFromDirectory(one,
        small().labelMode("binary"))).hasMessageContaining("there must be exactly 2"
            + " class_names. Received: class_names=[only]");
  }

  @Test
  void fitOnAFolder_withStepsPerEpochAndValidationSteps() {
    Jeras.setRandomSeed(5);
    Path root = folder(12);
    ImageDatasets.Split split = ImageDatasets.imageDatasetsFromDirectory(root,
        small().labelMode("binary").validationSplit(0.25));
    try (Sequential model = Sequential.of(Input.of(6, 6, 1), Rescaling.of(1 / 255.0),
        Flatten.of(), Dense.of(1).activation("sigmoid"))) {
      model.compile(Adam.defaults().learningRate(0.05), Loss.BINARY_CROSSENTROPY,
          Metric.ACCURACY);
      History history = model.fit(split.training().repeat(), Fit.epochs(4).stepsPerEpoch(5)
          .validationData(split.validation()).validationSteps(2).verbose(0));
      assertThat(history.get("val_accuracy").get(3)).isEqualTo(1.0);
      assertThat(model.evaluate(split.validation(), null, 0).get("accuracy")).isEqualTo(1.0);
      assertThat(model.predict(split.validation()).shape().asArray()).containsExactly(6, 1);

      // a finite dataset that runs out stops training with Keras' warning: 18 images make
      // 5 batches, so epoch 1 gets one batch and is the last
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      History stopped = model.fit(split.training(), Fit.epochs(3).stepsPerEpoch(4).verbose(0)
          .out(new PrintStream(out, true, StandardCharsets.UTF_8)));
      assertThat(stopped.epochs()).containsExactly(0, 1);
      assertThat(out.toString(StandardCharsets.UTF_8))
          .contains("Your input ran out of data; interrupting training.");
      assertThatThrownBy(() -> model.fit(split.training().repeat(), Fit.epochs(1).verbose(0)))
          .hasMessageContaining("infinite dataset, you must specify the number of steps");
    }
  }

  @Test
  void augmentedImagesWrittenToPng_keepTheirStatistics() {
    float[] pixels = new float[8 * 8];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (i * 37) % 256;
    }
    Image image = new Image(pixels, 8, 8, 1);
    ImageDataGenerator generator = ImageDataGenerator.defaults();
    Image flipped = generator.applyTransform(image, new ImageDataGenerator.Transform(0, 0, 0, 0,
        1, 1, true, false, 1));
    Image turned = generator.applyTransform(image, new ImageDataGenerator.Transform(90, 0, 0, 0,
        1, 1, false, false, 1));
    Images.writePng(flipped, dir.resolve("flipped.png"));
    Images.writePng(turned, dir.resolve("turned.png"));
    Image flippedBack = Images.decode(dir.resolve("flipped.png"), 1);
    Image turnedBack = Images.decode(dir.resolve("turned.png"), 1);
    for (int r = 0; r < 8; r++) {
      for (int c = 0; c < 8; c++) {
        // a horizontal flip is exactly the mirror
        assertThat(flippedBack.pixels()[r * 8 + c]).isEqualTo(pixels[r * 8 + 7 - c]);
        // a quarter turn of a square image is the transpose, flipped
        float rotated = turnedBack.pixels()[r * 8 + c];
        assertThat(rotated == pixels[c * 8 + 7 - r] || rotated == pixels[(7 - c) * 8 + r])
            .as("pixel (%s, %s)", r, c).isTrue();
      }
    }
    assertThat(mean(turnedBack.pixels())).isCloseTo(mean(pixels), within(1e-3));
    assertThat(mean(flippedBack.pixels())).isCloseTo(mean(pixels), within(1e-3));
    // random transforms are seeded: the same seed, the same image
    ImageDataGenerator random = ImageDataGenerator.defaults().rotationRange(40)
        .widthShiftRange(0.2).heightShiftRange(0.2).shearRange(20).zoomRange(0.2)
        .horizontalFlip(true).rescale(1 / 255.0);
    Image a = random.augment(image, new Random(9));
    Image b = random.augment(image, new Random(9));
    assertThat(a.pixels()).containsExactly(b.pixels());
    for (float v : a.pixels()) {
      assertThat(v).isBetween(0f, 1f);
    }
  }

  @Test
  void pipelineThreads_stopWhenFitEndsAndWhenItFails() throws Exception {
    Path root = folder(8);
    try (Sequential model = Sequential.of(Input.of(6, 6, 1), Flatten.of(), Dense.of(2))) {
      model.compile(Adam.defaults(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
      model.fit(ImageDatasets.imageDatasetFromDirectory(root, small()), Fit.epochs(2)
          .verbose(0));
      assertNoPipelineThreads();
      Files.writeString(root.resolve("bright").resolve("zz-corrupt.png"), "garbage");
      Dataset broken = ImageDatasets.imageDatasetFromDirectory(root, small());
      assertThatThrownBy(() -> model.fit(broken, Fit.epochs(2).verbose(0)))
          .hasMessageContaining("zz-corrupt.png");
      assertNoPipelineThreads();
    }
  }

  private static void assertNoPipelineThreads() throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline && pipelineThreads() > 0) {
      Thread.sleep(20);
    }
    assertThat(pipelineThreads()).isZero();
  }

  private static long pipelineThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("jeras-pipeline") && t.isAlive()).count();
  }

  private static double mean(float[] values) {
    double total = 0;
    for (float v : values) {
      total += v;
    }
    return total / values.length;
  }
}
