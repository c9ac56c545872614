package io.jeras.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.jeras.KerasReferences;
import io.jeras.bridge.HostValue;
import io.jeras.data.Data;
import io.jeras.layers.core.Dense;
import io.jeras.losses.Loss;
import io.jeras.losses.Prediction;
import io.jeras.models.Sequential;
import io.jeras.trainers.Fit;
import io.jeras.trainers.ModelGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Every optimizer against Keras 3 ({@code optimizer-references.json}, made by
 * {@code savedmodels/python/make_optimizer_references.py}): three steps of
 * {@code apply_gradients} with fixed gradients on a 2x3 weight; the weight after each step and
 * the optimizer's variables after the last, to 1e-6 relative.
 *
 * <p>Jeras takes the steps through its real training path: {@code fit} on a {@code Dense(3)}
 * without bias whose inputs are the 2x2 identity, under a loss linear in the prediction
 * ({@code sum(y * prediction)} per sample, averaged over the 2 samples), so the kernel's
 * gradient is {@code y / 2}: feeding {@code y = 2 g} makes it exactly Keras' gradient {@code g}.
 */
class OptimizerReferenceTest {
  private static JsonNode references;

  /** {@code sum(y * prediction)} over the last axis: its gradient is {@code y}. */
  private static final Loss LINEAR = new Loss() {
    @Override
    public String name() {
      return "linear";
    }

    @Override
    public Operand<TFloat32> call(Ops tf, Operand<TFloat32> yTrue, Prediction yPred) {
      return tf.reduceSum(tf.math.mul(yTrue, yPred.values()), tf.constant(-1));
    }
  };

  @BeforeAll
  static void load() {
    references = KerasReferences.read(OptimizerReferenceTest.class, "optimizer-references.json");
  }

  static Stream<String> cases() {
    load();
    List<String> names = new ArrayList<>();
    references.get("cases").fieldNames().forEachRemaining(names::add);
    return names.stream();
  }

