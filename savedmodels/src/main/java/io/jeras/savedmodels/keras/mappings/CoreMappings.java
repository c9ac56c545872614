package io.jeras.savedmodels.keras.mappings;

import static io.jeras.savedmodels.keras.KerasObjects.write;

import io.jeras.initializers.Initializers;
import io.jeras.layers.core.Activation;
import io.jeras.layers.core.Dense;
import io.jeras.layers.core.Identity;
import java.util.List;

/** Keras' core layers: {@code Dense}, {@code Activation}, {@code Identity}. */
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
        Mapping.of(Identity.class, c -> Identity.of(), (layer, c) -> { }));
  }
}
