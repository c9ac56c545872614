package io.jeras.data.text;

import io.jeras.data.Shuffling;
import io.jeras.data.text.TextDatasetOptions.LabelMode;
import io.jeras.input.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Keras' {@code text_dataset_from_directory}: a {@link TextDataset} of the {@code .txt} files
 * of a folder with one sub-folder per class.
 *
 * <pre>
 * aclImdb/train/neg/0_3.txt ...
 * aclImdb/train/pos/0_9.txt ...
 * </pre>
 *
 * <pre>{@code
 * TextDatasets.Split data = TextDatasets.textDatasetsFromDirectory(Path.of("aclImdb/train"),
 *     TextDatasetOptions.defaults().validationSplit(0.2).seed(1337));
 * TextVectorization vectorizer = TextVectorization.defaults().maxTokens(20000)
 *     .outputSequenceLength(500).adapt(data.training().texts());
 * model.fit(vectorizer.map(data.training()), Fit.epochs(3)
 *     .validationData(vectorizer.map(data.validation())));
 * }</pre>
 *
 * <p>As in Keras: the classes are the sub-folders not starting with {@code "."}, in
 * alphanumeric order (or the given {@code classNames}, in their order); label {@code i} is the
 * {@code i}-th. Each class folder's files ending in {@code .txt} (any case) are listed folder by
 * folder, the folders in alphanumeric order of their paths and the files of each in
 * alphanumeric order, so the order without shuffling is Keras'. Without labels, the whole
 * directory is listed so. Shuffling permutes that list exactly as Keras does ({@code
 * np.random.RandomState(seed).shuffle}), and a validation split takes the last {@code
 * int(split * n)} files of it: the same seed gives the same training and validation files as
 * Keras.
 *
 * <p>Where Jeras differs: folders inside a class folder (or, without labels, inside the
 * directory) that are symbolic links are entered only with {@code followLinks(true)} (Keras
 * 3.8's {@code tf.io.gfile.walk} enters them either way; class folders that are links are
 * used in both), and each directory once, so a link loop ends; only regular files are listed;
 * files are decoded as UTF-8. A split whose validation share rounds to 0 files leaves every file for training
 * (Keras then returns no training files).
 */
public final class TextDatasets {
  private TextDatasets() {}

  /** The subsets of a split: Keras' {@code subset="both"}. */
  public record Split(TextDataset training, TextDataset validation) {}

  /**
   * Keras' {@code text_dataset_from_directory(directory, ...)}; prints what it found unless
   * {@code verbose(false)}.
   *
   * @throws IllegalArgumentException with Keras' messages for options that do not fit (a
   *     split without a subset, shuffling a split without a seed, binary labels without two
   *     classes, unknown class names) and when no text file is found
   * @throws InvalidInputException if a folder cannot be listed
   */
  public static TextDataset textDatasetFromDirectory(Path directory,
      TextDatasetOptions options) {
    checkSplit(options, options.subset());
    Listing listing = Listing.of(directory, options);
    return listing.subset(directory, options, options.subset(), options.shuffle());
  }

  /** Keras' {@code subset="both"}: the training and the validation subsets of one listing. */
  public static Split textDatasetsFromDirectory(Path directory, TextDatasetOptions options) {
    if (options.subset() != null) {
      throw new IllegalArgumentException("textDatasetsFromDirectory makes both subsets; do not"
          + " set `subset` (got \"" + options.subset() + "\")");
    }
    checkSplit(options, "both");
    Listing listing = Listing.of(directory, options);
    return new Split(listing.subset(directory, options, "training", options.shuffle()),
        listing.subset(directory, options, "validation", false));
  }

  private static void checkSplit(TextDatasetOptions options, String subset) {
    boolean split = options.validationSplit() > 0;
    if (split != (subset != null)) {
      throw new IllegalArgumentException("If `subset` is set, `validation_split` must be set,"
          + " and inversely. Received: validation_split=" + options.validationSplit()
          + ", subset=" + subset);
    }
    if (split && options.shuffle() && options.seed() == null) {
      throw new IllegalArgumentException("If using `validation_split` and shuffling the data,"
          + " you must provide a `seed` argument, to make sure that there is no overlap between"
          + " the training and validation subset.");
    }
  }

