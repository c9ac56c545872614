package io.jeras.savedmodels.keras.mappings;


import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jeras.initializers.Initializers;
import io.jeras.layers.Layer;
import io.jeras.layers.WeightSpec;
import io.jeras.layers.attention.MultiHeadAttention;
import io.jeras.savedmodels.keras.KerasObjects;
import io.jeras.savedmodels.keras.LayerConfig;
import java.util.List;

/**
 * Keras' {@code MultiHeadAttention}: called as {@code (query, value)} with {@code
 * use_causal_mask} as a call argument; its weights in the file's {@code query_dense}, {@code
 * key_dense}, {@code value_dense} and {@code output_dense} groups.
 */
final class AttentionMappings {
  private AttentionMappings() {}

  static List<LayerMapping> all() {
    return List.of(new MultiHead());
  }

  private static final class MultiHead extends MappingWrapper {
    MultiHead() {
      super(Mapping.of(MultiHeadAttention.class, MultiHead::readConfig,
          MultiHead::writeConfig));
    }

    @Override
    public String weightPlace(Layer<?> layer, WeightSpec weight) {
      String sublayer = weight.name().substring(0, weight.name().indexOf('/'));
      return "/" + (sublayer.equals("attention_output") ? "output" : sublayer) + "_dense";
    }

    @Override
    public boolean inputsAsList() {
      return false;
    }

    /** Keras' MultiHeadAttention builds from {@code query_shape} and {@code value_shape}. */
    @Override
    public void writeBuildConfig(List<com.fasterxml.jackson.databind.JsonNode> shapes,
        ObjectNode buildConfig) {
      ObjectNode dict = buildConfig.putObject("shapes_dict");
      dict.set("query_shape", shapes.get(0));
      dict.set("value_shape", shapes.get(shapes.size() - 1));
    }

    @Override
    public void writeCallArguments(Layer<?> layer, ObjectNode kwargs) {
      if (((MultiHeadAttention) layer).useCausalMask()) {
        kwargs.put("use_causal_mask", true);
      }
    }

    private static Layer<?> readConfig(LayerConfig c) {
      c.expect("output_shape", (Object) null);
      c.expect("use_gate", false);
      c.expect("sliding_window", (Object) null);
      c.expect("activity_regularizer", (Object) null);
      c.expect("kernel_regularizer", (Object) null);
      c.expect("bias_regularizer", (Object) null);
      c.expect("kernel_constraint", (Object) null);
      c.expect("bias_constraint", (Object) null);
      c.use("seed"); // the attention dropout's seed: Jeras draws it from the model's seed
      if (c.has("attention_axes") && !c.node("attention_axes").isNull()
          && !(c.node("attention_axes").size() == 1
              && c.node("attention_axes").get(0).asInt() == 1)) {
        c.problem("attention_axes " + c.node("attention_axes") + " is not supported (only the"
            + " steps of (batch, steps, features) inputs)");
      }
      MultiHeadAttention layer = MultiHeadAttention.of(c.integer("num_heads"),
              c.integer("key_dim"))
          .dropout(c.number("dropout", 0))
          .useBias(c.bool("use_bias", true))
          .kernelInitializer(c.initializer("kernel_initializer", Initializers.glorotUniform()))
          .biasInitializer(c.initializer("bias_initializer", Initializers.zeros()));
      return c.has("value_dim") && !c.node("value_dim").isNull()
          ? layer.valueDim(c.integer("value_dim")) : layer;
    }

    private static void writeConfig(MultiHeadAttention layer, ObjectNode c) {
      c.put("num_heads", layer.numHeads());
      c.put("key_dim", layer.keyDim());
      c.put("value_dim", layer.valueDim());
      c.put("dropout", layer.dropout());
      c.put("use_bias", layer.useBias());
      c.putNull("output_shape");
      c.putArray("attention_axes").add(1);
      c.set("kernel_initializer", KerasObjects.write(layer.kernelInitializer()));
      c.set("bias_initializer", KerasObjects.write(layer.biasInitializer()));
      c.putNull("kernel_regularizer");
      c.putNull("bias_regularizer");
      c.putNull("activity_regularizer");
      c.putNull("kernel_constraint");
      c.putNull("bias_constraint");
      c.putNull("seed");
    }
  }
}
