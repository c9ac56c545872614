package io.jeras.models;

import static io.jeras.activations.Activations.RELU;
import static io.jeras.activations.Activations.SOFTMAX;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import io.jeras.layers.KerasTensor;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.core.Activation;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Input;
import io.jeras.layers.merging.Add;
import io.jeras.layers.normalization.BatchNormalization;
import io.jeras.layers.pooling.GlobalAveragePooling2D;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Golden tests of the summary table: the exact text Keras users read. */
class ModelSummaryTest {

  private static String golden(String name) throws IOException {
    try (InputStream in = ModelSummaryTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void leNet5_asKerasPrintsItOutsideATerminal() throws IOException {
    try (Sequential model = SequentialTest.leNet5()) {
      assertThat(ModelSummary.of(model, 76)).isEqualTo(golden("lenet5-summary.txt"));
    }
  }

  @Test
  void afterTraining_countsTheOptimizerToo() throws IOException {
    try (Sequential model = SequentialTest.leNet5()) {
      model.compile("adam", "sparse_categorical_crossentropy", "accuracy");
      model.fit(io.jeras.data.Data.floats(new float[32 * 32], 1, 32, 32, 1),
          io.jeras.data.Data.ints(3), io.jeras.trainers.Fit.defaults().verbose(0));
      // Adam: m and v per weight, plus the learning rate (float32) and iteration (int64)
      assertThat(ModelSummary.of(model, 76)).endsWith(
          " Total params: 185,120 (723.13 KB)\n"
              + " Trainable params: 61,706 (241.04 KB)\n"
              + " Non-trainable params: 0 (0.00 B)\n"
              + " Optimizer params: 123,414 (482.09 KB)\n");
    }
  }

  @Test
  void columns_shrinkToTheLineLengthAsRichDoes() {
    double[] sequential = {0.45, 0.80, 1.0};
    assertThat(ModelSummary.columnWidths(76, sequential)).containsExactly(31, 22, 13);
    assertThat(ModelSummary.columnWidths(88, sequential)).containsExactly(36, 27, 15);
    assertThat(ModelSummary.columnWidths(76, new double[] {0.3, 0.56, 0.74, 1.0}))
        .containsExactly(19, 17, 10, 17);
  }

  private static Functional residual() {
    KerasTensor image = Input.of(8, 8, 3).name("image").tensor();
    KerasTensor x = Conv2D.of(8, 3).strides(2).padding("same").useBias(false).name("conv_a")
        .apply(image);
    x = BatchNormalization.of().name("bn_a").apply(x);
    x = Activation.of(RELU).name("relu_a").apply(x);
    x = Conv2D.of(8, 3).padding("same").useBias(false).name("conv_b").apply(x);
    x = BatchNormalization.of().name("bn_b").apply(x);
    KerasTensor s = Conv2D.of(8, 1).strides(2).useBias(false).name("projection").apply(image);
    s = BatchNormalization.of().name("bn_projection").apply(s);
    x = Activation.of(RELU).name("relu_out").apply(Add.of().name("add").apply(x, s));
    x = GlobalAveragePooling2D.of().name("pool").apply(x);
    return Model.of("residual", List.of(image),
        List.of(Dense.of(3).activation(SOFTMAX).name("classes").apply(x)));
  }

  private static Functional shared() {
    KerasTensor a = Input.of(4).name("left").tensor();
    KerasTensor b = Input.of(4).name("right").tensor();
    Dense d = Dense.of(3).name("shared");
    KerasTensor total = Add.of().name("sum").apply(d.apply(a), d.apply(b));
    return Model.of("siamese", List.of(a, b), List.of(total, Dense.of(1).name("aux").apply(b)));
  }

  private static Functional chain() {
    KerasTensor c = Input.of(784).name("pixels").tensor();
    KerasTensor h = Dense.of(32).activation(RELU).name("hidden").apply(c);
    return Model.of("chain", List.of(c), List.of(Dense.of(10).name("logits").apply(h)));
  }

  private static Functional nested() {
    Sequential base = Sequential.named("base").add(Input.of(3)).add(Dense.of(4).name("inner"));
    base.setTrainable(false);
    KerasTensor e = Input.of(3).name("features").tensor();
    return Model.of("outer", List.of(e), List.of(Dense.of(2).name("head").apply(base.apply(e))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"residual", "shared", "chain", "nested"})
  void functionalModels_asKerasPrintsThem(String name) throws IOException {
    Functional model = switch (name) {
      case "residual" -> residual();
      case "shared" -> shared();
      case "chain" -> chain();
      default -> nested();
    };
    try (model) {
      assertThat(ModelSummary.of(model, 76)).isEqualTo(golden("summaries/" + name + ".txt"));
      assertThat(ModelSummary.of(model, 108))
          .isEqualTo(golden("summaries/" + name + ".108.txt"));
    }
  }

  @Test
  void sizes_areInPowersOf1024() {
    assertThat(ModelSummary.count(61_706, 4 * 61_706)).isEqualTo("61,706 (241.04 KB)");
    assertThat(ModelSummary.count(0, 0)).isEqualTo("0 (0.00 B)");
    assertThat(ModelSummary.count(433_290, 4 * 433_290)).isEqualTo("433,290 (1.65 MB)");
  }
}
