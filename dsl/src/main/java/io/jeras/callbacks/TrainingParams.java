package io.jeras.callbacks;

/**
 * Keras' {@code callback.params}: the number of epochs, steps per epoch and the verbosity of the
 * run the callbacks take part in.
 */
public record TrainingParams(int epochs, int steps, int verbose) {}
