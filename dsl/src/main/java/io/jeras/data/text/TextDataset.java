package io.jeras.data.text;

import io.jeras.data.Shuffling;
import io.jeras.data.text.TextDatasetOptions.LabelMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Texts and their labels, read batch by batch: what Keras' {@code text_dataset_from_directory}
 * returns ({@link TextDatasets}). Its batches hold strings; {@link TextVectorization#map}
 * turns it into the numeric {@link io.jeras.data.Dataset} that {@code fit} trains on, and
 * {@link #texts()} gives {@link TextVectorization#adapt} the texts alone.
 *
 * <p>Files are read when a batch is taken, each whole (or its first {@code maxLength} bytes),
 * decoded as UTF-8 (malformed bytes become U+FFFD, where Keras keeps the bytes). A file that
 * cannot be read, or holds more than {@code maxFileBytes}, fails the batch with an {@link
 * io.jeras.input.InvalidInputException} naming it. Reading is on the caller's thread.
 */
public final class TextDataset {
  private final List<String> classNames;
  private final List<Path> files;
  private final List<Integer> labels;
  private final TextDatasetOptions options;
  private final boolean reshuffle;
  private final long seed;

  /**
   * One batch: its texts and their labels, shaped as the label mode says ({@code (n,)}, {@code
   * (n, classes)} or {@code (n, 1)}, float), or null without labels.
   */
  public record TextBatch(List<String> texts, FloatNdArray labels) {
    /** The number of texts. */
    public int size() {
      return texts.size();
    }
  }

  TextDataset(List<String> classNames, List<Path> files, List<Integer> labels,
      TextDatasetOptions options, boolean reshuffle, long seed) {
    this.classNames = classNames;
    this.files = files;
    this.labels = labels;
    this.options = options;
    this.reshuffle = reshuffle;
    this.seed = seed;
  }

  /** The class names in label order (Keras' {@code class_names}); empty without labels. */
  public List<String> classNames() {
    return classNames;
  }

  /** The files, in the order of the first pass. */
  public List<Path> filePaths() {
    return files;
  }

  /** The label of each file of {@link #filePaths()}; empty without labels. */
  public List<Integer> labels() {
    return labels;
  }

  /** The number of texts. */
  public int size() {
    return files.size();
  }

  /** The number of batches of a pass. */
  public long cardinality() {
    return (files.size() + options.batchSize() - 1) / options.batchSize();
  }

  /**
   * The batches of the {@code pass}-th pass: the first in the order of {@link #filePaths()},
   * every later one, when shuffling, in another order drawn from the seed and the pass (Keras
   * reshuffles each epoch within a buffer of {@code 8 * batch_size} files, with TensorFlow's
   * generator, which Jeras does not reproduce).
   */
  public Iterator<TextBatch> pass(int pass) {
    int[] order = reshuffle && pass > 0 ? Shuffling.permutation(files.size(),
        new Random(Shuffling.passSeed(seed, pass))) : null;
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < files.size();
      }

      @Override
      public TextBatch next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int from = next;
        int to = Math.min(from + options.batchSize(), files.size());
        next = to;
        List<String> texts = new ArrayList<>(to - from);
        List<Integer> batchLabels = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
          int index = order == null ? i : order[i];
          texts.add(TextDatasets.read(files.get(index), options));
          if (!labels.isEmpty()) {
            batchLabels.add(labels.get(index));
          }
        }
        return new TextBatch(Collections.unmodifiableList(texts),
            labels.isEmpty() ? null : labels(batchLabels));
      }
    };
  }

  /**
   * The texts of the first pass, without labels, read as they are iterated (Keras' {@code
   * dataset.map(lambda x, y: x)}): what {@link TextVectorization#adapt} learns from.
   */
  public Iterable<String> texts() {
    return () -> new Iterator<>() {
      private final Iterator<TextBatch> batches = pass(0);
      private Iterator<String> current = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && batches.hasNext()) {
          current = batches.next().texts().iterator();
        }
        return current.hasNext();
      }

      @Override
      public String next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  private FloatNdArray labels(List<Integer> batchLabels) {
    int n = batchLabels.size();
    if (options.labelMode() == LabelMode.CATEGORICAL) {
      int classes = classNames.size();
      float[] oneHot = new float[n * classes];
      for (int i = 0; i < n; i++) {
        oneHot[i * classes + batchLabels.get(i)] = 1;
      }
      return NdArrays.wrap(Shape.of(n, classes), DataBuffers.of(oneHot, false, false));
    }
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = batchLabels.get(i);
    }
    return NdArrays.wrap(options.labelMode() == LabelMode.BINARY ? Shape.of(n, 1) : Shape.of(n),
        DataBuffers.of(values, false, false));
  }
}
