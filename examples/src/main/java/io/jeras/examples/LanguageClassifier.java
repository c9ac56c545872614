package io.jeras.examples;

import static io.jeras.activations.Activations.SOFTMAX;

import io.jeras.Jeras;
import io.jeras.callbacks.History;
import io.jeras.data.Data;
import io.jeras.data.text.TextVectorization;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Embedding;
import io.jeras.layers.core.Input;
import io.jeras.layers.rnn.Bidirectional;
import io.jeras.layers.rnn.LSTM;
import io.jeras.losses.Loss;
import io.jeras.metrics.Metric;
import io.jeras.models.Sequential;
import io.jeras.optimizers.Adam;
import io.jeras.trainers.Fit;
import io.jeras.utils.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * A text classifier on text anyone can install: which language a fortune cookie is written in
 * (English, German, Spanish, Italian), from Debian's {@code fortunes}, {@code fortunes-de},
 * {@code fortunes-es} and {@code fortunes-it} packages (fortune-mod's BSD-licensed English
 * fortunes; the others GPL-2+). Words through {@code TextVectorization} (adapted on the
 * training texts), {@code Embedding} with {@code mask_zero} (the padding masked out), a
 * Bidirectional LSTM and a softmax. {@code --tsv FILE} also writes the exact data set (split,
 * label, text) for the Keras twin of this program ({@code examples/python/keras_text_classifier.py}),
 * which reports Keras' accuracy on the same split.
 */
public final class LanguageClassifier {
  /** The languages and where Debian's packages put their fortunes. */
  static final Map<String, Path> LANGUAGES = Map.of(
      "en", Path.of("/usr/share/games/fortunes"),
      "de", Path.of("/usr/share/games/fortunes/de"),
      "es", Path.of("/usr/share/games/fortunes/es"),
      "it", Path.of("/usr/share/games/fortunes/it"));
  static final List<String> ORDER = List.of("en", "de", "es", "it");
  /** fortune-mod's English files (the directory also holds other packages' files). */
  private static final Set<String> ENGLISH = Set.of("fortunes", "literature", "people",
      "wisdom", "work", "science", "computers", "love", "politics", "riddles", "humorists",
      "education", "food", "law", "medicine", "pets", "platitudes", "sports", "songs-poems",
      "men-women", "miscellaneous", "news", "art", "cookie", "definitions", "ethnic", "kids",
      "linux", "magic", "startrek", "zippy", "goedel", "drugs");
  static final int STEPS = 40;

  private LanguageClassifier() {}

  /** A labelled text; {@code train} says which split it is in. */
  record Sample(boolean train, int label, String text) {}

  /**
   * Up to {@code perLanguage} distinct fortunes of 20 to 400 characters per language, shuffled
   * with {@code seed}, the first 80% of each language for training.
   */
  static List<Sample> samples(int perLanguage, long seed) {
    List<Sample> samples = new ArrayList<>();
    for (int label = 0; label < ORDER.size(); label++) {
      String language = ORDER.get(label);
      Path dir = LANGUAGES.get(language);
      if (!Files.isDirectory(dir)) {
        throw new IllegalStateException("no fortunes at " + dir + ": install Debian's fortunes,"
            + " fortunes-de, fortunes-es and fortunes-it packages");
      }
      Set<String> texts = new LinkedHashSet<>();
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.sorted().toList()) {
          String name = file.getFileName().toString();
          // fortune files are "name" or (Spanish) "name.fortunes"; ".dat" indexes them and
          // ".u8" links to them
          if (!Files.isRegularFile(file) || name.endsWith(".dat") || name.endsWith(".u8")
              || name.startsWith(".") || language.equals("en") && !ENGLISH.contains(name)) {
            continue;
          }
          for (String fortune : read(file).split("\n%\n")) {
            String text = fortune.strip().replaceAll("\\s+", " ");
            if (text.length() >= 20 && text.length() <= 400) {
              texts.add(text);
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      List<String> shuffled = new ArrayList<>(texts);
      Collections.shuffle(shuffled, new Random(seed + label));
      List<String> kept = shuffled.subList(0, Math.min(perLanguage, shuffled.size()));
      int trainSize = kept.size() * 4 / 5;
      for (int i = 0; i < kept.size(); i++) {
        samples.add(new Sample(i < trainSize, label, kept.get(i)));
      }
    }
    return samples;
  }

  /** A file as UTF-8, or Latin-1 where it is not valid UTF-8 (older fortune files). */
  private static String read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }

  /** The classifier: ids of {@link #STEPS} words in, a probability per language out. */
  static Sequential model(int vocabulary) {
    return Sequential.of(Input.of(STEPS), Embedding.of(vocabulary, 32).maskZero(true),
        Bidirectional.of(LSTM.of(32)), Dense.of(ORDER.size()).activation(SOFTMAX));
  }

  /** The split's texts and labels. */
  private static List<String> texts(List<Sample> samples, boolean train) {
    return samples.stream().filter(s -> s.train() == train).map(Sample::text).toList();
  }

  private static FloatNdArray labels(List<Sample> samples, boolean train) {
    List<Sample> split = samples.stream().filter(s -> s.train() == train).toList();
    float[] labels = new float[split.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = split.get(i).label();
    }
    return Data.floats(labels, labels.length);
  }

  /** Trains and evaluates; returns the test accuracy. */
  static double run(List<Sample> samples, int epochs, int verbose) {
    TextVectorization vectorizer = TextVectorization.defaults().maxTokens(20_000)
        .outputSequenceLength(STEPS).adapt(texts(samples, true));
    FloatNdArray x = vectorizer.apply(texts(samples, true));
    FloatNdArray xTest = vectorizer.apply(texts(samples, false));
    try (Sequential model = model(vectorizer.vocabularySize())) {
      model.compile(Adam.defaults(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY, Metric.ACCURACY);
      History history = model.fit(x, labels(samples, true), Fit.epochs(epochs).batchSize(64)
          .verbose(verbose));
      Map<String, Double> test = model.evaluate(xTest, labels(samples, false), 64, verbose);
      if (verbose > 0) {
        System.out.printf("loss by epoch %s%n", history.get("loss"));
      }
      return test.get("accuracy");
    }
  }

  public static void main(String[] argv) throws IOException {
    Args args = new Args(argv, List.of("epochs", "per-language", "seed", "tsv"));
    int epochs = args.getInt("epochs", 3);
    long seed = args.getInt("seed", 7);
    Jeras.setRandomSeed(seed);
    List<Sample> samples = samples(args.getInt("per-language", 4000), seed);
    System.out.printf("%d fortunes in %s, %d for training%n", samples.size(), ORDER,
        samples.stream().filter(Sample::train).count());
    String tsv = args.get("tsv", null);
    if (tsv != null) {
      StringBuilder lines = new StringBuilder();
      for (Sample s : samples) {
        lines.append(s.train() ? "train" : "test").append('\t').append(s.label()).append('\t')
            .append(s.text().replace('\t', ' ')).append('\n');
      }
      AtomicFiles.write(Path.of(tsv), out -> out.write(lines.toString()
          .getBytes(StandardCharsets.UTF_8)));
      System.out.println("Data set written to " + tsv);
    }
    double accuracy = run(samples, epochs, 1);
    System.out.printf("test accuracy %.4f%n", accuracy);
  }
}
