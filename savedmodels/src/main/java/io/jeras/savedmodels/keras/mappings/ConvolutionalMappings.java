package io.jeras.savedmodels.keras.mappings;

import static io.jeras.savedmodels.keras.KerasObjects.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jeras.initializers.Initializers;
import io.jeras.layers.Padding;
import io.jeras.layers.convolutional.BaseConv2D;
import io.jeras.layers.convolutional.Conv1D;
import io.jeras.layers.convolutional.Conv2D;
import io.jeras.layers.convolutional.Conv2DTranspose;
import io.jeras.layers.convolutional.DepthwiseConv2D;
import io.jeras.layers.convolutional.SeparableConv2D;
import io.jeras.savedmodels.keras.LayerConfig;
import java.util.List;

/**
 * Keras' convolution layers: {@code Conv1D}, {@code Conv2D}, {@code Conv2DTranspose}, {@code
 * DepthwiseConv2D}, {@code SeparableConv2D}.
 */
final class ConvolutionalMappings {
  private ConvolutionalMappings() {}

  static List<LayerMapping> all() {
    return List.of(
        Mapping.of(Conv2D.class, c -> {
          int[] k = c.ints("kernel_size", 2, 0);
          Conv2D conv = common(Conv2D.of(c.integer("filters"), k[0], k[1]), c)
              .kernelInitializer(c.initializer("kernel_initializer",
                  Initializers.glorotUniform()))
              .kernelRegularizer(c.regularizer("kernel_regularizer"))
              .kernelConstraint(c.constraint("kernel_constraint"));
          int groups = c.integer("groups", 1);
          return groups == 1 ? conv : conv.groups(groups);
        }, (layer, c) -> {
          c.put("filters", layer.filters());
          common(layer, c);
          c.put("groups", layer.groups());
          c.set("kernel_initializer", write(layer.kernelInitializer()));
          c.set("kernel_regularizer", write(layer.kernelRegularizer()));
          c.set("kernel_constraint", write(layer.kernelConstraint()));
        }),
        Mapping.of(Conv1D.class, c -> {
          c.expect("data_format", "channels_last", null);
          c.expect("activity_regularizer", (Object) null);
          c.expect("groups", 1);
          return Conv1D.of(c.integer("filters"), c.ints("kernel_size", 1, 0)[0])
              .strides(c.ints("strides", 1, 1)[0])
              .padding(c.string("padding", "valid"))
              .dilationRate(c.ints("dilation_rate", 1, 1)[0])
              .activation(c.activation("activation"))
              .useBias(c.bool("use_bias", true))
              .kernelInitializer(c.initializer("kernel_initializer",
                  Initializers.glorotUniform()))
              .kernelRegularizer(c.regularizer("kernel_regularizer"))
              .kernelConstraint(c.constraint("kernel_constraint"))
              .biasInitializer(c.initializer("bias_initializer", Initializers.zeros()))
              .biasRegularizer(c.regularizer("bias_regularizer"))
              .biasConstraint(c.constraint("bias_constraint"));
        }, (layer, c) -> {
          c.put("filters", layer.filters());
          c.set("kernel_size", Json.ints(layer.kernelSize()));
          c.set("strides", Json.ints(layer.strides()));
          c.put("padding", layer.padding());
          c.put("data_format", "channels_last");
          c.set("dilation_rate", Json.ints(layer.dilationRate()));
          c.put("groups", 1);
          c.set("activation", write(layer.activation()));
          c.put("use_bias", layer.useBias());
          c.set("kernel_initializer", write(layer.kernelInitializer()));
          c.set("bias_initializer", write(layer.biasInitializer()));
          c.set("kernel_regularizer", write(layer.kernelRegularizer()));
          c.set("bias_regularizer", write(layer.biasRegularizer()));
          c.putNull("activity_regularizer");
          c.set("kernel_constraint", write(layer.kernelConstraint()));
          c.set("bias_constraint", write(layer.biasConstraint()));
        }),
        Mapping.of(Conv2DTranspose.class, c -> {
          int[] k = c.ints("kernel_size", 2, 0);
          Conv2DTranspose conv = common(Conv2DTranspose.of(c.integer("filters"), k[0], k[1]), c)
              .kernelInitializer(c.initializer("kernel_initializer",
                  Initializers.glorotUniform()))
              .kernelRegularizer(c.regularizer("kernel_regularizer"))
              .kernelConstraint(c.constraint("kernel_constraint"));
          if (c.has("output_padding") && !c.node("output_padding").isNull()) {
            int[] padding = c.ints("output_padding", 2, 0);
            conv = conv.outputPadding(padding[0], padding[1]);
          }
          return conv;
        }, (layer, c) -> {
          c.put("filters", layer.filters());
          common(layer, c);
          // (Keras 3.8 leaves output_padding out of its own configs, a bug later Keras fixed;
          // its from_config takes it)
          if (layer.outputPadding() == null) {
            c.putNull("output_padding");
          } else {
            c.set("output_padding", Json.size(layer.outputPadding()));
          }
          c.set("kernel_initializer", write(layer.kernelInitializer()));
          c.set("kernel_regularizer", write(layer.kernelRegularizer()));
          c.set("kernel_constraint", write(layer.kernelConstraint()));
        }),
        Mapping.of(DepthwiseConv2D.class, c -> {
          c.expect("groups", 1); // tf.keras 2.3+ writes Conv's groups for every convolution
          int[] k = c.ints("kernel_size", 2, 0);
          return common(DepthwiseConv2D.of(k[0], k[1]), c)
              .depthMultiplier(c.integer("depth_multiplier", 1))
              .depthwiseInitializer(c.initializer("depthwise_initializer",
                  Initializers.glorotUniform()))
              .depthwiseRegularizer(c.regularizer("depthwise_regularizer"))
              .depthwiseConstraint(c.constraint("depthwise_constraint"));
        }, (layer, c) -> {
          c.put("depth_multiplier", layer.depthMultiplier());
          common(layer, c);
          c.set("depthwise_initializer", write(layer.depthwiseInitializer()));
          c.set("depthwise_regularizer", write(layer.depthwiseRegularizer()));
          c.set("depthwise_constraint", write(layer.depthwiseConstraint()));
        }),
        Mapping.of(SeparableConv2D.class, c -> {
          c.expect("groups", 1);
          // tf.keras writes Conv's kernel options too; a separable convolution has no "kernel"
          c.use("kernel_initializer", "kernel_regularizer", "kernel_constraint");
          int[] k = c.ints("kernel_size", 2, 0);
          return common(SeparableConv2D.of(c.integer("filters"), k[0], k[1]), c)
              .depthMultiplier(c.integer("depth_multiplier", 1))
              .depthwiseInitializer(c.initializer("depthwise_initializer",
                  Initializers.glorotUniform()))
              .pointwiseInitializer(c.initializer("pointwise_initializer",
                  Initializers.glorotUniform()))
              .depthwiseRegularizer(c.regularizer("depthwise_regularizer"))
              .pointwiseRegularizer(c.regularizer("pointwise_regularizer"))
              .depthwiseConstraint(c.constraint("depthwise_constraint"))
              .pointwiseConstraint(c.constraint("pointwise_constraint"));
        }, (layer, c) -> {
          c.put("depth_multiplier", layer.depthMultiplier());
          c.put("filters", layer.filters());
          common(layer, c);
          c.set("depthwise_initializer", write(layer.depthwiseInitializer()));
          c.set("pointwise_initializer", write(layer.pointwiseInitializer()));
          c.set("depthwise_regularizer", write(layer.depthwiseRegularizer()));
          c.set("pointwise_regularizer", write(layer.pointwiseRegularizer()));
          c.set("depthwise_constraint", write(layer.depthwiseConstraint()));
          c.set("pointwise_constraint", write(layer.pointwiseConstraint()));
        }));
  }

