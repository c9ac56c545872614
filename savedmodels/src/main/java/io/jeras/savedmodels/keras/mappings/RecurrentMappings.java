package io.jeras.savedmodels.keras.mappings;

import static io.jeras.savedmodels.keras.KerasObjects.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jeras.activations.Activations;
import io.jeras.initializers.Initializers;
import io.jeras.layers.Layer;
import io.jeras.layers.WeightSpec;
import io.jeras.layers.rnn.Bidirectional;
import io.jeras.layers.rnn.GRU;
import io.jeras.layers.rnn.LSTM;
import io.jeras.layers.rnn.Recurrent;
import io.jeras.layers.rnn.SimpleRNN;
import io.jeras.savedmodels.keras.KerasModels;
import io.jeras.savedmodels.keras.LayerConfig;
import java.util.List;

/**
 * Keras' recurrent layers: {@code SimpleRNN}, {@code LSTM}, {@code GRU} (their weights in the
 * file's {@code cell} group) and {@code Bidirectional} (each direction's in {@code
 * forward_layer/cell} and {@code backward_layer/cell}).
 */
final class RecurrentMappings {
  private RecurrentMappings() {}

  static List<LayerMapping> all() {
    return List.of(
        inCell(Mapping.of(SimpleRNN.class,
            c -> common(SimpleRNN.of(c.integer("units")), c, false),
            (layer, c) -> common(layer, c, null))),
        inCell(Mapping.of(LSTM.class, c -> {
          LSTM lstm = common(LSTM.of(c.integer("units")), c, true)
              .unitForgetBias(c.bool("unit_forget_bias", true));
          return c.has("recurrent_activation")
              ? lstm.recurrentActivation(c.activation("recurrent_activation")) : lstm;
        }, (layer, c) -> {
          common(layer, c, layer.recurrentActivation());
          c.put("unit_forget_bias", layer.unitForgetBias());
          c.putNull("seed");
        })),
        inCell(Mapping.of(GRU.class, c -> {
          GRU gru = common(GRU.of(c.integer("units")), c, true)
              .resetAfter(c.bool("reset_after", true));
          return c.has("recurrent_activation")
              ? gru.recurrentActivation(c.activation("recurrent_activation")) : gru;
        }, (layer, c) -> {
          common(layer, c, layer.recurrentActivation());
          c.put("reset_after", layer.resetAfter());
          c.putNull("seed");
        })),
        new Placed(Mapping.of(Bidirectional.class, RecurrentMappings::bidirectional,
            RecurrentMappings::bidirectional), (layer, weight) ->
            (weight.name().startsWith(((Bidirectional) layer).forwardName() + "/")
                ? "/forward_layer" : "/backward_layer") + "/cell"));
  }

  /** A recurrent layer's weights sit in its cell's group. */
  private static LayerMapping inCell(LayerMapping mapping) {
    return new Placed(mapping, (layer, weight) -> "/cell");
  }

  /** A mapping whose weights sit below the layer's group. */
  private static final class Placed extends MappingWrapper {
    private final java.util.function.BiFunction<Layer<?>, WeightSpec, String> place;

    Placed(LayerMapping mapping,
        java.util.function.BiFunction<Layer<?>, WeightSpec, String> place) {
      super(mapping);
      this.place = place;
    }

    @Override
    public String weightPlace(Layer<?> layer, WeightSpec weight) {
      return place.apply(layer, weight);
    }
  }

