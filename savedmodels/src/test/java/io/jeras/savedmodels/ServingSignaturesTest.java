package io.jeras.savedmodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.ndarray.BooleanNdArray;
import org.tensorflow.ndarray.DoubleNdArray;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.LongNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Every signature shape people serve, against what Python TensorFlow returned for the same
 * inputs (fixtures/serving, made by savedmodels/python/make_serving_fixtures.py): every dtype in
 * and out, rank-0 inputs and outputs, no inputs, a fixed batch, mixed output types, binary
 * strings.
 */
class ServingSignaturesTest {
  static JsonNode expected;
  static JsonNode parsing;
  static LoadedModel model;

  @BeforeAll
  static void load() throws IOException {
    Path dir = Fixtures.dir("serving");
    JsonNode doc = new ObjectMapper().readTree(dir.resolve("signatures.json").toFile());
    expected = doc.get("signatures");
    parsing = doc.get("parsing");
    model = SavedModels.load(dir.resolve("signatures"));
  }

  @AfterAll
  static void close() {
    model.close();
  }

  /** The fixture's inputs for {@code signature} as NdArrays of the Java type of each dtype. */
  static Map<String, Object> inputs(String signature) {
    Map<String, Object> inputs = new LinkedHashMap<>();
    expected.get(signature).get("inputs").fields().forEachRemaining(e ->
        inputs.put(e.getKey(), ndArray(e.getValue())));
    return inputs;
  }

  static Shape shape(JsonNode value) {
    long[] dims = new long[value.get("shape").size()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = value.get("shape").get(i).asLong();
    }
    return Shape.of(dims);
  }

