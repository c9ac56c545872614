package io.jeras.data.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.jeras.KerasReferences;
import io.jeras.data.Data;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * {@link TextVectorization} against Keras 3's {@code TextVectorization} ({@code
 * text-references.json}, made by {@code savedmodels/python/make_text_references.py}): for each
 * configuration, the vocabulary adapted on the same corpus (or given), exactly, the IDF
 * weights to 1e-6 and the outputs on the same test texts, exactly (to 1e-6 in tf_idf mode).
 */
class TextVectorizationReferenceTest {
  private static JsonNode references;

  @BeforeAll
  static void load() {
    references = KerasReferences.read(TextVectorizationReferenceTest.class,
        "text-references.json");
  }

  static Stream<String> cases() {
    load();
    List<String> names = new ArrayList<>();
    references.get("vectorization").fieldNames().forEachRemaining(names::add);
    return names.stream();
  }

  static List<String> strings(JsonNode array) {
    List<String> strings = new ArrayList<>();
    array.forEach(s -> strings.add(s.asText()));
    return strings;
  }

  /** The vectorizer of Keras' arguments, adapted on the corpus unless given a vocabulary. */
  static TextVectorization vectorizer(JsonNode args) {
    TextVectorization v = TextVectorization.defaults();
    if (args.has("max_tokens")) {
      v = v.maxTokens(args.get("max_tokens").asInt());
    }
    if (args.has("standardize")) {
      v = v.standardize(args.get("standardize").isNull() ? null
          : args.get("standardize").asText());
    }
    if (args.has("split")) {
      v = v.split(args.get("split").isNull() ? null : args.get("split").asText());
    }
    if (args.has("ngrams")) {
      JsonNode ngrams = args.get("ngrams");
      if (ngrams.isArray()) {
        int[] widths = new int[ngrams.size()];
        for (int i = 0; i < widths.length; i++) {
          widths[i] = ngrams.get(i).asInt();
        }
        v = v.ngramWidths(widths);
      } else {
        v = v.ngrams(ngrams.asInt());
      }
    }
    if (args.has("output_mode")) {
      v = v.outputMode(args.get("output_mode").asText());
    }
    if (args.has("output_sequence_length")) {
      v = v.outputSequenceLength(args.get("output_sequence_length").asInt());
    }
    if (args.has("pad_to_max_tokens")) {
      v = v.padToMaxTokens(args.get("pad_to_max_tokens").asBoolean());
    }
    if (args.has("idf_weights")) {
      double[] idf = new double[args.get("idf_weights").size()];
      for (int i = 0; i < idf.length; i++) {
        idf[i] = args.get("idf_weights").get(i).asDouble();
      }
      return v.vocabulary(strings(args.get("vocabulary")), idf);
    }
    if (args.has("vocabulary")) {
      return v.vocabulary(strings(args.get("vocabulary")));
    }
    return v.adapt(strings(references.get("corpus")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void vocabularyAndOutputs_areKeras(String name) {
    JsonNode reference = references.get("vectorization").get(name);
    TextVectorization vectorizer = vectorizer(reference.get("args"));
    assertThat(vectorizer.getVocabulary()).isEqualTo(strings(reference.get("vocabulary")));
    assertThat(vectorizer.vocabularySize()).isEqualTo(reference.get("vocabulary").size());

    FloatNdArray output = vectorizer.apply(strings(references.get("test_texts")));
    FloatNdArray expected = KerasReferences.array(reference.get("output"));
    assertThat(output.shape()).isEqualTo(expected.shape());
    if (reference.has("idf_weights")) {
      float[] idf = Data.toFloatArray(KerasReferences.array(reference.get("idf_weights")));
      float[] got = vectorizer.idfWeights();
      assertThat(got).hasSize(idf.length);
      for (int i = 0; i < idf.length; i++) {
        assertThat(got[i]).as("idf %s", i).isCloseTo(idf[i], within(1e-6f * idf[i]));
      }
      float[] values = Data.toFloatArray(output);
      float[] keras = Data.toFloatArray(expected);
      for (int i = 0; i < keras.length; i++) {
        assertThat(values[i]).as("value %s", i).isCloseTo(keras[i],
            within(1e-6f * Math.max(1, keras[i])));
      }
    } else {
      assertThat(vectorizer.idfWeights()).isNull();
      assertThat(Data.toFloatArray(output)).containsExactly(Data.toFloatArray(expected));
    }
  }

  @Test
  void standardizeAndSplit_areTensorFlowsOnNonAscii() {
    // tf.strings.lower lowers ASCII only; the punctuation regex is ASCII only
    assertThat(TextVectorization.lowerAscii("ÉRIC ÀÖ ß İ ΣΑΣ ABC"))
        .isEqualTo("Éric ÀÖ ß İ ΣΑΣ abc");
    assertThat(TextVectorization.stripPunctuation("¡Hola! «x» — a-b 'c' \"d\" 1.5 ü…"))
        .isEqualTo("¡Hola «x» — ab c d 15 ü…");
    // runs of the six ASCII whitespace characters, not U+00A0, U+2003, U+3000, U+0085, \x1c
    assertThat(TextVectorization.splitWhitespace(" a\t\tb\nc\u000Bd\fe\rf  "))
        .containsExactly("a", "b", "c", "d", "e", "f");
    assertThat(TextVectorization.splitWhitespace("a\u00a0b\u2003c\u3000d\u0085e\u001cf"))
        .containsExactly("a\u00a0b\u2003c\u3000d\u0085e\u001cf");
    // code points: an emoji with a skin tone is two, ß one
    assertThat(TextVectorization.splitCharacters("ß👍🏽"))
        .containsExactly("ß", "👍", "🏽");
    // ties in descending UTF-8 order (code points), not UTF-16 order: U+1F600 sorts after
    // U+FF21 in bytes but before it in UTF-16 units
    TextVectorization v = TextVectorization.defaults().standardize(null)
        .adapt(List.of("\uFF21 😀 b"));
    assertThat(v.getVocabulary(false)).containsExactly("😀", "\uFF21", "b");
  }

  @Test
  void apply_shapesAndPadding() {
    TextVectorization v = TextVectorization.defaults().vocabulary(List.of("a", "b", "c"));
    FloatNdArray ids = v.apply(List.of("a b zz", "c", ""));
    assertThat(ids.shape().asArray()).containsExactly(3, 3);
    assertThat(Data.toFloatArray(ids)).containsExactly(2, 3, 1, 4, 0, 0, 0, 0, 0);
    assertThat(v.apply("c a").shape().asArray()).containsExactly(2);
    assertThat(v.apply(List.of()).shape().asArray()).containsExactly(0, 0);
    assertThat(v.outputSequenceLength(4).apply(List.of("a b c a b")).shape().asArray())
        .containsExactly(1, 4);
    TextVectorization counts = TextVectorization.defaults().outputMode("count")
        .vocabulary(List.of("a", "b"));
    assertThat(Data.toFloatArray(counts.apply("a a zz b"))).containsExactly(1, 2, 1);
    TextVectorization padded = TextVectorization.defaults().outputMode("multi_hot").maxTokens(5)
        .padToMaxTokens(true);
    assertThat(Data.toFloatArray(padded.apply("anything"))).containsExactly(1, 0, 0, 0, 0);
    // custom standardization and split, as Keras' callables
    TextVectorization custom = TextVectorization.defaults()
        .standardizeWith(s -> s.replace("<br />", " ").toLowerCase(java.util.Locale.ROOT))
        .splitWith(s -> List.of(s.split(",")));
    assertThat(custom.tokens("A,B<br />C")).containsExactly("a", "b c");
  }

  @Test
  void misuse_failsWithKerasMessages() {
    TextVectorization v = TextVectorization.defaults();
    assertThatThrownBy(() -> v.maxTokens(1)).hasMessage(
        "If set, `max_tokens` must be greater than 1. Received: max_tokens=1");
    assertThatThrownBy(() -> v.outputMode("multi_hot").outputSequenceLength(3))
        .hasMessageContaining("`output_sequence_length` must not be set if `output_mode` is not"
            + " 'int'");
    assertThatThrownBy(() -> v.outputMode("one-hot")).hasMessageContaining(
        "Unknown value for `output_mode` argument of TextVectorization. Allowed values are:"
            + " [int, multi_hot, count, tf_idf]. Received: output_mode=one-hot");
    assertThatThrownBy(() -> v.outputMode("one_hot")).hasMessageContaining("use 'multi_hot'");
    assertThatThrownBy(() -> v.standardize("upper")).hasMessageContaining(
        "Allowed values are: [lower_and_strip_punctuation, lower, strip_punctuation]."
            + " Received: standardize=upper");
    assertThatThrownBy(() -> v.vocabulary(List.of("a", "b", "a", "b")))
        .hasMessageContaining("The repeated terms are: [a, b]");
    assertThatThrownBy(() -> v.vocabulary(List.of("a", "")))
        .hasMessageContaining("Found reserved mask token at unexpected location")
        .hasMessageContaining("vocabulary index 1");
    assertThatThrownBy(() -> v.vocabulary(List.of()))
        .hasMessageContaining("Cannot set an empty vocabulary");
    assertThatThrownBy(() -> v.maxTokens(4).vocabulary(List.of("a", "b", "c")))
        .hasMessage("Attempted to set a vocabulary larger than the maximum vocab size. Received"
            + " vocabulary size is 5; `max_tokens` is 4.");
    assertThatThrownBy(() -> v.outputMode("tf_idf").vocabulary(List.of("a")))
        .hasMessage("`idf_weights` must be set if output_mode is 'tf_idf'.");
    assertThatThrownBy(() -> v.outputMode("tf_idf").vocabulary(List.of("a"), new double[2]))
        .hasMessage("`idf_weights` must be the same length as vocabulary. len(idf_weights) is"
            + " 2; len(vocabulary) is 1");
    assertThatThrownBy(() -> v.vocabulary(List.of("a"), new double[1]))
        .hasMessageContaining("`idf_weights` should only be set if output_mode is `'tf_idf'`");
    assertThatThrownBy(() -> v.vocabulary(List.of("a")).adapt(List.of("b")))
        .hasMessageContaining("Cannot adapt layer 'text_vectorization' after setting a static"
            + " vocabulary");
    assertThatThrownBy(() -> v.adapt(List.of("a")).maxTokens(10))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("set them first");
    assertThatThrownBy(() -> v.outputMode("count").apply("a"))
        .hasMessageContaining("you must set the layer's vocabulary before calling it");
    assertThatThrownBy(() -> v.outputMode("tf_idf").adapt(List.of("", "!!")))
        .hasMessageContaining("adapt found no token");
    // adapting again replaces the learned vocabulary, as Keras' adapt resets its state
    assertThat(v.adapt(List.of("a")).adapt(List.of("b b c")).getVocabulary())
        .containsExactly("", "[UNK]", "b", "c");
  }
}
