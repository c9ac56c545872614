package io.jeras.savedmodels.keras.mappings;

import static io.jeras.savedmodels.keras.KerasObjects.write;

import com.fasterxml.jackson.databind.JsonNode;
import io.jeras.initializers.Initializers;
import io.jeras.layers.normalization.BatchNormalization;
import io.jeras.layers.normalization.GroupNormalization;
import io.jeras.layers.normalization.LayerNormalization;
import io.jeras.savedmodels.keras.LayerConfig;
import java.util.List;

/** Keras' normalization layers. */
final class NormalizationMappings {
  private NormalizationMappings() {}

  static List<LayerMapping> all() {
    return List.of(
        Mapping.of(BatchNormalization.class, c -> {
          c.expect("renorm", false);
          c.use("renorm_clipping", "renorm_momentum"); // only read by renorm
          c.use("synchronized"); // cross-replica statistics; one replica here
          c.expect("virtual_batch_size", (Object) null);
          c.expect("adjustment", (Object) null);
          c.use("fused"); // Keras 2: which kernel computes it, not what
          return BatchNormalization.of().axis(axis(c))
              .momentum(c.number("momentum", 0.99))
              .epsilon(c.number("epsilon", 1e-3))
              .center(c.bool("center", true))
              .scale(c.bool("scale", true))
              .betaInitializer(c.initializer("beta_initializer", Initializers.zeros()))
              .gammaInitializer(c.initializer("gamma_initializer", Initializers.ones()))
              .movingMeanInitializer(c.initializer("moving_mean_initializer",
                  Initializers.zeros()))
              .movingVarianceInitializer(c.initializer("moving_variance_initializer",
                  Initializers.ones()))
              .betaRegularizer(c.regularizer("beta_regularizer"))
              .gammaRegularizer(c.regularizer("gamma_regularizer"))
              .betaConstraint(c.constraint("beta_constraint"))
              .gammaConstraint(c.constraint("gamma_constraint"));
        }, (layer, c) -> {
          c.put("axis", layer.axis());
          c.put("momentum", layer.momentum());
          c.put("epsilon", layer.epsilon());
          c.put("center", layer.center());
          c.put("scale", layer.scale());
          c.set("beta_initializer", write(layer.betaInitializer()));
          c.set("gamma_initializer", write(layer.gammaInitializer()));
          c.set("moving_mean_initializer", write(layer.movingMeanInitializer()));
          c.set("moving_variance_initializer", write(layer.movingVarianceInitializer()));
          c.set("beta_regularizer", write(layer.betaRegularizer()));
          c.set("gamma_regularizer", write(layer.gammaRegularizer()));
          c.set("beta_constraint", write(layer.betaConstraint()));
          c.set("gamma_constraint", write(layer.gammaConstraint()));
          c.put("synchronized", false);
        }),
        Mapping.of(LayerNormalization.class, c -> {
          JsonNode axis = c.node("axis");
          LayerNormalization layer = LayerNormalization.of();
          if (axis.isArray()) {
            List<Integer> axes = new java.util.ArrayList<>();
            axis.forEach(a -> axes.add(a.asInt()));
            layer = layer.axis(axes);
          } else {
            layer = layer.axis(c.integer("axis", -1));
          }
          return layer.epsilon(c.number("epsilon", 1e-3))
              .center(c.bool("center", true))
              .scale(c.bool("scale", true))
              .rmsScaling(c.bool("rms_scaling", false))
              .betaInitializer(c.initializer("beta_initializer", Initializers.zeros()))
              .gammaInitializer(c.initializer("gamma_initializer", Initializers.ones()))
              .betaRegularizer(c.regularizer("beta_regularizer"))
              .gammaRegularizer(c.regularizer("gamma_regularizer"))
              .betaConstraint(c.constraint("beta_constraint"))
              .gammaConstraint(c.constraint("gamma_constraint"));
        }, (layer, c) -> {
          if (layer.axisIsList()) {
            c.set("axis", Json.ints(layer.axis()));
          } else {
            c.put("axis", layer.axis()[0]);
          }
          c.put("epsilon", layer.epsilon());
          c.put("center", layer.center());
          c.put("scale", layer.scale());
          c.put("rms_scaling", layer.rmsScaling());
          writeBetaGamma(c, layer.betaInitializer(), layer.gammaInitializer(),
              layer.betaRegularizer(), layer.gammaRegularizer(), layer.betaConstraint(),
              layer.gammaConstraint());
        }),
        Mapping.of(GroupNormalization.class, c -> GroupNormalization.of()
            .groups(c.integer("groups", 32))
            .axis(c.integer("axis", -1))
            .epsilon(c.number("epsilon", 1e-3))
            .center(c.bool("center", true))
            .scale(c.bool("scale", true))
            .betaInitializer(c.initializer("beta_initializer", Initializers.zeros()))
            .gammaInitializer(c.initializer("gamma_initializer", Initializers.ones()))
            .betaRegularizer(c.regularizer("beta_regularizer"))
            .gammaRegularizer(c.regularizer("gamma_regularizer"))
            .betaConstraint(c.constraint("beta_constraint"))
            .gammaConstraint(c.constraint("gamma_constraint")),
            (layer, c) -> {
              c.put("groups", layer.groups());
              c.put("axis", layer.axis());
              c.put("epsilon", layer.epsilon());
              c.put("center", layer.center());
              c.put("scale", layer.scale());
              writeBetaGamma(c, layer.betaInitializer(), layer.gammaInitializer(),
                  layer.betaRegularizer(), layer.gammaRegularizer(), layer.betaConstraint(),
                  layer.gammaConstraint());
            }));
  }

  private static void writeBetaGamma(com.fasterxml.jackson.databind.node.ObjectNode c,
      io.jeras.initializers.Initializer betaInitializer,
      io.jeras.initializers.Initializer gammaInitializer,
      io.jeras.regularizers.Regularizer betaRegularizer,
      io.jeras.regularizers.Regularizer gammaRegularizer,
      io.jeras.constraints.Constraint betaConstraint,
      io.jeras.constraints.Constraint gammaConstraint) {
    c.set("beta_initializer", write(betaInitializer));
    c.set("gamma_initializer", write(gammaInitializer));
    c.set("beta_regularizer", write(betaRegularizer));
    c.set("gamma_regularizer", write(gammaRegularizer));
    c.set("beta_constraint", write(betaConstraint));
    c.set("gamma_constraint", write(gammaConstraint));
  }

  /** One axis: Keras 2 writes {@code [3]}, Keras 3 {@code -1}. */
  private static int axis(LayerConfig c) {
    JsonNode axis = c.node("axis");
    if (axis.isArray() && axis.size() != 1) {
      throw c.wrong("axis", "one axis", axis);
    }
    return c.integer("axis", -1);
  }
}