  /** The files and labels of a directory, in Keras' order (shuffled when asked). */
  private record Listing(List<String> classNames, List<Path> files, List<Integer> labels,
      long seed) {

    static Listing of(Path directory, TextDatasetOptions options) {
      if (!Files.isDirectory(directory)) {
        throw new IllegalArgumentException("Text directory " + directory + " does not exist");
      }
      boolean labelled = options.labelMode() != LabelMode.NONE;
      List<String> classNames = new ArrayList<>();
      List<Path> roots = new ArrayList<>();
      if (labelled) {
        List<String> subdirs = new ArrayList<>();
        for (Path child : children(directory)) {
          String name = child.getFileName().toString();
          if (Files.isDirectory(child) && !name.startsWith(".")) {
            subdirs.add(name);
          }
        }
        subdirs.sort(CodePoints::compare);
        if (options.classNames() != null) {
          if (!subdirs.containsAll(options.classNames())) {
            throw new IllegalArgumentException("The `class_names` passed did not match the names"
                + " of the subdirectories of the target directory. Expected: " + subdirs
                + " (or a subset of it), but received: class_names=" + options.classNames());
          }
          subdirs = options.classNames();
        }
        classNames.addAll(subdirs);
        subdirs.forEach(name -> roots.add(directory.resolve(name)));
      } else {
        if (options.classNames() != null) {
          throw new IllegalArgumentException("When `labels=None` (no labels), argument"
              + " `class_names` cannot be specified.");
        }
        roots.add(directory);
      }
      if (options.labelMode() == LabelMode.BINARY && classNames.size() != 2) {
        throw new IllegalArgumentException("When passing `label_mode=\"binary\"`, there must be"
            + " exactly 2 class_names. Received: class_names=" + classNames + " in "
            + directory);
      }
      List<Path> files = new ArrayList<>();
      List<Integer> labels = new ArrayList<>();
      for (int label = 0; label < roots.size(); label++) {
        List<Path> found = new ArrayList<>();
        walk(roots.get(label), options.followLinks(), new HashSet<>(), found);
        found.sort(Comparator.comparing((Path p) -> p.getParent().toString(),
            CodePoints::compare).thenComparing(p -> p.getFileName().toString(),
            CodePoints::compare));
        files.addAll(found);
        if (labelled) {
          for (int i = 0; i < found.size(); i++) {
            labels.add(label);
          }
        }
      }
      if (options.verbose()) {
        PrintStream out = System.out;
        out.println(labelled ? "Found " + files.size() + " files belonging to "
            + classNames.size() + " classes." : "Found " + files.size() + " files.");
      }
      long seed = options.seed() != null ? options.seed() : new Random().nextInt(1_000_000);
      if (options.shuffle()) {
        int[] order = Shuffling.numpyPermutation(files.size(), seed);
        List<Path> shuffledFiles = new ArrayList<>();
        List<Integer> shuffledLabels = new ArrayList<>();
        for (int i : order) {
          shuffledFiles.add(files.get(i));
          if (labelled) {
            shuffledLabels.add(labels.get(i));
          }
        }
        files = shuffledFiles;
        labels = shuffledLabels;
      }
      return new Listing(List.copyOf(classNames), files, labels, seed);
    }

    TextDataset subset(Path directory, TextDatasetOptions options, String subset,
        boolean reshuffle) {
      List<Path> chosen = files;
      List<Integer> chosenLabels = labels;
      if (subset != null) {
        int validation = (int) (options.validationSplit() * files.size());
        int cut = files.size() - validation;
        boolean training = subset.equals("training");
        if (options.verbose()) {
          System.out.println(training ? "Using " + cut + " files for training."
              : "Using " + validation + " files for validation.");
        }
        chosen = training ? files.subList(0, cut) : files.subList(cut, files.size());
        chosenLabels = labels.isEmpty() ? labels : training ? labels.subList(0, cut)
            : labels.subList(cut, labels.size());
      }
      if (chosen.isEmpty()) {
        throw new IllegalArgumentException("No " + (subset == null ? "" : subset + " ")
            + "text files found in directory " + directory + ". Allowed format: .txt"
            + (subset == null ? "" : " (validation_split=" + options.validationSplit()
                + " of " + files.size() + " files)"));
      }
      return new TextDataset(classNames, List.copyOf(chosen), List.copyOf(chosenLabels),
          options, reshuffle, seed ^ (subset == null ? 0 : subset.hashCode()));
    }
  }

  private static List<Path> children(Path directory) {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
      stream.forEach(children::add);
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(directory.toString(), "cannot be listed: " + e, e);
    }
    return children;
  }

  /**
   * Adds the regular {@code .txt} files under {@code directory}, entering sub-folders that are
   * symbolic links only when {@code followLinks}, and each directory once.
   */
  private static void walk(Path directory, boolean followLinks, Set<Path> entered,
      List<Path> found) {
    try {
      if (!entered.add(directory.toRealPath())) {
        return;   // a link back to a folder already listed
      }
    } catch (IOException e) {
      throw new InvalidInputException(directory.toString(), "cannot be listed: " + e, e);
    }
    for (Path child : children(directory)) {
      if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)
          || followLinks && Files.isDirectory(child)) {
        walk(child, followLinks, entered, found);
      } else if (child.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".txt")
          && Files.isRegularFile(child)) {
        found.add(child);
      }
    }
  }

  /**
   * The text of {@code file}: its first {@code maxLength} bytes (all without), decoded as
   * UTF-8 with U+FFFD for malformed bytes.
   *
   * @throws InvalidInputException naming the file when it cannot be read or holds more than
   *     {@code maxFileBytes} bytes to read
   */
  static String read(Path file, TextDatasetOptions options) {
    Integer maxLength = options.maxLength();
    long limit = options.maxFileBytes();
    boolean capped = maxLength != null && maxLength <= limit;
    String tooBig = "holds more than " + limit + " bytes, the limit of one text file"
        + " (TextDatasetOptions.maxFileBytes; or maxLength to read only its start)";
    try {
      if (!capped && Files.size(file) > limit) {
        throw new InvalidInputException(file.toString(), tooBig);
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes(capped ? maxLength : (int) Math.min(limit + 1,
            Integer.MAX_VALUE - 8));
      }
      if (!capped && bytes.length > limit) {
        throw new InvalidInputException(file.toString(), tooBig);
      }
      if (maxLength != null && bytes.length > maxLength) {
        bytes = Arrays.copyOf(bytes, maxLength);
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidInputException(file.toString(), "cannot be read: " + e, e);
    }
  }
}
