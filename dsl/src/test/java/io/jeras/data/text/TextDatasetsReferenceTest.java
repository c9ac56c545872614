package io.jeras.data.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jeras.Jeras;
import io.jeras.KerasReferences;
import io.jeras.callbacks.History;
import io.jeras.data.Data;
import io.jeras.data.DataBatch;
import io.jeras.data.Dataset;
import io.jeras.data.text.TextDataset.TextBatch;
import io.jeras.input.InvalidInputException;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Input;
import io.jeras.losses.Loss;
import io.jeras.metrics.Metric;
import io.jeras.models.Sequential;
import io.jeras.optimizers.Adam;
import io.jeras.trainers.Fit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * {@link TextDatasets#textDatasetFromDirectory} against Keras 3's {@code
 * text_dataset_from_directory} on the folder {@code make_text_references.py} wrote (rewritten
 * here from its record): class names, every batch's texts and labels without shuffling, and
 * the files of a seeded validation split; then what Keras does not check: files too large or
 * gone, symbolic links, and training a model on vectorized batches.
 */
class TextDatasetsReferenceTest {
  private static JsonNode references;

  @TempDir
  Path dir;

  private Path root;

  @BeforeAll
  static void load() {
    references = KerasReferences.read(TextDatasetsReferenceTest.class, "text-references.json");
  }

