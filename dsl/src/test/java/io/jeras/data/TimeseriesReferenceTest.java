package io.jeras.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jeras.KerasReferences;
import io.jeras.Jeras;
import io.jeras.callbacks.History;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Input;
import io.jeras.layers.reshaping.Flatten;
import io.jeras.losses.Loss;
import io.jeras.models.Sequential;
import io.jeras.optimizers.SGD;
import io.jeras.trainers.Fit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;

/**
 * {@link Datasets#timeseriesFromArray} against Keras 3's {@code timeseries_dataset_from_array}
 * ({@code text/text-references.json}, made by {@code
 * savedmodels/python/make_text_references.py}): every batch's windows and targets, exactly;
 * shuffled, the same windows, first in the order NumPy's {@code RandomState(seed)} shuffles
 * their starts; and {@link Shuffling#numpyPermutation} against NumPy itself.
 */
class TimeseriesReferenceTest {
  private static JsonNode references;

  @BeforeAll
  static void load() {
    references = KerasReferences.read(TimeseriesReferenceTest.class, "text/text-references.json");
  }

  static Stream<String> unshuffled() {
    load();
    List<String> names = new ArrayList<>();
    references.get("timeseries").fields().forEachRemaining(e -> {
      if (e.getValue().has("batches")) {
        names.add(e.getKey());
      }
    });
    return names.stream();
  }

  /** Keras' arguments as options. */
  static TimeseriesOptions options(JsonNode args) {
    TimeseriesOptions options = TimeseriesOptions.sequenceLength(
        args.get("sequence_length").asInt());
    if (args.has("sequence_stride")) {
      options = options.sequenceStride(args.get("sequence_stride").asInt());
    }
    if (args.has("sampling_rate")) {
      options = options.samplingRate(args.get("sampling_rate").asInt());
    }
    if (args.has("batch_size")) {
      options = options.batchSize(args.get("batch_size").asInt());
    }
    if (args.has("start_index")) {
      options = options.startIndex(args.get("start_index").asInt());
    }
    if (args.has("end_index")) {
      options = options.endIndex(args.get("end_index").asInt());
    }
    if (args.has("seed")) {
      options = options.seed(args.get("seed").asLong());
    }
    return options.shuffle(args.path("shuffle").asBoolean(false));
  }

  private static Dataset dataset(JsonNode reference) {
    FloatNdArray targets = reference.has("target_values")
        ? KerasReferences.array(reference.get("target_values")) : null;
    return Datasets.timeseriesFromArray(KerasReferences.array(reference.get("data")), targets,
        options(reference.get("args")));
  }

  static List<DataBatch> onePass(Dataset data, int pass) {
    List<DataBatch> batches = new ArrayList<>();
    try (Dataset.Pass p = data.pass(pass)) {
      p.forEachRemaining(batches::add);
    }
    return batches;
  }