  static NdArray<?> ndArray(JsonNode value) {
    JsonNode values = value.get("values");
    int n = values.size();
    Shape shape = shape(value);
    switch (value.get("dtype").asText()) {
      case "float16", "bfloat16", "float32" -> {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = (float) values.get(i).asDouble();
        }
        return NdArrays.wrap(shape, DataBuffers.of(v, true, false));
      }
      case "float64" -> {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          v[i] = values.get(i).asDouble();
        }
        return NdArrays.wrap(shape, DataBuffers.of(v, true, false));
      }
      case "bool" -> {
        boolean[] v = new boolean[n];
        for (int i = 0; i < n; i++) {
          v[i] = values.get(i).asBoolean();
        }
        return NdArrays.wrap(shape, DataBuffers.of(v, true, false));
      }
      case "string" -> {
        byte[][] v = new byte[n][];
        for (int i = 0; i < n; i++) {
          v[i] = bytes(values.get(i));
        }
        return NdArrays.wrap(shape, DataBuffers.ofObjects(v));
      }
      default -> {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          v[i] = new BigInteger(values.get(i).asText()).longValue();
        }
        return NdArrays.wrap(shape, DataBuffers.of(v, true, false));
      }
    }
  }

  static byte[] bytes(JsonNode value) {
    return value.isObject() ? Base64.getDecoder().decode(value.get("b64").asText())
        : value.asText().getBytes(StandardCharsets.UTF_8);
  }

  /** Checks Jeras' outputs of {@code signature} against Python's, value by value and by type. */
  static void assertOutputs(String signature, Map<String, NdArray<?>> got) {
    assertOutputs(signature, expected.get(signature).get("outputs"), got);
  }

  static void assertOutputs(String signature, JsonNode want, Map<String, NdArray<?>> got) {
    assertThat(got.keySet()).as(signature).containsExactlyInAnyOrderElementsOf(
        () -> want.fieldNames());
    want.fields().forEachRemaining(e -> {
      String key = e.getKey();
      JsonNode values = e.getValue().get("values");
      NdArray<?> array = got.get(key);
      String what = signature + "." + key;
      assertThat(array.shape()).as(what + " shape").isEqualTo(shape(e.getValue()));
      List<Object> flat = new ArrayList<>();
      array.scalars().forEach(s -> flat.add(s.getObject()));
      String dtype = e.getValue().get("dtype").asText();
      for (int i = 0; i < values.size(); i++) {
        JsonNode w = values.get(i);
        Object g = flat.get(i);
        switch (dtype) {
          case "float16", "bfloat16", "float32" -> {
            assertThat(array).as(what).isInstanceOf(FloatNdArray.class);
            assertThat((Float) g).as(what + "[" + i + "]")
                .isCloseTo((float) w.asDouble(), within(1e-6f));
          }
          case "float64" -> {
            assertThat(array).as(what).isInstanceOf(DoubleNdArray.class);
            assertThat((Double) g).as(what + "[" + i + "]").isEqualTo(w.asDouble());
          }
          case "bool" -> {
            assertThat(array).as(what).isInstanceOf(BooleanNdArray.class);
            assertThat((Boolean) g).as(what + "[" + i + "]").isEqualTo(w.asBoolean());
          }
          case "string" -> assertThat((byte[]) g).as(what + "[" + i + "]").isEqualTo(bytes(w));
          case "int64", "uint32", "uint64" -> {
            assertThat(array).as(what).isInstanceOf(LongNdArray.class);
            String read = dtype.equals("int64") ? Long.toString((Long) g)
                : Long.toUnsignedString((Long) g);
            assertThat(read).as(what + "[" + i + "]").isEqualTo(w.asText());
          }
          default -> {
            assertThat(array).as(what).isInstanceOf(IntNdArray.class);
            assertThat((long) (Integer) g).as(what + "[" + i + "]").isEqualTo(w.asLong());
          }
        }
      }
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"every_dtype", "rare_dtypes", "rare_outputs", "scalar", "no_inputs", "initial_state",
      "fixed_batch", "mixed_outputs", "bytes_in"})
  void everySignature_answersAsPythonTensorFlow(String signature) {
    assertOutputs(signature, model.call(signature, inputs(signature)));
  }

  @Test
  void batchable_onlyWhenEveryInputAndOutputHasABatchAxis() {
    assertThat(model.signature("mixed_outputs").batchable()).isTrue();
    assertThat(model.signature("every_dtype").batchable()).isTrue();
    assertThat(model.signature("scalar").batchable()).isFalse();
    assertThat(model.signature("no_inputs").batchable()).isFalse();
    assertThat(model.signature("initial_state").batchable()).isFalse();
    assertThat(model.signature("fixed_batch").batchable()).isFalse();
  }

  /** Split into batches of 2 (5 rows: 2 + 2 + 1) and joined, the outputs are the same. */
  @Test
  void batchedPrediction_joinsTheSameOutputs() {
    assertOutputs("mixed_outputs", model.predict("mixed_outputs", inputs("mixed_outputs"), 2));
    assertOutputs("every_dtype", model.predict("every_dtype", inputs("every_dtype"), 1));
    // a signature that cannot be split runs once, whatever the batch size
    assertOutputs("scalar", model.predict("scalar", inputs("scalar"), 1));
    assertOutputs("fixed_batch", model.predict("fixed_batch", inputs("fixed_batch"), 1));
  }

  /** Plain Java arrays and scalars, converted to the dtypes the signature declares. */
  @Test
  void javaArraysAndScalars_areConvertedToTheSignaturesTypes() {
    Map<String, NdArray<?>> scaled = model.call("scalar", Map.of("factor", 2.5,
        "x", new double[][] {{1, 2, 3}, {-1, 0, 4}}));
    assertOutputs("scalar", scaled);
    Map<String, NdArray<?>> state = model.call("initial_state", Map.of("batch_size", 3L));
    assertOutputs("initial_state", state);
    Map<String, NdArray<?>> lengths = model.call("bytes_in", Map.of("data",
        new Object[] {new byte[] {0, (byte) 0xff, 0x10}, "ok", new byte[] {(byte) 0xc3, 0x28,
            'z', 'z'}}));
    assertOutputs("bytes_in", lengths);
    Map<String, Object> every = inputs("every_dtype");
    every.put("uint8", new byte[][] {{(byte) 200, 3}, {0, (byte) 255}, {17, 18}});
    every.put("bool", new boolean[][] {{true, false}, {false, false}, {true, true}});
    IntNdArray uint8 = (IntNdArray) model.call("every_dtype", every).get("uint8");
    assertThat(uint8.getInt(0, 0)).isEqualTo((200 * 2 + 1) % 256);
    assertThat(uint8.getInt(1, 1)).isEqualTo((255 * 2 + 1) % 256);
  }

  @Test
  void badInputs_failNamingTheInputWhatItWantsAndWhatCame() {
    Map<String, Object> rare = inputs("rare_dtypes");
    rare.put("int8", new int[][] {{1, 128}, {0, 0}});
    assertThatThrownBy(() -> model.call("rare_dtypes", rare))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Input \"int8\" of signature rare_dtypes expects int8 values"
            + " (-128 to 127), got 128");
    assertThatThrownBy(() -> model.call("fixed_batch", Map.of("x", new float[3][2])))
        .hasMessageContaining("Input \"x\" of signature fixed_batch expects shape (4, 2)")
        .hasMessageContaining("got (3, 2)");
    assertThatThrownBy(() -> model.call("initial_state", Map.of("batch_size", 2.5)))
        .hasMessageContaining("expects int32 values, got floating-point numbers");
    Map<String, Object> every = inputs("every_dtype");
    every.put("uint8", new int[][] {{256, 0}, {0, 0}, {0, 0}});
    assertThatThrownBy(() -> model.call("every_dtype", every))
        .hasMessageContaining("Input \"uint8\" of signature every_dtype expects uint8 values"
            + " (0 to 255), got 256");
    assertThatThrownBy(() -> model.call("bytes_in", Map.of("data", new int[] {1, 2})))
        .hasMessageContaining("expects string values, got Integer");
    assertThatThrownBy(() -> model.call("scalar", Map.of("factor", 1f)))
        .hasMessageContaining("needs input \"x\"");
    assertThatThrownBy(() -> model.call("scalar", Map.of("factor", 1f, "x",
        new float[][] {{1, 2, 3}, {4, 5}})))
        .hasMessageContaining("ragged");
  }

  /**
   * A TFX-style parsing model (tf.io.parse_example, a vocabulary asset behind a lookup table, a
   * hashed feature) called with examples built in Java: Python's outputs.
   */
  @Test
  void tfExamples_builtInJava_parseAsInPython() {
    List<byte[]> built = new ArrayList<>();
    List<byte[]> fromMaps = new ArrayList<>();
    for (JsonNode features : parsing.get("examples")) {
      TfExample.Builder builder = TfExample.builder();
      Map<String, Object> map = new LinkedHashMap<>();
      features.fields().forEachRemaining(e -> {
        String kind = e.getValue().fieldNames().next();
        JsonNode values = e.getValue().get(kind);
        int n = values.size();
        switch (kind) {
          case "float" -> {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
              v[i] = (float) values.get(i).asDouble();
            }
            builder.floats(e.getKey(), v);
            map.put(e.getKey(), v);
          }
          case "int64" -> {
            long[] v = new long[n];
            for (int i = 0; i < n; i++) {
              v[i] = values.get(i).asLong();
            }
            builder.int64s(e.getKey(), v);
            if (n > 0) {
              map.put(e.getKey(), v);
            }
          }
          default -> {
            String[] v = new String[n];
            for (int i = 0; i < n; i++) {
              v[i] = values.get(i).asText();
            }
            builder.strings(e.getKey(), v);
            map.put(e.getKey(), v.length == 1 ? v[0] : List.of(v));
          }
        }
      });
      built.add(builder.toByteArray());
      fromMaps.add(TfExample.of(map));
    }
    try (LoadedModel parser = SavedModels.load(Fixtures.dir("serving").resolve("parsing"))) {
      assertThat(parser.signature("serving_default").inputs().get("examples").dtype().name())
          .isEqualTo("DT_STRING");
      assertOutputs("parsing", parsing.get("outputs"), parser.predict("serving_default",
          Map.of("examples", built.toArray(new byte[0][])), 2));
      // an empty int64 list left out is parsed the same (a VarLenFeature with no values)
      assertOutputs("parsing", parsing.get("outputs"), parser.call("serving_default",
          Map.of("examples", fromMaps.toArray(new byte[0][]))));
    }
    assertThatThrownBy(() -> TfExample.builder().floats("a", 1f).int64s("a", 2))
        .hasMessage("Feature \"a\" is given twice");
    assertThatThrownBy(() -> TfExample.of(Map.of("mixed", List.of(1, "x"))))
        .hasMessageContaining("Feature \"mixed\" must hold floats, whole numbers or"
            + " strings/bytes of one kind, got [Integer, String]");
    assertThatThrownBy(() -> TfExample.of(Map.of("none", List.of())))
        .hasMessageContaining("Feature \"none\" is empty");
  }

  /**
   * The int8/int16/uint32/uint64 inputs go through TensorFlow's C API, where float16 and
   * bfloat16 are converted in Java: float16 as TensorFlow Java's own tensors hold it, bfloat16
   * rounded to nearest as TensorFlow rounds (TensorFlow Java's TBfloat16 truncates; Jeras feeds
   * rounded bits on both paths).
   */
  @Test
  void halfAndBfloat16Conversions_matchTensorFlowJava() {
    java.util.Random random = new java.util.Random(4);
    float[] values = new float[2000];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(12) - 6));
    }
    values[0] = 65504f;
    values[1] = 70000f;
    values[2] = 6e-8f;
    values[3] = -0f;
    values[4] = Float.POSITIVE_INFINITY;
    try (org.tensorflow.types.TFloat16 half = org.tensorflow.types.TFloat16.tensorOf(
        Shape.of(values.length), t -> t.copyFrom(DataBuffers.of(values, true, false)));
        org.tensorflow.types.TBfloat16 bf = (org.tensorflow.types.TBfloat16) new HostArray(
            org.tensorflow.proto.DataType.DT_BFLOAT16, Shape.of(values.length), values)
            .toTensor()) {
      for (int i = 0; i < values.length; i++) {
        short want = half.asRawTensor().data().asShorts().getShort(i);
        assertThat(RawRun.toHalf(values[i])).as("half of %s", values[i]).isEqualTo(want);
        assertThat(RawRun.fromHalf(want)).as("half back of %s", values[i])
            .isEqualTo(half.getFloat(i));
        // TensorFlow (C++, and Python's tf.cast) rounds to the nearest bfloat16, ties to even
        int bits = Float.floatToIntBits(values[i]);
        int down = bits >>> 16;
        double below = Float.intBitsToFloat(down << 16);
        double above = Float.intBitsToFloat((down + 1) << 16);
        double v = values[i];
        boolean up = Float.isFinite(values[i]) && (Math.abs(above - v) < Math.abs(v - below)
            || Math.abs(above - v) == Math.abs(v - below) && (down & 1) == 1);
        assertThat(RawRun.toBfloat16(values[i])).as("bfloat16 of %s", values[i])
            .isEqualTo((short) (up ? down + 1 : down));
        assertThat(bf.asRawTensor().data().asShorts().getShort(i)).as("fed bfloat16 of %s",
            values[i]).isEqualTo((short) (up ? down + 1 : down));
      }
    }
  }
}