  private static float[] floats(JsonNode array) {
    JsonNode values = array.get("values");
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) values.get(i).asDouble();
    }
    return out;
  }

  private static double arg(JsonNode args, String name, double orElse) {
    return args.has(name) ? args.get(name).asDouble() : orElse;
  }

  /** The Jeras optimizer for Keras' class and constructor arguments. */
  static Optimizer optimizerFor(String kind, JsonNode args) {
    Optimizer optimizer = switch (kind) {
      case "SGD" -> SGD.defaults()
          .momentum(arg(args, "momentum", SGD.DEFAULT_MOMENTUM))
          .nesterov(args.path("nesterov").asBoolean(false));
      case "RMSprop" -> RMSprop.defaults()
          .rho(arg(args, "rho", RMSprop.DEFAULT_RHO))
          .momentum(arg(args, "momentum", RMSprop.DEFAULT_MOMENTUM))
          .epsilon(arg(args, "epsilon", RMSprop.DEFAULT_EPSILON))
          .centered(args.path("centered").asBoolean(false));
      case "Adam" -> Adam.defaults()
          .beta1(arg(args, "beta_1", Adam.DEFAULT_BETA_1))
          .beta2(arg(args, "beta_2", Adam.DEFAULT_BETA_2))
          .epsilon(arg(args, "epsilon", Adam.DEFAULT_EPSILON))
          .amsgrad(args.path("amsgrad").asBoolean(false));
      case "AdamW" -> AdamW.defaults()
          .beta1(arg(args, "beta_1", AdamW.DEFAULT_BETA_1))
          .beta2(arg(args, "beta_2", AdamW.DEFAULT_BETA_2))
          .epsilon(arg(args, "epsilon", AdamW.DEFAULT_EPSILON))
          .amsgrad(args.path("amsgrad").asBoolean(false));
      case "Nadam" -> Nadam.defaults()
          .beta1(arg(args, "beta_1", Nadam.DEFAULT_BETA_1))
          .beta2(arg(args, "beta_2", Nadam.DEFAULT_BETA_2))
          .epsilon(arg(args, "epsilon", Nadam.DEFAULT_EPSILON));
      case "Adamax" -> Adamax.defaults()
          .beta1(arg(args, "beta_1", Adamax.DEFAULT_BETA_1))
          .beta2(arg(args, "beta_2", Adamax.DEFAULT_BETA_2))
          .epsilon(arg(args, "epsilon", Adamax.DEFAULT_EPSILON));
      case "Adagrad" -> Adagrad.defaults()
          .initialAccumulatorValue(arg(args, "initial_accumulator_value",
              Adagrad.DEFAULT_INITIAL_ACCUMULATOR_VALUE))
          .epsilon(arg(args, "epsilon", Adagrad.DEFAULT_EPSILON));
      case "Adadelta" -> Adadelta.defaults()
          .rho(arg(args, "rho", Adadelta.DEFAULT_RHO))
          .epsilon(arg(args, "epsilon", Adadelta.DEFAULT_EPSILON));
      case "Lion" -> Lion.defaults()
          .beta1(arg(args, "beta_1", Lion.DEFAULT_BETA_1))
          .beta2(arg(args, "beta_2", Lion.DEFAULT_BETA_2));
      case "Ftrl" -> Ftrl.defaults()
          .learningRatePower(arg(args, "learning_rate_power",
              Ftrl.DEFAULT_LEARNING_RATE_POWER))
          .initialAccumulatorValue(arg(args, "initial_accumulator_value",
              Ftrl.DEFAULT_INITIAL_ACCUMULATOR_VALUE))
          .l1RegularizationStrength(arg(args, "l1_regularization_strength", 0))
          .l2RegularizationStrength(arg(args, "l2_regularization_strength", 0))
          .l2ShrinkageRegularizationStrength(
              arg(args, "l2_shrinkage_regularization_strength", 0))
          .beta(arg(args, "beta", 0));
      default -> throw new IllegalArgumentException(kind);
    };
    if (args.has("learning_rate")) {
      optimizer = optimizer.learningRate(args.get("learning_rate").asDouble());
    }
    if (args.has("weight_decay")) {
      optimizer = optimizer.weightDecay(args.get("weight_decay").asDouble());
    }
    if (args.has("clipnorm")) {
      optimizer = optimizer.clipnorm(args.get("clipnorm").asDouble());
    }
    if (args.has("clipvalue")) {
      optimizer = optimizer.clipvalue(args.get("clipvalue").asDouble());
    }
    if (args.has("global_clipnorm")) {
      optimizer = optimizer.globalClipnorm(args.get("global_clipnorm").asDouble());
    }
    if (args.path("use_ema").asBoolean(false)) {
      optimizer = optimizer.useEma(true)
          .emaMomentum(arg(args, "ema_momentum", Optimizer.DEFAULT_EMA_MOMENTUM));
    }
    if (args.has("ema_overwrite_frequency")) {
      optimizer = optimizer.emaOverwriteFrequency(args.get("ema_overwrite_frequency").asInt());
    }
    if (args.has("gradient_accumulation_steps")) {
      optimizer = optimizer.gradientAccumulationSteps(
          args.get("gradient_accumulation_steps").asInt());
    }
    return optimizer;
  }

  private static void assertClose(String what, float[] actual, float[] expected) {
    assertThat(actual).as(what).hasSameSizeAs(expected);
    double scale = 0;
    for (float e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    for (int i = 0; i < expected.length; i++) {
      double tolerance = 1e-6 * Math.max(Math.abs(expected[i]), 1e-2 * scale);
      assertThat((double) actual[i]).as("%s[%s]", what, i)
          .isCloseTo(expected[i], within(tolerance));
    }
  }

  /** {@code batches} copies of the 2x2 identity. */
  private static FloatNdArray inputs(int batches) {
    float[] x = new float[4 * batches];
    for (int b = 0; b < batches; b++) {
      x[4 * b] = 1;
      x[4 * b + 3] = 1;
    }
    return Data.floats(x, 2 * batches, 2);
  }

  /** Labels {@code 2 g} for gradients {@code from} to {@code to}: the kernel's gradient is g. */
  private static FloatNdArray labels(JsonNode gradients, int from, int to) {
    float[] y = new float[6 * (to - from)];
    for (int step = from; step < to; step++) {
      float[] g = floats(gradients.get(step));
      for (int i = 0; i < g.length; i++) {
        y[6 * (step - from) + i] = 2 * g[i];
      }
    }
    return Data.floats(y, 2 * (to - from), 3);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesKeras(String name) {
    JsonNode reference = references.get("cases").get(name);
    Optimizer optimizer = optimizerFor(reference.get("optimizer").asText(),
        reference.get("args"));
    JsonNode excluded = reference.path("calls").path("exclude_from_weight_decay");
    if (!excluded.isMissingNode()) {
      List<String> names = new ArrayList<>();
      excluded.forEach(n -> names.add(n.asText()));
      optimizer = optimizer.excludeFromWeightDecay(names.toArray(String[]::new));
    }
    boolean bias = reference.has("bias_steps");
    boolean finalize = reference.has("finalized");
    JsonNode gradients = references.get("gradients");
    try (Sequential model = Sequential.of(Dense.of(3).useBias(bias).inputShape(2))) {
      model.compile(optimizer, LINEAR);
      List<FloatNdArray> initial = new ArrayList<>(
          List.of(Data.floats(floats(references.get("weight")), 2, 3)));
      if (bias) {
        initial.add(Data.floats(floats(references.get("bias")), 3));
      }
      model.setWeights(initial);
      if (finalize) {
        // one fit over the three batches: Keras writes the averages into the weights at its end
        model.fit(inputs(gradients.size()), labels(gradients, 0, gradients.size()),
            Fit.epochs(1).batchSize(2).shuffle(false).verbose(0));
        assertClose("weight at the end of fit", Data.toFloatArray(model.getWeights().get(0)),
            floats(reference.get("finalized")));
        if (bias) {
          assertClose("bias at the end of fit", Data.toFloatArray(model.getWeights().get(1)),
              floats(reference.get("bias_finalized")));
        }
      }
      for (int step = 0; step < gradients.size() && !finalize; step++) {
        model.fit(inputs(1), labels(gradients, step, step + 1),
            Fit.epochs(1).batchSize(2).shuffle(false).verbose(0));
        assertClose("weight after step " + (step + 1),
            Data.toFloatArray(model.getWeights().get(0)),
            floats(reference.get("steps").get(step)));
        if (bias) {
          assertClose("bias after step " + (step + 1),
              Data.toFloatArray(model.getWeights().get(1)),
              floats(reference.get("bias_steps").get(step)));
        }
      }
      ModelGraph graph = model.graph();
      String scope = optimizer.name();
      List<String> expectedNames = new ArrayList<>(List.of(scope + "/iteration"));
      if (graph.learningRateName() != null) {
        expectedNames.add(graph.learningRateName());
      }
      Map<String, HostValue> state = graph.read(graph.optimizerVariableNames());
      for (int w = 0; w < (bias ? 2 : 1); w++) {
        String weight = graph.weightNames().get(w).replace('/', '_');
        reference.get(w == 0 ? "state" : "bias_state").fields().forEachRemaining(slot -> {
          String variable = slot.getKey().equals("u_product") ? scope + "/u_product"
              : scope + "/" + weight + "_" + slot.getKey();
          expectedNames.add(variable);
          assertThat(state).as("optimizer variables").containsKey(variable);
          assertClose(variable, state.get(variable).floats(), floats(slot.getValue()));
        });
      }
      assertThat(graph.optimizerVariableNames()).as("the same variables as Keras")
          .containsExactlyInAnyOrderElementsOf(expectedNames);
      assertThat(state.get(scope + "/iteration").longs()[0])
          .isEqualTo(reference.get("iterations").asLong());
    }
  }
}