  private static void assertSameArray(NdArray<?> actual, JsonNode expected, String what) {
    FloatNdArray reference = KerasReferences.array(expected);
    assertThat(actual.shape()).as(what + " shape").isEqualTo(reference.shape());
    assertThat(Data.toFloatArray((FloatNdArray) actual)).as(what)
        .containsExactly(Data.toFloatArray(reference));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unshuffled")
  void windowsAndTargets_areKeras(String name) {
    JsonNode reference = references.get("timeseries").get(name);
    Dataset data = dataset(reference);
    JsonNode batches = reference.get("batches");
    assertThat(data.cardinality()).isEqualTo(batches.size());
    for (int pass = 0; pass < 2; pass++) {
      List<DataBatch> got = onePass(data, pass);
      assertThat(got).hasSize(batches.size());
      for (int b = 0; b < got.size(); b++) {
        assertSameArray(got.get(b).x().get(""), batches.get(b).get("x"), "batch " + b + " x");
        if (batches.get(b).get("y").isNull()) {
          assertThat(got.get(b).y()).isEmpty();
        } else {
          assertSameArray(got.get(b).y().get(""), batches.get(b).get("y"),
              "batch " + b + " y");
        }
      }
    }
  }

  /** Each window's values, flattened. */
  private static List<float[]> windows(List<DataBatch> batches) {
    List<float[]> windows = new ArrayList<>();
    for (DataBatch batch : batches) {
      float[] x = Data.toFloatArray((FloatNdArray) batch.x().get(""));
      int size = x.length / batch.size();
      for (int i = 0; i < batch.size(); i++) {
        windows.add(Arrays.copyOfRange(x, i * size, (i + 1) * size));
      }
    }
    return windows;
  }

  @Test
  void shuffled_sameWindowsAsKeras_inNumpysOrderFirst_thenReshuffledPerPass() {
    JsonNode reference = references.get("timeseries").get("shuffled");
    int features = reference.get("features").asInt();
    Dataset data = dataset(reference);

    List<float[]> first = windows(onePass(data, 0));
    List<float[]> sorted = new ArrayList<>(first);
    sorted.sort(Arrays::compare);
    JsonNode windowSet = reference.get("window_set");
    assertThat(sorted).hasSize(windowSet.size());
    for (int i = 0; i < sorted.size(); i++) {
      float[] expected = new float[windowSet.get(i).size()];
      for (int k = 0; k < expected.length; k++) {
        expected[k] = (float) windowSet.get(i).get(k).asDouble();
      }
      assertThat(sorted.get(i)).as("window %s", i).containsExactly(expected);
    }
    // before tf.data's buffered shuffle, Keras draws the window starts in NumPy's order
    JsonNode positions = reference.get("numpy_positions");
    for (int i = 0; i < first.size(); i++) {
      assertThat(first.get(i)[0] / features).as("start of window %s", i)
          .isEqualTo(positions.get(i).asInt());
    }
    // targets stay with their windows
    for (DataBatch batch : onePass(data, 0)) {
      float[] x = Data.toFloatArray((FloatNdArray) batch.x().get(""));
      float[] y = Data.toFloatArray((FloatNdArray) batch.y().get(""));
      for (int i = 0; i < batch.size(); i++) {
        assertThat(y[i]).isEqualTo(x[i * x.length / batch.size()] / features * 10);
      }
    }

    // deterministic for a seed; each later pass another permutation of the same windows
    List<float[]> again = windows(onePass(dataset(reference), 0));
    assertThat(again).usingElementComparator(Arrays::compare).containsExactlyElementsOf(first);
    List<float[]> second = windows(onePass(data, 1));
    assertThat(second).usingElementComparator(Arrays::compare)
        .containsExactlyInAnyOrderElementsOf(first)
        .isNotEqualTo(first);
    assertThat(windows(onePass(dataset(reference), 1))).usingElementComparator(Arrays::compare)
        .containsExactlyElementsOf(second);
  }

  @Test
  void numpyPermutation_isNumpysRandomStateShuffle() {
    for (JsonNode shuffle : references.get("shuffles")) {
      int n = shuffle.get("n").asInt();
      int[] expected = new int[n];
      for (int i = 0; i < n; i++) {
        expected[i] = shuffle.get("order").get(i).asInt();
      }
      assertThat(Shuffling.numpyPermutation(n, shuffle.get("seed").asLong()))
          .as("seed %s, n %s", shuffle.get("seed"), n).containsExactly(expected);
    }
    assertThatThrownBy(() -> Shuffling.numpyPermutation(3, -1))
        .hasMessageContaining("between 0 and 2**32 - 1").hasMessageContaining("got -1");
    assertThatThrownBy(() -> Shuffling.numpyPermutation(3, 1L << 32))
        .hasMessageContaining("got 4294967296");
  }

  @Test
  void optionsThatDoNotFit_failWithKerasMessages() {
    FloatNdArray data = Data.floats(new float[20], 20);
    TimeseriesOptions five = TimeseriesOptions.sequenceLength(5);
    assertThatThrownBy(() -> Datasets.timeseriesFromArray(data, null, five.startIndex(20)))
        .hasMessage("`start_index` must be lower than the length of the data. Received:"
            + " start_index=20, for data of length 20");
    assertThatThrownBy(() -> Datasets.timeseriesFromArray(data, null, five.endIndex(20)))
        .hasMessage("`end_index` must be lower than the length of the data. Received:"
            + " end_index=20, for data of length 20");
    assertThatThrownBy(() -> five.startIndex(8).endIndex(8))
        .hasMessageContaining("`end_index` must be higher than `start_index`");
    assertThatThrownBy(() -> Datasets.timeseriesFromArray(data, null, five.samplingRate(20)))
        .hasMessageContaining("`sampling_rate` must be lower than the length of the data");
    assertThatThrownBy(() -> Datasets.timeseriesFromArray(data, null, five.sequenceStride(25)))
        .hasMessageContaining("`sequence_stride` must be lower than the length of the data");
    assertThatThrownBy(() -> five.samplingRate(0))
        .hasMessageContaining("`sampling_rate` must be higher than 0. Received: sampling_rate=0");
    assertThatThrownBy(() -> five.seed(-3)).hasMessageContaining("between 0 and 2**32 - 1")
        .hasMessageContaining("got -3");
    assertThatThrownBy(() -> Datasets.timeseriesFromArray(data, null,
        TimeseriesOptions.sequenceLength(8).samplingRate(3)))
        .hasMessage("no window fits: a window of sequence_length=8 and sampling_rate=3 spans 22"
            + " steps, but steps [0, 20) of the data hold 20");
    // Keras counts the targets from step 0 but reads them from start_index on
    assertThatThrownBy(() -> Datasets.timeseriesFromArray(data, Data.floats(new float[6], 6),
        five.startIndex(3)))
        .hasMessage("targets hold 6 steps, but the window that starts at step 8 needs target 8"
            + " (start_index=3)");
  }

  @Test
  void fitsAModelOnWindows() {
    Jeras.setRandomSeed(3);
    int n = 200;
    float[] series = new float[n];
    for (int i = 0; i < n; i++) {
      series[i] = (float) Math.sin(i * 0.3);
    }
    // the next value from the last 8: targets[i] is the step after the window starting at i
    FloatNdArray x = Data.floats(Arrays.copyOfRange(series, 0, n - 8), n - 8, 1);
    FloatNdArray y = Data.floats(Arrays.copyOfRange(series, 8, n), n - 8);
    Dataset windows = Datasets.timeseriesFromArray(x, y,
        TimeseriesOptions.sequenceLength(8).batchSize(16).shuffle(true).seed(4));
    try (Sequential model = Sequential.of(Input.of(8, 1), Flatten.of(), Dense.of(1))) {
      model.compile(SGD.defaults().learningRate(0.05), Loss.MEAN_SQUARED_ERROR);
      History history = model.fit(windows, Fit.epochs(15).verbose(0));
      List<Double> losses = history.get("loss");
      assertThat(losses.get(losses.size() - 1)).isLessThan(losses.get(0) / 5);
    }
    assertThat(windows.cardinality()).isEqualTo((n - 8 - 7 + 15) / 16);
  }
}
