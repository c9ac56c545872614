package io.jeras.savedmodels.keras.mappings;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jeras.layers.Layer;
import io.jeras.savedmodels.keras.LayerConfig;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** A {@link LayerMapping} made of a reader and a writer function. */
record Mapping<L extends Layer<?>>(String kerasClass, Class<L> layerClass, String kerasModule,
    Function<LayerConfig, Layer<?>> reader, BiConsumer<L, ObjectNode> writer)
    implements LayerMapping {

  /** A layer exported from {@code keras.layers}. */
  static <L extends Layer<?>> Mapping<L> of(String kerasClass, Class<L> layerClass,
      Function<LayerConfig, Layer<?>> reader, BiConsumer<L, ObjectNode> writer) {
    return new Mapping<>(kerasClass, layerClass, "keras.layers", reader, writer);
  }

  /** The Jeras class is named as the Keras class. */
  static <L extends Layer<?>> Mapping<L> of(Class<L> layerClass,
      Function<LayerConfig, Layer<?>> reader, BiConsumer<L, ObjectNode> writer) {
    return of(layerClass.getSimpleName(), layerClass, reader, writer);
  }

  @Override
  public Layer<?> read(LayerConfig config) {
    return reader.apply(config);
  }

  @Override
  public void write(Layer<?> layer, ObjectNode config) {
    writer.accept(layerClass.cast(layer), config);
  }
}