  /** The options every recurrent layer shares. */
  private static <L extends Recurrent<L>> L common(L layer, LayerConfig c, boolean seeded) {
    c.expect("return_state", false);
    c.expect("stateful", false);
    c.expect("activity_regularizer", (Object) null);
    c.use("unroll"); // Jeras always unrolls; the result is the same
    c.expect("time_major", false); // tf.keras 2
    c.use("implementation"); // tf.keras 2's choice of kernels for the same computation
    if (seeded) {
      c.use("seed"); // the dropout masks' seed: Jeras draws them from the model's seed
    }
    return layer.returnSequences(c.bool("return_sequences", false))
        .goBackwards(c.bool("go_backwards", false))
        .zeroOutputForMask(c.bool("zero_output_for_mask", false))
        .activation(c.has("activation") ? c.activation("activation") : Activations.TANH)
        .useBias(c.bool("use_bias", true))
        .kernelInitializer(c.initializer("kernel_initializer", Initializers.glorotUniform()))
        .recurrentInitializer(c.initializer("recurrent_initializer", Initializers.orthogonal()))
        .biasInitializer(c.initializer("bias_initializer", Initializers.zeros()))
        .kernelRegularizer(c.regularizer("kernel_regularizer"))
        .recurrentRegularizer(c.regularizer("recurrent_regularizer"))
        .biasRegularizer(c.regularizer("bias_regularizer"))
        .kernelConstraint(c.constraint("kernel_constraint"))
        .recurrentConstraint(c.constraint("recurrent_constraint"))
        .biasConstraint(c.constraint("bias_constraint"))
        .dropout(c.number("dropout", 0))
        .recurrentDropout(c.number("recurrent_dropout", 0));
  }

  private static void common(Recurrent<?> layer, ObjectNode c, Activations recurrent) {
    c.put("return_sequences", layer.returnSequences());
    c.put("return_state", false);
    c.put("go_backwards", layer.goBackwards());
    c.put("stateful", false);
    c.put("unroll", false);
    c.put("zero_output_for_mask", layer.zeroOutputForMask());
    c.put("units", layer.units());
    c.set("activation", write(layer.activation()));
    if (recurrent != null) {
      c.set("recurrent_activation", write(recurrent));
    }
    c.put("use_bias", layer.useBias());
    c.set("kernel_initializer", write(layer.kernelInitializer()));
    c.set("recurrent_initializer", write(layer.recurrentInitializer()));
    c.set("bias_initializer", write(layer.biasInitializer()));
    c.set("kernel_regularizer", write(layer.kernelRegularizer()));
    c.set("recurrent_regularizer", write(layer.recurrentRegularizer()));
    c.set("bias_regularizer", write(layer.biasRegularizer()));
    c.putNull("activity_regularizer");
    c.set("kernel_constraint", write(layer.kernelConstraint()));
    c.set("recurrent_constraint", write(layer.recurrentConstraint()));
    c.set("bias_constraint", write(layer.biasConstraint()));
    c.put("dropout", layer.dropout());
    c.put("recurrent_dropout", layer.recurrentDropout());
  }

  /**
   * Keras' Bidirectional: the wrapped layer ({@code layer}, named {@code forward_<name>}) and
   * an optional {@code backward_layer}, which Jeras takes only as the wrapped layer's mirror.
   */
  private static Layer<?> bidirectional(LayerConfig c) {
    if (!(KerasModels.layerFromConfig(c.node("layer")) instanceof Recurrent<?> forward)) {
      throw c.wrong("layer", "a SimpleRNN, LSTM or GRU", c.node("layer"));
    }
    if (forward.name() != null && forward.name().startsWith("forward_")) {
      forward = (Recurrent<?>) forward.name(forward.name().substring("forward_".length()));
    }
    if (c.has("backward_layer") && !c.node("backward_layer").isNull()) {
      Layer<?> backward = KerasModels.layerFromConfig(c.node("backward_layer"));
      if (!(backward instanceof Recurrent<?> mirror) || mirror.getClass() != forward.getClass()
          || mirror.goBackwards() == forward.goBackwards()
          || mirror.units() != forward.units()
          || mirror.returnSequences() != forward.returnSequences()) {
        c.problem("its backward_layer is not the wrapped layer run backwards, the only"
            + " Bidirectional Jeras builds");
      }
    }
    String merge = c.string("merge_mode", "concat");
    if (c.node("merge_mode").isNull()) {
      c.problem("merge_mode None (two outputs) is not supported");
      merge = "concat";
    }
    return Bidirectional.of(forward).mergeMode(merge);
  }

  private static void bidirectional(Bidirectional layer, ObjectNode c) {
    c.put("merge_mode", layer.mergeMode());
    Recurrent<?> forward = layer.layer().zeroOutputForMask(layer.layer().returnSequences());
    c.set("layer", KerasModels.layerConfig(forward.name(layer.forwardName())));
    c.set("backward_layer", KerasModels.layerConfig(forward
        .goBackwards(!forward.goBackwards()).name(layer.backwardName())));
  }
}
