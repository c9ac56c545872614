package io.jeras.savedmodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jeras.initializers.Initializers;
import io.jeras.layers.CallContext;
import io.jeras.layers.Layer;
import io.jeras.layers.LayerOptions;
import io.jeras.layers.WeightSpec;
import io.jeras.layers.preprocessing.Rescaling;
import io.jeras.models.Model;
import io.jeras.savedmodels.keras.KerasImportException;
import io.jeras.savedmodels.keras.KerasModels;
import io.jeras.utils.Shapes;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;

/**
 * A model holding Python code (a Lambda) and a user's own registered layer class
 * ({@code make_fixtures.py}'s {@code custom}): the import names both and says how to go on; with
 * Java implementations registered by class name, as Keras' {@code custom_objects}, it predicts
 * what Keras predicts.
 */
class KerasCustomLayerTest {
  private static final Path FIXTURES = Fixtures.dir("tf2.18");

  /** The Java twin of the fixture's ScaledSum: {@code scale * x * w + sum(x)}. */
  static final class ScaledSum extends Layer<ScaledSum> {
    private final double scale;

    ScaledSum(LayerOptions options, double scale) {
      super(options);
      this.scale = scale;
    }

    @Override
    protected ScaledSum withOptions(LayerOptions options) {
      return new ScaledSum(options, scale);
    }

    @Override
    protected Shape computeOutputShape(Shape input) {
      return input;
    }

    @Override
    public List<WeightSpec> weights(Shape input) {
      return List.of(new WeightSpec("w", Shape.of(Shapes.last(input)), Initializers.ones(), null,
          trainable()));
    }

    @Override
    public Operand<TFloat32> call(CallContext context, Operand<TFloat32> x) {
      var tf = context.tf();
      Operand<TFloat32> scaled = tf.math.mul(tf.math.mul(tf.constant((float) scale), x),
          context.weight("w"));
      return tf.math.add(scaled, tf.reduceSum(x, tf.constant(-1), ReduceSum.keepDims(true)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"custom.keras", "custom.h5"})
  void withoutJavaImplementations_theErrorNamesEachAndSaysHowToGoOn(String file) {
    Path path = FIXTURES.resolve(file);
    assertThatThrownBy(() -> KerasModels.load(path))
        .isInstanceOf(KerasImportException.class)
        .hasMessageContaining("layer class Lambda holds Python code that Jeras cannot run; give"
            + " it a Java implementation with customLayer(\"Lambda\", config -> ...) (layer"
            + " double)")
        .hasMessageContaining("ScaledSum")
        .hasMessageContaining("customLayer(\"ScaledSum\", config -> ...) (layer scaled_sum)")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(1000))
        .satisfies(e -> assertThat(((KerasImportException) e).causes()).hasSize(2));
  }

  @ParameterizedTest
  @ValueSource(strings = {"custom.keras", "custom.h5"})
  void withJavaImplementations_predictsWhatKerasPredicts(String file) {
    try (Model model = KerasModels.loader()
        .customLayer("ScaledSum", config -> new ScaledSum(null, config.number("scale", 1)))
        .customLayer("Lambda", config -> Rescaling.of(2.0))
        .load(FIXTURES.resolve(file))) {
      assertThat(model.layer("scaled_sum")).isInstanceOf(ScaledSum.class);
      SavedModelImportTest.assertClose(model.predict(Fixtures.npy(
          FIXTURES.resolve("custom.x0.npy"))), Fixtures.npy(FIXTURES.resolve("custom.y.npy")),
          1e-5f);
    }
  }
}
