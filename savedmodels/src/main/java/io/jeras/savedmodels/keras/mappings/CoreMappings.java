package io.jeras.savedmodels.keras.mappings;

import static io.jeras.savedmodels.keras.KerasObjects.write;

import io.jeras.initializers.Initializers;
import io.jeras.layers.core.Activation;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Embedding;
import io.jeras.layers.core.Identity;
import io.jeras.layers.core.Masking;
import java.util.List;

/**
 * Keras' core layers: {@code Dense}, {@code Activation}, {@code Identity}, {@code Embedding},
 * {@code Masking}.
 */
final class CoreMappings {
  private CoreMappings() {}

  static List<LayerMapping> all() {
    return List.of(
        Mapping.of(Dense.class, c -> {
          c.expect("activity_regularizer", (Object) null);
          c.expect("lora_rank", (Object) null);
          c.expect("quantization_config", (Object) null);
          return Dense.of(c.integer("units"))
              .activation(c.activation("activation"))
              .useBias(c.bool("use_bias", true))
              .kernelInitializer(c.initializer("kernel_initializer",
                  Initializers.glorotUniform()))
              .biasInitializer(c.initializer("bias_initializer", Initializers.zeros()))
              .kernelRegularizer(c.regularizer("kernel_regularizer"))
              .biasRegularizer(c.regularizer("bias_regularizer"))
              .kernelConstraint(c.constraint("kernel_constraint"))
              .biasConstraint(c.constraint("bias_constraint"));
        }, (layer, c) -> {
          c.put("units", layer.units());
          c.set("activation", write(layer.activation()));
          c.put("use_bias", layer.useBias());
          c.set("kernel_initializer", write(layer.kernelInitializer()));
          c.set("bias_initializer", write(layer.biasInitializer()));
          c.set("kernel_regularizer", write(layer.kernelRegularizer()));
          c.set("bias_regularizer", write(layer.biasRegularizer()));
          c.set("kernel_constraint", write(layer.kernelConstraint()));
          c.set("bias_constraint", write(layer.biasConstraint()));
        }),
        Mapping.of(Activation.class, c -> Activation.of(c.activation("activation")),
            (layer, c) -> c.set("activation", write(layer.activation()))),
        Mapping.of(Identity.class, c -> Identity.of(), (layer, c) -> { }),
        Mapping.of(Embedding.class, c -> {
          c.expect("activity_regularizer", (Object) null);
          c.expect("lora_rank", (Object) null);
          c.expect("quantization_config", (Object) null);
          c.use("input_length"); // Keras 2's, only for the output shape Jeras infers anyway
          return Embedding.of(c.integer("input_dim"), c.integer("output_dim"))
              .maskZero(c.bool("mask_zero", false))
              .embeddingsInitializer(c.initializer("embeddings_initializer",
                  Initializers.randomUniform()))
              .embeddingsRegularizer(c.regularizer("embeddings_regularizer"))
              .embeddingsConstraint(c.constraint("embeddings_constraint"));
        }, (layer, c) -> {
          c.put("input_dim", layer.inputDim());
          c.put("output_dim", layer.outputDim());
          c.set("embeddings_initializer", write(layer.embeddingsInitializer()));
          c.set("embeddings_regularizer", write(layer.embeddingsRegularizer()));
          c.putNull("activity_regularizer");
          c.set("embeddings_constraint", write(layer.embeddingsConstraint()));
          c.put("mask_zero", layer.maskZero());
        }),
        Mapping.of(Masking.class, c -> Masking.of(c.number("mask_value", 0)),
            (layer, c) -> c.put("mask_value", layer.maskValue())));
  }
}