  @BeforeEach
  void writeFolder() throws IOException {
    root = dir.resolve("texts");
    Iterator<Map.Entry<String, JsonNode>> files = references.get("files").fields();
    while (files.hasNext()) {
      Map.Entry<String, JsonNode> file = files.next();
      Path path = root.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue().asText(), StandardCharsets.UTF_8);
    }
  }

  static Stream<String> unshuffled() {
    load();
    List<String> names = new ArrayList<>();
    references.get("directory").fields().forEachRemaining(e -> {
      if (e.getValue().has("batches")) {
        names.add(e.getKey());
      }
    });
    return names.stream();
  }

  /** Keras' arguments as options (quiet). */
  static TextDatasetOptions options(JsonNode args) {
    TextDatasetOptions options = TextDatasetOptions.defaults().verbose(false);
    if (args.has("label_mode")) {
      options = options.labelMode(args.get("label_mode").isNull() ? null
          : args.get("label_mode").asText());
    }
    if (args.has("class_names")) {
      options = options.classNames(TextVectorizationReferenceTest.strings(
          args.get("class_names")));
    }
    if (args.has("batch_size")) {
      options = options.batchSize(args.get("batch_size").asInt());
    }
    if (args.has("max_length")) {
      options = options.maxLength(args.get("max_length").asInt());
    }
    if (args.has("shuffle")) {
      options = options.shuffle(args.get("shuffle").asBoolean());
    }
    if (args.has("seed")) {
      options = options.seed(args.get("seed").asLong());
    }
    if (args.has("validation_split")) {
      options = options.validationSplit(args.get("validation_split").asDouble());
    }
    return options;
  }

  static List<TextBatch> onePass(TextDataset data, int pass) {
    List<TextBatch> batches = new ArrayList<>();
    data.pass(pass).forEachRemaining(batches::add);
    return batches;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unshuffled")
  void classNamesTextsAndLabels_areKeras(String name) {
    JsonNode reference = references.get("directory").get(name);
    TextDataset data = TextDatasets.textDatasetFromDirectory(root,
        options(reference.get("args")));
    JsonNode classNames = reference.get("class_names");
    assertThat(data.classNames()).isEqualTo(classNames.isNull() ? List.of()
        : TextVectorizationReferenceTest.strings(classNames));
    JsonNode batches = reference.get("batches");
    assertThat(data.cardinality()).isEqualTo(batches.size());
    List<TextBatch> got = onePass(data, 0);
    assertThat(got).hasSize(batches.size());
    for (int b = 0; b < got.size(); b++) {
      JsonNode expected = batches.get(b);
      assertThat(got.get(b).texts()).as("batch %s", b)
          .isEqualTo(TextVectorizationReferenceTest.strings(expected.get("texts")));
      if (expected.get("labels").isNull()) {
        assertThat(got.get(b).labels()).isNull();
      } else {
        FloatNdArray labels = KerasReferences.array(expected.get("labels"));
        assertThat(got.get(b).labels().shape()).isEqualTo(labels.shape());
        assertThat(Data.toFloatArray(got.get(b).labels()))
            .containsExactly(Data.toFloatArray(labels));
      }
    }
    // without shuffling, every pass is the same
    assertThat(onePass(data, 1)).isEqualTo(got);
  }

  /** The (text, label) pairs of a dataset's pass, sorted as the script sorts them. */
  private static List<String> pairs(TextDataset data, int pass) {
    List<String> pairs = new ArrayList<>();
    for (TextBatch batch : onePass(data, pass)) {
      float[] labels = Data.toFloatArray(batch.labels());
      for (int i = 0; i < batch.size(); i++) {
        pairs.add(batch.texts().get(i) + " -> " + (int) labels[i]);
      }
    }
    pairs.sort(CodePoints::compare);
    return pairs;
  }

  @Test
  void seededValidationSplit_holdsKerasFiles() {
    JsonNode reference = references.get("directory").get("validation_split");
    TextDatasetOptions options = options(reference.get("args"));
    TextDatasets.Split split = TextDatasets.textDatasetsFromDirectory(root, options);
    for (String subset : List.of("training", "validation")) {
      List<String> expected = new ArrayList<>();
      reference.get(subset).forEach(p -> expected.add(p.get("text").asText() + " -> "
          + p.get("label").asInt()));
      TextDataset data = subset.equals("training") ? split.training() : split.validation();
      assertThat(pairs(data, 0)).as(subset).isEqualTo(expected);
      assertThat(pairs(data, 3)).as(subset + ", a later pass").isEqualTo(expected);
      // the same subset asked for alone
      assertThat(pairs(TextDatasets.textDatasetFromDirectory(root, options.subset(subset)), 0))
          .isEqualTo(expected);
    }
    // the training files are reshuffled every pass, the same way for the same seed
    List<Path> first = split.training().filePaths();
    List<String> pass2 = onePass(split.training(), 2).stream()
        .flatMap(b -> b.texts().stream()).toList();
    assertThat(onePass(TextDatasets.textDatasetsFromDirectory(root, options).training(), 2)
        .stream().flatMap(b -> b.texts().stream()).toList()).isEqualTo(pass2);
    assertThat(first).hasSize(pass2.size());
  }

  @Test
  void optionsThatDoNotFit_failWithKerasMessages() {
    TextDatasetOptions quiet = TextDatasetOptions.defaults().verbose(false);
    assertThatThrownBy(() -> TextDatasets.textDatasetFromDirectory(root,
        quiet.validationSplit(0.2).subset("training")))
        .hasMessageContaining("you must provide a `seed` argument");
    assertThatThrownBy(() -> TextDatasets.textDatasetFromDirectory(root,
        quiet.validationSplit(0.2)))
        .hasMessageContaining("If `subset` is set, `validation_split` must be set, and"
            + " inversely");
    assertThatThrownBy(() -> TextDatasets.textDatasetFromDirectory(root, quiet.subset("x")))
        .hasMessageContaining("`subset` must be either \"training\" or \"validation\"");
    assertThatThrownBy(() -> TextDatasets.textDatasetFromDirectory(root,
        quiet.labelMode("binary"))).hasMessageContaining("there must be exactly 2 class_names."
            + " Received: class_names=[neg, pos, unsup]");
    assertThatThrownBy(() -> TextDatasets.textDatasetFromDirectory(root,
        quiet.classNames(List.of("neg", "other")))).hasMessageContaining("Expected: [neg, pos,"
            + " unsup] (or a subset of it), but received: class_names=[neg, other]");
    assertThatThrownBy(() -> quiet.labelMode("sparse"))
        .hasMessageContaining("Received: label_mode=sparse");
    assertThatThrownBy(() -> TextDatasets.textDatasetFromDirectory(dir.resolve("none"), quiet))
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> TextDatasets.textDatasetFromDirectory(root.resolve("neg/deep"),
        quiet)).hasMessageContaining("No text files found in directory");
  }

  @Test
  void hostileFiles_failNamingTheFile() throws IOException {
    Path big = root.resolve("pos/big.txt");
    Files.write(big, new byte[5000]);
    TextDatasetOptions small = TextDatasetOptions.defaults().verbose(false).shuffle(false)
        .maxFileBytes(4096);
    TextDataset data = TextDatasets.textDatasetFromDirectory(root, small);
    assertThatThrownBy(() -> onePass(data, 0)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(big.toString())
        .hasMessageContaining("holds more than 4096 bytes, the limit of one text file");
    // reading only the start of each file takes it
    List<TextBatch> capped = onePass(TextDatasets.textDatasetFromDirectory(root,
        small.maxLength(100)), 0);
    assertThat(capped.stream().flatMap(b -> b.texts().stream()))
        .contains("\0".repeat(100));
    // a file gone between listing and reading
    Path gone = root.resolve("neg/a.txt");
    TextDataset listed = TextDatasets.textDatasetFromDirectory(root, small.maxLength(100));
    Files.delete(gone);
    assertThatThrownBy(() -> onePass(listed, 0)).isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(gone + ": cannot be read");
  }

  @Test
  void symbolicLinks_followedOnlyWhenAsked_andLoopsEnteredOnce() throws IOException {
    Path other = dir.resolve("other");
    Files.createDirectories(other);
    Files.writeString(other.resolve("o.txt"), "through a link");
    Files.createSymbolicLink(root.resolve("pos/link"), other);
    Files.createSymbolicLink(other.resolve("back"), root.resolve("pos"));   // a loop
    TextDatasetOptions quiet = TextDatasetOptions.defaults().verbose(false).shuffle(false)
        .labelMode("none");
    List<Path> plain = TextDatasets.textDatasetFromDirectory(root, quiet).filePaths();
    assertThat(plain).noneMatch(p -> p.toString().contains("link"));
    List<Path> followed = TextDatasets.textDatasetFromDirectory(root, quiet.followLinks(true))
        .filePaths();
    assertThat(followed).hasSize(plain.size() + 1)
        .contains(root.resolve("pos/link/o.txt"));
  }

  @Test
  void vectorizedBatches_trainABagOfWordsModel() {
    Jeras.setRandomSeed(11);
    Path reviews = dir.resolve("reviews");
    String[] good = {"great", "fine", "superb", "lovely"};
    String[] bad = {"awful", "dull", "boring", "poor"};
    for (int i = 0; i < 24; i++) {
      write(reviews.resolve("pos/" + i + ".txt"), "A " + good[i % 4] + " film, "
          + good[(i + 1) % 4] + "!");
      write(reviews.resolve("neg/" + i + ".txt"), "A " + bad[i % 4] + " film; "
          + bad[(i + 3) % 4] + ".");
    }
    TextDatasets.Split data = TextDatasets.textDatasetsFromDirectory(reviews,
        TextDatasetOptions.defaults().verbose(false).labelMode("binary").batchSize(8)
            .validationSplit(0.25).seed(7));
    assertThat(data.training().classNames()).containsExactly("neg", "pos");
    TextVectorization vectorizer = TextVectorization.defaults().outputMode("multi_hot")
        .adapt(data.training().texts());
    assertThat(vectorizer.getVocabulary().subList(0, 3)).containsExactly("[UNK]", "film", "a");
    Dataset training = vectorizer.map(data.training());
    DataBatch first = training.pass(0).next();
    assertThat(first.x().get("").shape().asArray())
        .containsExactly(8, vectorizer.vocabularySize());
    assertThat(first.y().get("").shape().asArray()).containsExactly(8, 1);
    try (Sequential model = Sequential.of(Input.of(vectorizer.vocabularySize()),
        Dense.of(1).activation("sigmoid"))) {
      model.compile(Adam.defaults().learningRate(0.1), Loss.BINARY_CROSSENTROPY,
          Metric.ACCURACY);
      History history = model.fit(training, Fit.epochs(10).verbose(0)
          .validationData(vectorizer.map(data.validation())));
      assertThat(history.get("val_accuracy").get(9)).isEqualTo(1.0);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
