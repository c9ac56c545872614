package io.jeras.optimizers.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jeras.callbacks.LambdaCallback;
import io.jeras.callbacks.ReduceLROnPlateau;
import io.jeras.data.Data;
import io.jeras.layers.core.Dense;
import io.jeras.losses.Loss;
import io.jeras.models.Sequential;
import io.jeras.optimizers.Adam;
import io.jeras.optimizers.SGD;
import io.jeras.trainers.Fit;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The learning-rate schedules against the rates Keras 3 computes ({@code
 * schedule-references.json}, made by {@code savedmodels/python/make_schedule_references.py}),
 * and a model trained with a scheduled rate against the weights Keras reached.
 */
class LearningRateScheduleTest {
  private static JsonNode cases;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = LearningRateScheduleTest.class.getResourceAsStream(
        "/io/jeras/optimizers/schedule-references.json")) {
      cases = new ObjectMapper().readTree(in).get("cases");
    }
  }

  /** The schedule a reference case describes, built with Jeras' builders. */
  private static LearningRateSchedule schedule(String kind, JsonNode args) {
    return switch (kind) {
      case "ExponentialDecay" -> ExponentialDecay.of(args.get("initial_learning_rate").asDouble(),
          args.get("decay_steps").asLong(), args.get("decay_rate").asDouble())
          .staircase(args.path("staircase").asBoolean(false));
      case "PiecewiseConstantDecay" -> PiecewiseConstantDecay.of(
          longs(args.get("boundaries")), doubles(args.get("values")));
      case "CosineDecay" -> {
        CosineDecay cosine = CosineDecay.of(args.get("initial_learning_rate").asDouble(),
            args.get("decay_steps").asLong()).alpha(args.path("alpha").asDouble(0));
        yield args.has("warmup_target") ? cosine.warmup(args.get("warmup_target").asDouble(),
            args.get("warmup_steps").asLong()) : cosine;
      }
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private static long[] longs(JsonNode node) {
    long[] values = new long[node.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = node.get(i).asLong();
    }
    return values;
  }

  private static double[] doubles(JsonNode node) {
    double[] values = new double[node.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = node.get(i).asDouble();
    }
    return values;
  }

  private static float[] floats(JsonNode node) {
    float[] values = new float[node.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) node.get(i).asDouble();
    }
    return values;
  }

  /** The schedule's rate at each step, computed by TensorFlow. */
  private static float[] rates(LearningRateSchedule schedule, long[] steps) {
    float[] rates = new float[steps.length];
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> step = tf.placeholder(TFloat32.class);
      Operand<TFloat32> rate = schedule.call(tf, step);
      for (int i = 0; i < steps.length; i++) {
        try (TFloat32 value = TFloat32.scalarOf(steps[i]);
            Result result = session.runner().feed(step, value).fetch(rate).run()) {
          rates[i] = ((TFloat32) result.get(0)).getFloat();
        }
      }
    }
    return rates;
  }

  @ParameterizedTest
  @ValueSource(strings = {"exponential", "exponential_staircase", "piecewise", "cosine",
      "cosine_alpha", "cosine_warmup", "cosine_warmup_alpha"})
  void rates_matchKeras(String name) {
    JsonNode c = cases.get(name);
    long[] steps = longs(c.get("steps"));
    float[] got = rates(schedule(c.get("kind").asText(), c.get("args")), steps);
    float[] want = floats(c.get("rates"));
    for (int i = 0; i < steps.length; i++) {
      assertThat(got[i]).as("%s at step %s", name, steps[i]).isCloseTo(want[i], within(1e-6f));
    }
  }

  @Test
  void trainingWithAScheduledRate_reachesKerasWeights() {
    // Dense(2), mean squared error, SGD momentum 0.9, CosineDecay(0, 4) warming up to 0.2 over
    // 2 steps; one step per epoch: the rate is the schedule at the iteration count before the
    // step, and learningRate() is the next step's rate, as Keras' optimizer.learning_rate
    JsonNode c = cases.get("training");
    JsonNode s = c.get("schedule");
    LearningRateSchedule schedule = CosineDecay.of(s.get("initial_learning_rate").asDouble(),
        s.get("decay_steps").asLong()).warmup(s.get("warmup_target").asDouble(),
        s.get("warmup_steps").asLong());
    List<float[]> kernels = new ArrayList<>();
    List<float[]> biases = new ArrayList<>();
    List<Double> rates = new ArrayList<>();
    try (Sequential model = Sequential.of(Dense.of(2).inputShape(4))) {
      model.compile(SGD.defaults().learningRate(schedule).momentum(0.9),
          Loss.MEAN_SQUARED_ERROR);
      model.setWeights(List.of(Data.floats(floats(c.get("kernel")), 4, 2),
          Data.floats(floats(c.get("bias")), 2)));
      assertThat(model.learningRate()).isEqualTo(0.0);
      model.fit(Data.floats(floats(c.get("x")), 4, 4), Data.floats(floats(c.get("y")), 4, 2),
          Fit.epochs(6).batchSize(4).shuffle(false).verbose(0).callbacks(
              LambdaCallback.create().onEpochEnd((epoch, logs) -> {
                kernels.add(Data.toFloatArray(model.getWeights().get(0)));
                biases.add(Data.toFloatArray(model.getWeights().get(1)));
                rates.add(model.learningRate());
              })));
      assertThat(model.iterations()).isEqualTo(6);
    }
    JsonNode after = c.get("after_each_step");
    for (int step = 0; step < 6; step++) {
      JsonNode keras = after.get(step);
      assertThat(rates.get(step)).as("rate after step %s", step + 1)
          .isCloseTo(keras.get("learning_rate").asDouble(), within(1e-6));
      float[] kernel = floats(keras.get("kernel"));
      for (int i = 0; i < kernel.length; i++) {
        assertThat(kernels.get(step)[i]).as("kernel[%s] after step %s", i, step + 1)
            .isCloseTo(kernel[i], within(1e-5f));
      }
      float[] bias = floats(keras.get("bias"));
      for (int i = 0; i < bias.length; i++) {
        assertThat(biases.get(step)[i]).as("bias[%s] after step %s", i, step + 1)
            .isCloseTo(bias[i], within(1e-5f));
      }
    }
  }

  @Test
  void aScheduledRate_cannotBeSet_asInKeras() {
    try (Sequential model = Sequential.of(Dense.of(1).inputShape(2))) {
      model.compile(Adam.defaults().learningRate(ExponentialDecay.of(0.01, 10, 0.9)),
          Loss.MEAN_SQUARED_ERROR);
      assertThat(model.learningRate()).isCloseTo(0.01, within(1e-9));
      assertThatThrownBy(() -> model.setLearningRate(0.1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("hence its learning rate is not settable");
      // ReduceLROnPlateau sets the rate when the loss stalls: with a schedule that fails
      float[] zeros = new float[8];
      assertThatThrownBy(() -> model.fit(Data.floats(zeros, 4, 2), Data.floats(new float[4], 4,
          1), Fit.epochs(3).verbose(0).callbacks(ReduceLROnPlateau.on("loss").patience(0)
          .minDelta(1)))).hasMessageContaining("not settable");
    }
  }

  @Test
  void badArguments_failAsInKeras() {
    assertThatThrownBy(() -> PiecewiseConstantDecay.of(new long[] {10}, new double[] {1}))
        .hasMessageContaining("The length of boundaries should be 1 less than the length of"
            + " values");
    assertThatThrownBy(() -> CosineDecay.of(0.1, 0))
        .hasMessageContaining("Argument `decay_steps` must be > 0. Received: decay_steps=0");
    assertThatThrownBy(() -> ExponentialDecay.of(0.1, -1, 0.5))
        .hasMessageContaining("decay_steps");
    assertThatThrownBy(() -> SGD.defaults().learningRate((LearningRateSchedule) null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("schedule");
  }
}
