package io.jeras.data.text;

import static com.google.common.base.Preconditions.checkArgument;

import io.jeras.data.DataBatch;
import io.jeras.data.Dataset;
import io.jeras.data.text.TextDataset.TextBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import lombok.AccessLevel;
import lombok.Builder;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Keras' {@code TextVectorization}, as a preprocessor that runs in Java: texts in, numbers out,
 * ready to feed a model. It is not a layer of a model's graph (Jeras' graph layers take float
 * tensors, not strings): vectorize the texts with {@link #apply(List)}, or a {@link
 * TextDataset} with {@link #map(TextDataset)}, and give the model the numbers.
 *
 * <pre>{@code
 * TextVectorization vectorizer = TextVectorization.defaults().maxTokens(20000)
 *     .outputSequenceLength(200).adapt(train.texts());      // the vocabulary, as Keras learns it
 * model.fit(vectorizer.map(train), Fit.epochs(3).validationData(vectorizer.map(validation)));
 * FloatNdArray ids = vectorizer.apply(List.of("a great movie", "a dull one"));  // (2, 200)
 * }</pre>
 *
 * <p>Each text goes through Keras' steps: standardize ({@code "lower_and_strip_punctuation"}
 * by default: TensorFlow's {@code tf.strings.lower}, which lowers ASCII letters only, then
 * Keras' punctuation regex, which removes ASCII punctuation only), split ({@code "whitespace"}:
 * runs of the six ASCII whitespace characters, as {@code tf.strings.split}; {@code
 * "character"}: one token per Unicode code point, as {@code tf.strings.unicode_split}; or none:
 * the whole text is one token), n-grams ({@code ngrams(n)}: the 1- to n-grams, all 1-grams
 * first, joined by a space), then the vocabulary lookup of the output mode:
 *
 * <ul>
 *   <li>{@code "int"} (default): the token ids, shaped {@code (texts, length)}; the vocabulary
 *       starts with {@code ""} (id 0, the padding) and {@code "[UNK]"} (id 1, every token out
 *       of the vocabulary). Texts are padded with 0 at the end to the longest of the batch, or
 *       padded and truncated at the end to {@code outputSequenceLength}.
 *   <li>{@code "multi_hot"}, {@code "count"}, {@code "tf_idf"}: one row per text of {@code
 *       vocabularySize()} values (or {@code maxTokens} with {@code padToMaxTokens}), 1 where a
 *       token occurs, its count, or its count times its IDF weight; {@code "[UNK]"} is index 0
 *       and there is no padding token.
 * </ul>
 *
 * <p>{@link #adapt(Iterable)} learns the vocabulary as Keras does: tokens by descending count,
 * ties in descending order of their UTF-8 bytes (Keras' {@code np.lexsort(...)[::-1]}), the
 * most frequent {@code maxTokens} minus the special tokens kept; in {@code "tf_idf"} mode each
 * token's weight is {@code log(1 + documents / (1 + documents holding it))} and {@code
 * "[UNK]"}'s the mean of those. Ids are floats, exact below 2^24.
 *
 * <p>Keras works on UTF-8 bytes, Jeras on Java strings: for valid Unicode text the tokens,
 * vocabulary and ids are the same (non-ASCII letters keep their case, as in Keras: {@code
 * "ÉCOLE"} becomes {@code "École"}). Objects are immutable: the setters and {@code adapt}
 * return a new vectorizer; set the options before the vocabulary.
 */
public final class TextVectorization {
  /** The padding (mask) token of {@code "int"} mode. */
  public static final String MASK_TOKEN = "";
  /** The out-of-vocabulary token. */
  public static final String OOV_TOKEN = "[UNK]";
  /** Keras' punctuation regex, verbatim. */
  static final Pattern PUNCTUATION = Pattern.compile(
      "[!\"#$%&()\\*\\+,-\\./:;<=>?@\\[\\\\\\]^_`{|}~']");
  private static final List<String> STANDARDIZE = List.of("lower_and_strip_punctuation",
      "lower", "strip_punctuation");
  private static final List<String> SPLIT = List.of("whitespace", "character");

  /** What a vectorizer outputs per text. */
  public enum OutputMode {
    /** Token ids. */
    INT,
    /** 1 for each vocabulary token that occurs (Keras' {@code "binary"} too). */
    MULTI_HOT,
    /** How many times each vocabulary token occurs. */
    COUNT,
    /** The count times the token's inverse document frequency. */
    TF_IDF
  }

  private final Integer maxTokens;
  private final String standardize;
  private final UnaryOperator<String> standardizer;
  private final String split;
  private final Function<String, List<String>> splitter;
  private final int[] ngrams;
  private final OutputMode outputMode;
  private final Integer outputSequenceLength;
  private final boolean padToMaxTokens;
  private final Vocabulary vocabulary;

  /**
   * A vocabulary: its tokens without the special ones, their ids, and the IDF weight of each id
   * in {@code "tf_idf"} mode (special tokens first).
   *
   * @param given set with {@code vocabulary(...)}, not learned by {@code adapt}
   */
  private record Vocabulary(List<String> tokens, Map<String, Integer> ids, float[] idfWeights,
      boolean given) {}

  @Builder(toBuilder = true, access = AccessLevel.PRIVATE)
  private TextVectorization(Integer maxTokens, String standardize,
      UnaryOperator<String> standardizer, String split, Function<String, List<String>> splitter,
      int[] ngrams, OutputMode outputMode, Integer outputSequenceLength, boolean padToMaxTokens,
      Vocabulary vocabulary) {
    checkArgument(maxTokens == null || maxTokens > 1, "If set, `max_tokens` must be greater"
        + " than 1. Received: max_tokens=%s", maxTokens);
    checkArgument(!padToMaxTokens || maxTokens != null, "If pad_to_max_tokens is True, must set"
        + " `max_tokens`. Received: max_tokens=%s", maxTokens);
    checkArgument(outputSequenceLength == null || outputMode == OutputMode.INT,
        "`output_sequence_length` must not be set if `output_mode` is not 'int'. Received"
            + " output_sequence_length=%s.", outputSequenceLength);
    checkArgument(outputSequenceLength == null || outputSequenceLength >= 0,
        "`output_sequence_length` must be >= 0, got %s", outputSequenceLength);
    this.maxTokens = maxTokens;
    this.standardize = standardize;
    this.standardizer = standardizer;
    this.split = split;
    this.splitter = splitter;
    this.ngrams = ngrams;
    this.outputMode = outputMode;
    this.outputSequenceLength = outputSequenceLength;
    this.padToMaxTokens = padToMaxTokens;
    this.vocabulary = vocabulary;
  }

  /**
   * Keras' defaults: no token limit, {@code "lower_and_strip_punctuation"}, {@code
   * "whitespace"}, no n-grams, {@code "int"} output, no vocabulary yet.
   */
  public static TextVectorization defaults() {
    return new TextVectorization(null, STANDARDIZE.get(0), TextVectorization::lowerAndStrip,
        SPLIT.get(0), TextVectorization::splitWhitespace, null, OutputMode.INT, null, false,
        null);
  }

  /**
   * This layer, checked to have no vocabulary yet: options are set first. (Its builder's type
   * stays out of signatures: Javadoc runs on the sources before Lombok generates it.)
   */
  private TextVectorization beforeVocabulary() {
    if (vocabulary != null) {
      throw new IllegalStateException("TextVectorization's options are set before its"
          + " vocabulary (adapt or vocabulary); set them first");
    }
    return this;
  }

  /** The most tokens in the vocabulary, the special tokens included (default: no limit). */
  public TextVectorization maxTokens(int maxTokens) {
    return beforeVocabulary().toBuilder().maxTokens(maxTokens).build();
  }

  /**
   * Keras' {@code standardize}: {@code "lower_and_strip_punctuation"} (default), {@code
   * "lower"}, {@code "strip_punctuation"}, or null for none.
   */
  public TextVectorization standardize(String standardize) {
    if (standardize == null) {
      return beforeVocabulary().toBuilder().standardize(null).standardizer(null).build();
    }
    checkArgument(STANDARDIZE.contains(standardize), "Unknown value for `standardize` argument"
        + " of TextVectorization. Allowed values are: %s. Received: standardize=%s",
        STANDARDIZE, standardize);
    UnaryOperator<String> function = switch (standardize) {
      case "lower" -> TextVectorization::lowerAscii;
      case "strip_punctuation" -> TextVectorization::stripPunctuation;
      default -> TextVectorization::lowerAndStrip;
    };
    return beforeVocabulary().toBuilder().standardize(standardize).standardizer(function).build();
  }

  /** Keras' callable {@code standardize}: {@code function} of each text instead. */
  public TextVectorization standardizeWith(UnaryOperator<String> function) {
    checkArgument(function != null, "function must not be null; standardize(null) for none");
    return beforeVocabulary().toBuilder().standardize("custom").standardizer(function).build();
  }

  /**
   * Keras' {@code split}: {@code "whitespace"} (default), {@code "character"}, or null for none
   * (each text is one token).
   */
  public TextVectorization split(String split) {
    if (split == null) {
      return beforeVocabulary().toBuilder().split(null).splitter(null).build();
    }
    checkArgument(SPLIT.contains(split), "Unknown value for `split` argument of"
        + " TextVectorization. Allowed values are: %s. Received: split=%s", SPLIT, split);
    return beforeVocabulary().toBuilder().split(split).splitter(split.equals("whitespace")
        ? TextVectorization::splitWhitespace : TextVectorization::splitCharacters).build();
  }

  /** Keras' callable {@code split}: the tokens of a standardized text. */
  public TextVectorization splitWith(Function<String, List<String>> function) {
    checkArgument(function != null, "function must not be null; split(null) for none");
    return beforeVocabulary().toBuilder().split("custom").splitter(function).build();
  }

  /** Keras' {@code ngrams=n}: the 1-grams to n-grams of each text's tokens. */
  public TextVectorization ngrams(int n) {
    checkArgument(n >= 1, "`ngrams` must be >= 1, got %s", n);
    int[] widths = new int[n];
    for (int i = 0; i < n; i++) {
      widths[i] = i + 1;
    }
    return beforeVocabulary().toBuilder().ngrams(widths).build();
  }

  /** Keras' {@code ngrams=(w1, w2, ...)}: n-grams of these widths, in this order. */
  public TextVectorization ngramWidths(int... widths) {
    checkArgument(widths.length > 0, "`ngrams` needs at least one width");
    for (int width : widths) {
      checkArgument(width >= 1, "n-gram widths must be >= 1, got %s", Arrays.toString(widths));
    }
    return beforeVocabulary().toBuilder().ngrams(widths.clone()).build();
  }

  /**
   * {@code "int"} (default), {@code "multi_hot"} (or Keras' alias {@code "binary"}), {@code
   * "count"} or {@code "tf_idf"} (or {@code "tf-idf"}). Keras' {@code "one_hot"}, which needs one
   * token per text, is not supported.
   */
  public TextVectorization outputMode(String mode) {
    String name = switch (mode == null ? "" : mode) {
      case "binary" -> "multi_hot";
      case "tf-idf" -> "tf_idf";
      default -> mode;
    };
    List<String> allowed = List.of("int", "multi_hot", "count", "tf_idf");
    checkArgument(!"one_hot".equals(name), "output_mode 'one_hot' is not supported by Jeras'"
        + " TextVectorization (it needs one token per text); use 'multi_hot'");
    checkArgument(allowed.contains(name), "Unknown value for `output_mode` argument of"
        + " TextVectorization. Allowed values are: %s. Received: output_mode=%s", allowed, mode);
    return outputMode(OutputMode.valueOf(name.toUpperCase(Locale.ROOT)));
  }

  /** The output mode. */
  public TextVectorization outputMode(OutputMode mode) {
    checkArgument(mode != null, "output_mode must not be null");
    return beforeVocabulary().toBuilder().outputMode(mode).build();
  }

  /**
   * In {@code "int"} mode, every text's ids padded with 0 or truncated at the end to {@code
   * length} (default: padded to the longest text of each batch). May be set after the
   * vocabulary.
   */
  public TextVectorization outputSequenceLength(int length) {
    return toBuilder().outputSequenceLength(length).build();
  }

  /**
   * In the multi_hot, count and tf_idf modes, rows of {@code maxTokens} values whatever the
   * vocabulary's size (the values past it 0).
   */
  public TextVectorization padToMaxTokens(boolean pad) {
    return beforeVocabulary().toBuilder().padToMaxTokens(pad).build();
  }

  /**
   * This vectorizer with a given vocabulary (Keras' {@code vocabulary=} or {@code
   * set_vocabulary}): the tokens in id order, with or without the special tokens at the start
   * ({@code "", "[UNK]"} in int mode, {@code "[UNK]"} otherwise). Not in tf_idf mode, which
   * needs {@link #vocabulary(List, double[])}.
   *
   * @throws IllegalArgumentException with Keras' messages: an empty vocabulary, repeated
   *     tokens, {@code ""} after the start, more tokens than {@code maxTokens}
   */
  public TextVectorization vocabulary(List<String> tokens) {
    checkArgument(outputMode != OutputMode.TF_IDF, "`idf_weights` must be set if output_mode"
        + " is 'tf_idf'.");
    return withVocabulary(tokens, null);
  }

  /**
   * A given vocabulary and its IDF weights, one per token given, in tf_idf mode. When the
   * vocabulary does not start with {@code "[UNK]"}, {@code "[UNK]"}'s weight is the weights'
   * mean, as in Keras.
   */
  public TextVectorization vocabulary(List<String> tokens, double[] idfWeights) {
    checkArgument(outputMode == OutputMode.TF_IDF, "`idf_weights` should only be set if"
        + " output_mode is `'tf_idf'`. Received: output_mode=%s",
        outputMode.name().toLowerCase(Locale.ROOT));
    checkArgument(idfWeights != null, "`idf_weights` must be set if output_mode is 'tf_idf'.");
    return withVocabulary(tokens, idfWeights);
  }

  private TextVectorization withVocabulary(List<String> given, double[] idfWeights) {
    checkArgument(given != null && !given.isEmpty(), "Cannot set an empty vocabulary."
        + " Received: vocabulary=%s", given);
    List<String> special = specialTokens();
    boolean found = given.size() >= special.size()
        && given.subList(0, special.size()).equals(special);
    List<String> tokens = List.copyOf(found ? given.subList(special.size(), given.size())
        : given);
    Set<String> seen = new HashSet<>();
    Set<String> repeated = new LinkedHashSet<>();
    for (String token : tokens) {
      if (!seen.add(token)) {
        repeated.add(token);
      }
    }
    checkArgument(repeated.isEmpty(), "The passed vocabulary has at least one repeated term."
        + " Please uniquify your dataset. The repeated terms are: %s", repeated);
    checkArgument(!seen.contains(MASK_TOKEN), "Found reserved mask token at unexpected location"
        + " in `vocabulary`. Note that passed `vocabulary` does not need to include the OOV and"
        + " mask tokens. Either remove all mask and OOV tokens, or include them only at the"
        + " start of the vocabulary in precisely this order: %s. Received: mask_token=\"\" at"
        + " vocabulary index %s", special, given.lastIndexOf(MASK_TOKEN));
    int size = tokenStart() + tokens.size();
    checkArgument(maxTokens == null || size <= maxTokens, "Attempted to set a vocabulary larger"
        + " than the maximum vocab size. Received vocabulary size is %s; `max_tokens` is %s.",
        size, maxTokens);
    float[] idf = null;
    if (idfWeights != null) {
      checkArgument(idfWeights.length == given.size(), "`idf_weights` must be the same length"
          + " as vocabulary. len(idf_weights) is %s; len(vocabulary) is %s", idfWeights.length,
          given.size());
      idf = new float[size];
      int offset = found ? 0 : tokenStart();
      double sum = 0;
      for (int i = 0; i < idfWeights.length; i++) {
        idf[offset + i] = (float) idfWeights[i];
        sum += idfWeights[i];
      }
      for (int i = 0; i < offset; i++) {
        idf[i] = (float) (sum / idfWeights.length);
      }
    }
    return toBuilder().vocabulary(newVocabulary(tokens, idf, true)).build();
  }

  private Vocabulary newVocabulary(List<String> tokens, float[] idf, boolean given) {
    Map<String, Integer> ids = new HashMap<>();
    for (int i = 0; i < tokens.size(); i++) {
      ids.put(tokens.get(i), tokenStart() + i);
    }
    return new Vocabulary(tokens, Map.copyOf(ids), idf, given);
  }

  /**
   * Keras' {@code adapt}: this vectorizer with the vocabulary of {@code texts} (and, in tf_idf
   * mode, its IDF weights), learned as Keras learns it; see the class comment. Each text is a
   * document.
   *
   * @throws IllegalStateException if the vocabulary was given (Keras cannot adapt then either)
   * @throws IllegalArgumentException in tf_idf mode, when the texts hold no token
   */
  public TextVectorization adapt(Iterable<String> texts) {
    if (vocabulary != null && vocabulary.given()) {
      throw new IllegalStateException("Cannot adapt layer 'text_vectorization' after setting a"
          + " static vocabulary via `vocabulary` argument or `set_vocabulary()` method.");
    }
    Map<String, long[]> counts = new HashMap<>();
    Map<String, long[]> documentCounts = new HashMap<>();
    long documents = 0;
    for (String text : texts) {
      List<String> tokens = tokens(text);
      for (String token : tokens) {
        counts.computeIfAbsent(token, t -> new long[1])[0]++;
      }
      if (outputMode == OutputMode.TF_IDF) {
        for (String token : new HashSet<>(tokens)) {
          documentCounts.computeIfAbsent(token, t -> new long[1])[0]++;
        }
      }
      documents++;
    }
    counts.remove(MASK_TOKEN);
    counts.remove(OOV_TOKEN);
    List<String> tokens = new ArrayList<>(counts.keySet());
    tokens.sort((a, b) -> {
      int byCount = Long.compare(counts.get(b)[0], counts.get(a)[0]);
      return byCount != 0 ? byCount : CodePoints.compare(b, a);
    });
    if (maxTokens != null && tokens.size() > maxTokens - tokenStart()) {
      tokens = tokens.subList(0, maxTokens - tokenStart());
    }
    float[] idf = null;
    if (outputMode == OutputMode.TF_IDF) {
      checkArgument(!tokens.isEmpty(), "adapt found no token in the texts, so no IDF weights");
      idf = new float[tokenStart() + tokens.size()];
      double sum = 0;
      for (int i = 0; i < tokens.size(); i++) {
        float weight = (float) Math.log(1 + (double) documents
            / (1 + documentCounts.get(tokens.get(i))[0]));
        idf[tokenStart() + i] = weight;
        sum += weight;
      }
      for (int i = 0; i < tokenStart(); i++) {
        idf[i] = (float) (sum / tokens.size());
      }
    }
    return toBuilder().vocabulary(newVocabulary(List.copyOf(tokens), idf, false)).build();
  }

  /**
   * Keras' {@code get_vocabulary()}: the tokens in id order, the special tokens first ({@code
   * "", "[UNK]"} in int mode, {@code "[UNK]"} otherwise); only those before any vocabulary.
   */
  public List<String> getVocabulary() {
    return getVocabulary(true);
  }

  /** The vocabulary, with or without the special tokens. */
  public List<String> getVocabulary(boolean includeSpecialTokens) {
    List<String> tokens = vocabulary == null ? List.of() : vocabulary.tokens();
    if (!includeSpecialTokens) {
      return tokens;
    }
    List<String> all = new ArrayList<>(specialTokens());
    all.addAll(tokens);
    return List.copyOf(all);
  }

  /** Keras' {@code vocabulary_size()}: the tokens, special tokens included. */
  public int vocabularySize() {
    return tokenStart() + (vocabulary == null ? 0 : vocabulary.tokens().size());
  }

  /**
   * The IDF weight of each id (special tokens first; 0 past the vocabulary with {@code
   * padToMaxTokens}), or null outside tf_idf mode or before a vocabulary.
   */
  public float[] idfWeights() {
    if (vocabulary == null || vocabulary.idfWeights() == null) {
      return null;
    }
    return Arrays.copyOf(vocabulary.idfWeights(), depth());
  }

  /** Whether this vectorizer has a vocabulary, adapted or given. */
  public boolean hasVocabulary() {
    return vocabulary != null;
  }

  /** The most tokens, or null for no limit. */
  public Integer maxTokens() {
    return maxTokens;
  }

  /** Keras' name of the standardization, {@code "custom"} for a function, or null for none. */
  public String standardize() {
    return standardize;
  }

  /** Keras' name of the split, {@code "custom"} for a function, or null for none. */
  public String split() {
    return split;
  }

  /** The n-gram widths, or null for none. */
  public int[] ngrams() {
    return ngrams == null ? null : ngrams.clone();
  }

  public OutputMode outputMode() {
    return outputMode;
  }

  /** The length of int-mode outputs, or null to pad to each batch's longest text. */
  public Integer outputSequenceLength() {
    return outputSequenceLength;
  }

  public boolean padToMaxTokens() {
    return padToMaxTokens;
  }

  /**
   * The tokens of one text, before the vocabulary lookup: standardized, split, as n-grams (in
   * Keras' order: all n-grams of the first width, then of the next).
   */
  public List<String> tokens(String text) {
    checkArgument(text != null, "texts must not be null");
    String standardized = standardizer == null ? text : standardizer.apply(text);
    List<String> tokens = splitter == null ? List.of(standardized)
        : splitter.apply(standardized);
    if (ngrams == null) {
      return tokens;
    }
    List<String> grams = new ArrayList<>();
    for (int width : ngrams) {
      for (int i = 0; i + width <= tokens.size(); i++) {
        grams.add(String.join(" ", tokens.subList(i, i + width)));
      }
    }
    return grams;
  }

  /**
   * Keras' {@code layer(texts)}: one row per text, shaped {@code (texts, length)} in int mode,
   * {@code (texts, vocabularySize())} (or {@code maxTokens} with {@code padToMaxTokens})
   * otherwise; see the class comment. With no split, each text is one token, as Keras' layer
   * called on texts shaped {@code (texts, 1)}.
   *
   * @throws IllegalStateException outside int mode without a vocabulary (with Keras' message)
   */
  public FloatNdArray apply(List<String> texts) {
    checkArgument(texts != null, "texts must not be null");
    int n = texts.size();
    if (outputMode == OutputMode.INT) {
      List<int[]> rows = new ArrayList<>(n);
      int longest = 0;
      for (String text : texts) {
        List<String> tokens = tokens(text);
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = id(tokens.get(i));
        }
        rows.add(ids);
        longest = Math.max(longest, ids.length);
      }
      int length = outputSequenceLength != null ? outputSequenceLength : longest;
      float[] values = new float[Math.multiplyExact(n, length)];
      for (int r = 0; r < n; r++) {
        int[] ids = rows.get(r);
        for (int i = 0; i < Math.min(ids.length, length); i++) {
          values[r * length + i] = ids[i];
        }
      }
      return NdArrays.wrap(Shape.of(n, length), DataBuffers.of(values, false, false));
    }
    if (vocabulary == null && !padToMaxTokens) {
      throw new IllegalStateException("When using `output_mode=" + outputMode.name()
          .toLowerCase(Locale.ROOT) + "` and `pad_to_max_tokens=False`, you must set the"
          + " layer's vocabulary before calling it. Either pass a `vocabulary` argument to the"
          + " layer, or call `adapt` with some sample data.");
    }
    if (outputMode == OutputMode.TF_IDF && vocabulary == null) {
      throw new IllegalStateException("When `output_mode` is `'tf_idf'`, `idf_weights` must be"
          + " provided: adapt or set a vocabulary first");
    }
    int depth = depth();
    float[] values = new float[Math.multiplyExact(n, depth)];
    for (int r = 0; r < n; r++) {
      for (String token : tokens(texts.get(r))) {
        if (token.equals(MASK_TOKEN)) {
          continue;   // the mask token counts nowhere outside int mode
        }
        int id = id(token);
        if (id >= depth) {
          continue;
        }
        values[r * depth + id] = outputMode == OutputMode.MULTI_HOT ? 1
            : values[r * depth + id] + 1;
      }
      if (outputMode == OutputMode.TF_IDF) {
        float[] idf = vocabulary.idfWeights();
        for (int i = 0; i < idf.length && i < depth; i++) {
          values[r * depth + i] *= idf[i];
        }
      }
    }
    return NdArrays.wrap(Shape.of(n, depth), DataBuffers.of(values, false, false));
  }

  /**
   * One text: the single row of {@link #apply(List)} on it, without the batch dimension (as
   * Keras' layer on one string); {@code apply(List.of(text))} keeps it.
   */
  public FloatNdArray apply(String text) {
    return apply(List.of(text)).get(0);
  }

  /**
   * The numeric dataset of {@code texts}: each batch's texts through {@link #apply(List)}, its
   * labels as they are (Keras' {@code text_ds.map(lambda x, y: (vectorize_layer(x), y))}).
   * Texts are read and vectorized as each batch is taken.
   */
  public Dataset map(TextDataset texts) {
    return new Dataset() {
      @Override
      public long cardinality() {
        return texts.cardinality();
      }

      @Override
      public Pass pass(int pass) {
        Iterator<TextBatch> batches = texts.pass(pass);
        return new Pass() {
          @Override
          public boolean hasNext() {
            return batches.hasNext();
          }

          @Override
          public DataBatch next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            TextBatch batch = batches.next();
            FloatNdArray x = apply(batch.texts());
            return batch.labels() == null ? new DataBatch(Map.of("", x), Map.of())
                : DataBatch.of(x, batch.labels());
          }

          @Override
          public void close() {}
        };
      }
    };
  }

  /** The id of a token; out of the vocabulary, the OOV token's. */
  private int id(String token) {
    if (outputMode == OutputMode.INT && token.equals(MASK_TOKEN)) {
      return 0;
    }
    Integer id = vocabulary == null ? null : vocabulary.ids().get(token);
    return id != null ? id : tokenStart() - 1;
  }

  /** The values per text outside int mode. */
  private int depth() {
    return padToMaxTokens ? maxTokens : vocabularySize();
  }

  private List<String> specialTokens() {
    return outputMode == OutputMode.INT ? List.of(MASK_TOKEN, OOV_TOKEN) : List.of(OOV_TOKEN);
  }

  /** The id of the first learned token: after the mask and OOV tokens (int), the OOV token. */
  private int tokenStart() {
    return outputMode == OutputMode.INT ? 2 : 1;
  }

  /** {@code tf.strings.lower}: ASCII letters only, as TensorFlow lowers without an encoding. */
  static String lowerAscii(String text) {
    char[] chars = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        if (chars == null) {
          chars = text.toCharArray();
        }
        chars[i] = (char) (c + ('a' - 'A'));
      }
    }
    return chars == null ? text : new String(chars);
  }

  static String stripPunctuation(String text) {
    return PUNCTUATION.matcher(text).replaceAll("");
  }

  private static String lowerAndStrip(String text) {
    return stripPunctuation(lowerAscii(text));
  }

  /** {@code tf.strings.split}: runs of ASCII whitespace (space, \t, \n, \v, \f, \r). */
  static List<String> splitWhitespace(String text) {
    List<String> tokens = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= text.length(); i++) {
      boolean space = i == text.length() || isAsciiSpace(text.charAt(i));
      if (space && start >= 0) {
        tokens.add(text.substring(start, i));
        start = -1;
      } else if (!space && start < 0) {
        start = i;
      }
    }
    return tokens;
  }

  private static boolean isAsciiSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
  }

  /** {@code tf.strings.unicode_split(text, "UTF-8")}: one token per code point. */
  static List<String> splitCharacters(String text) {
    List<String> tokens = new ArrayList<>(text.length());
    text.codePoints().forEach(c -> tokens.add(new String(Character.toChars(c))));
    return tokens;
  }
}