  /** The options every convolution shares. */
  private static <L extends BaseConv2D<L>> L common(L layer, LayerConfig c) {
    c.expect("data_format", "channels_last", null);
    c.expect("activity_regularizer", (Object) null);
    int[] strides = c.ints("strides", 2, 1);
    int[] dilation = c.ints("dilation_rate", 2, 1);
    return layer.strides(strides[0], strides[1])
        .padding(Padding.of(c.string("padding", "valid")))
        .dilationRate(dilation[0], dilation[1])
        .activation(c.activation("activation"))
        .useBias(c.bool("use_bias", true))
        .biasInitializer(c.initializer("bias_initializer", Initializers.zeros()))
        .biasRegularizer(c.regularizer("bias_regularizer"))
        .biasConstraint(c.constraint("bias_constraint"));
  }

  private static void common(BaseConv2D<?> layer, ObjectNode c) {
    c.set("kernel_size", Json.size(layer.kernelSize()));
    c.set("strides", Json.size(layer.strides()));
    c.put("padding", Json.padding(layer.padding()));
    c.put("data_format", "channels_last");
    c.set("dilation_rate", Json.size(layer.dilationRate()));
    c.set("activation", write(layer.activation()));
    c.put("use_bias", layer.useBias());
    c.set("bias_initializer", write(layer.biasInitializer()));
    c.set("bias_regularizer", write(layer.biasRegularizer()));
    c.putNull("activity_regularizer");
    c.set("bias_constraint", write(layer.biasConstraint()));
  }
}
