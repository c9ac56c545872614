package io.jeras.models;

import org.tensorflow.ndarray.Shape;

/** One input of a model: its name (the placeholder's, and the SavedModel input key) and shape. */
public record ModelInput(String name, Shape shape) {}
